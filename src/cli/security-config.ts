/**
 * The security keys of `--command-config` (Kafka's client.properties) and of the `--*-property` flags,
 * as Kafka's tools take them — security.protocol, sasl.mechanism, sasl.jaas.config (PlainLoginModule
 * / ScramLoginModule username and password), ssl.truststore.* and ssl.keystore.* in PEM form,
 * ssl.key.password, ssl.endpoint.identification.algorithm — and librdkafka's names for the same
 * (sasl.username, sasl.password, ssl.ca.location, ssl.certificate.location, ssl.key.location), read
 * into the client's ClientSecurity once every line is in (a type may follow its location). JKS and
 * PKCS12 stores are refused with how to convert them.
 */
import { readFileSync } from 'node:fs';
import {
  CLIENT_SASL_MECHANISMS,
  type ClientSaslMechanism,
  type ClientSecurity,
  SECURITY_PROTOCOLS,
  type SecurityProtocol,
} from '../client/security.js';
import { PLAIN_LOGIN_MODULE, parseJaasConfig, SCRAM_LOGIN_MODULE } from '../protocol/sasl/jaas.js';
import { OAUTHBEARER_LOGIN_MODULE } from '../protocol/sasl/oauthbearer.js';
import { UsageError } from './errors.js';

export const SECURITY_KEYS = [
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'sasl.username',
  'sasl.password',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.truststore.password',
  'ssl.ca.location',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.certificate.location',
  'ssl.key.location',
  'ssl.endpoint.identification.algorithm',
] as const;

export type SecurityEntries = Map<string, { value: string; where: string }>;

function readPem(path: string, where: string, key: string): string {
  try {
    return readFileSync(path.trim(), 'utf8');
  } catch (err) {
    throw new UsageError(`${where}: ${key}=${path}: cannot read the file: ${(err as Error).message}`);
  }
}

function parseJaasOrRefuse(jaas: { value: string; where: string }): ReturnType<typeof parseJaasConfig> {
  try {
    return parseJaasConfig(jaas.value);
  } catch (err) {
    throw new UsageError(`${jaas.where}: sasl.jaas.config: ${(err as Error).message}`);
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;

/** ClientSecurity from the entries, or undefined when none was given. */
export function clientSecurity(entries: SecurityEntries): ClientSecurity | undefined {
  if (entries.size === 0) return undefined;
  const get = (k: string) => entries.get(k);
  const out: ClientSecurity = {};
  const protocol = get('security.protocol');
  if (protocol) {
    const p = protocol.value.trim().toUpperCase() as SecurityProtocol;
    if (!SECURITY_PROTOCOLS.includes(p))
      throw new UsageError(
        `${protocol.where}: security.protocol must be one of ${SECURITY_PROTOCOLS.join(', ')}, not "${protocol.value}"`,
      );
    out.protocol = p;
  }
  const p = out.protocol ?? 'PLAINTEXT';
  if (p.startsWith('SASL_')) {
    const mechanism = get('sasl.mechanism');
    // Kafka's default sasl.mechanism is GSSAPI (Kerberos), which kafkalab does not speak.
    const m = (mechanism?.value.trim().toUpperCase() ?? 'GSSAPI') as ClientSaslMechanism;
    if (!CLIENT_SASL_MECHANISMS.includes(m))
      throw new UsageError(
        `${mechanism?.where ?? protocol?.where}: sasl.mechanism=${m}${mechanism ? '' : " (Kafka's default)"} is not supported: kafkalab's client has ${CLIENT_SASL_MECHANISMS.join(', ')}`,
      );
    let username = get('sasl.username')?.value;
    let password = get('sasl.password')?.value;
    const jaas = get('sasl.jaas.config');
    if (m === 'OAUTHBEARER') {
      // OAuthBearerLoginModule's options make an unsecured token (Java's default login handler).
      const entry = jaas ? parseJaasOrRefuse(jaas) : undefined;
      if (!jaas || !entry || entry.loginModule !== OAUTHBEARER_LOGIN_MODULE)
        throw new UsageError(
          `${jaas?.where ?? mechanism?.where}: sasl.mechanism=OAUTHBEARER needs sasl.jaas.config=${OAUTHBEARER_LOGIN_MODULE} required unsecuredLoginStringClaim_sub="...";`,
        );
      out.sasl = { mechanism: m, unsecuredLoginOptions: entry.options };
    } else if (jaas) {
      let entry: ReturnType<typeof parseJaasConfig>;
      try {
        entry = parseJaasConfig(jaas.value);
      } catch (err) {
        throw new UsageError(`${jaas.where}: sasl.jaas.config: ${(err as Error).message}`);
      }
      const want = m === 'PLAIN' ? PLAIN_LOGIN_MODULE : SCRAM_LOGIN_MODULE;
      if (entry.loginModule !== want)
        throw new UsageError(
          `${jaas.where}: sasl.mechanism=${m} logs in with ${want}, not ${entry.loginModule}`,
        );
      username = entry.options.username ?? username;
      password = entry.options.password ?? password;
    }
    if (m !== 'OAUTHBEARER' && (username === undefined || password === undefined))
      throw new UsageError(
        `${jaas?.where ?? protocol?.where}: security.protocol=${p} needs a user name and password: sasl.jaas.config=${m === 'PLAIN' ? PLAIN_LOGIN_MODULE : SCRAM_LOGIN_MODULE} required username="..." password="...";`,
      );
    if (m !== 'OAUTHBEARER')
      out.sasl = { mechanism: m, username: username as string, password: password as string };
  }
  if (p.endsWith('SSL')) {
    const t: NonNullable<ClientSecurity['tls']> = {};
    const trustType = get('ssl.truststore.type');
    const trust = get('ssl.truststore.location');
    if (trust && (trustType?.value.trim().toUpperCase() ?? 'JKS') !== 'PEM')
      throw new UsageError(
        `${trust.where}: ssl.truststore.location needs ssl.truststore.type=PEM (a PEM file of CA certificates): kafkalab does not read ${trustType?.value ?? 'JKS'} stores (keytool -exportcert -rfc converts one)`,
      );
    const inlineTrust = get('ssl.truststore.certificates');
    const ca = get('ssl.ca.location');
    if (inlineTrust) t.ca = inlineTrust.value;
    else if (trust) t.ca = readPem(trust.value, trust.where, 'ssl.truststore.location');
    else if (ca) t.ca = readPem(ca.value, ca.where, 'ssl.ca.location');
    const ksType = get('ssl.keystore.type');
    const ks = get('ssl.keystore.location');
    const chain = get('ssl.keystore.certificate.chain');
    const inlineKey = get('ssl.keystore.key');
    const certFile = get('ssl.certificate.location');
    const keyFile = get('ssl.key.location');
    if (chain || inlineKey) {
      if (!chain || !inlineKey)
        throw new UsageError(
          `${(chain ?? inlineKey)?.where}: ssl.keystore.certificate.chain and ssl.keystore.key go together`,
        );
      t.cert = chain.value;
      t.key = inlineKey.value;
    } else if (ks) {
      if ((ksType?.value.trim().toUpperCase() ?? 'JKS') !== 'PEM')
        throw new UsageError(
          `${ks.where}: ssl.keystore.location needs ssl.keystore.type=PEM (key and certificate chain in one file): kafkalab does not read ${ksType?.value ?? 'JKS'} stores`,
        );
      const pem = readPem(ks.value, ks.where, 'ssl.keystore.location');
      const blocks = pem.match(PEM_BLOCK) ?? [];
      const keys = blocks.filter((b) => /BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY/.test(b));
      const certs = blocks.filter((b) => b.startsWith('-----BEGIN CERTIFICATE-----'));
      if (keys.length !== 1 || certs.length === 0)
        throw new UsageError(
          `${ks.where}: ssl.keystore.location: a PEM keystore holds one PRIVATE KEY and its CERTIFICATE chain (found ${keys.length} and ${certs.length})`,
        );
      t.key = keys[0];
      t.cert = certs.join('\n');
    } else if (certFile || keyFile) {
      if (!certFile || !keyFile)
        throw new UsageError(
          `${(certFile ?? keyFile)?.where}: ssl.certificate.location and ssl.key.location go together`,
        );
      t.cert = readPem(certFile.value, certFile.where, 'ssl.certificate.location');
      t.key = readPem(keyFile.value, keyFile.where, 'ssl.key.location');
    }
    const keyPassword = get('ssl.key.password');
    if (keyPassword) t.passphrase = keyPassword.value;
    const eia = get('ssl.endpoint.identification.algorithm');
    if (eia) {
      const v = eia.value.trim().toLowerCase();
      if (v !== '' && v !== 'https')
        throw new UsageError(
          `${eia.where}: ssl.endpoint.identification.algorithm must be https or empty, not "${eia.value}"`,
        );
      t.endpointIdentification = v as 'https' | '';
    }
    out.tls = t;
  }
  return out;
}
