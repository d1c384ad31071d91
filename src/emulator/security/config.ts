/**
 * The emulator's security settings by Kafka's broker property names: which listeners there are and
 * which security protocol each speaks (`listeners`, `listener.security.protocol.map`), the SASL
 * mechanisms (`sasl.enabled.mechanisms`) and users, re-authentication (`connections.max.reauth.ms`,
 * KIP-368) and TLS (`ssl.keystore.*`, `ssl.truststore.*`, `ssl.client.auth`).
 *
 * They come as name → value strings (EmulatorConfig.security, filled by `--override name=value` or
 * `startEmulator({ security: { ... } })`) and are checked here, at start, with Kafka's wording where
 * Kafka has one.
 *
 * Users: PLAIN users as Kafka's broker takes them, `user_<name>="<password>"` entries of
 * `listener.name.<listener>.plain.sasl.jaas.config`; SCRAM users are created in Kafka with
 * `kafka-storage format --add-scram` or AlterUserScramCredentials, which the emulator serves too. For
 * tests, `sasl.users=alice:alice-secret,bob:bob-secret` (an emulator setting, not Kafka's) gives each
 * user that password for every enabled mechanism.
 */

import { readFileSync } from 'node:fs';
import { parseJaasConfig } from '../../protocol/sasl/jaas.js';
import { unsecuredLoginToken } from '../../protocol/sasl/oauthbearer.js';
import { authorizerSettings } from './authorizer-config.js';
import { type UnsecuredValidatorOptions, unsecuredValidatorOptions } from './oauthbearer.js';
import { type PrincipalMapper, PrincipalMappingError, principalMapper } from './principal-mapping.js';
import type { ScramNonceCheck } from './sasl-mechanisms.js';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
const PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

export type SaslMechanismName = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER';
const MECHANISMS: readonly SaslMechanismName[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'];
/** Mechanisms whose users come from sasl.users (OAUTHBEARER's come from the token). */
const PASSWORD_MECHANISMS: readonly SaslMechanismName[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export class SecurityConfigError extends Error {}

export interface ListenerSpec {
  /** The listener name (`CLIENT`, or the protocol's name when the default map applies). */
  name: string;
  protocol: SecurityProtocol;
  /** Host to bind ('' in `listeners` → the emulator's host). */
  host: string;
  port: number;
}

export type ClientAuth = 'none' | 'requested' | 'required';

/** What Node's tls.createServer needs, read from the ssl.* settings. */
export interface TlsSettings {
  /** PEM certificate chain and key, or a PKCS12 bundle. */
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
  /** Trusted CAs for client certificates (PEM). */
  ca?: string;
  clientAuth: ClientAuth;
}

export interface SaslSettings {
  mechanisms: SaslMechanismName[];
  /** PLAIN users per listener name (upper case), from the listener's JAAS config, plus sasl.users. */
  plainUsers: Map<string, Map<string, string>>;
  /** sasl.users `name:password`: name → password, for every enabled mechanism. */
  users: Map<string, string>;
  /** sasl.users `name:password:MECHANISM`: users of that mechanism only. */
  mechanismUsers: Map<SaslMechanismName, Map<string, string>>;
  /** connections.max.reauth.ms: 0 = sessions do not expire. */
  reauthMs: number;
  /** sasl.server.max.receive.size: the largest frame accepted before authentication (Kafka 524288). */
  maxReceiveBytes: number;
  /** connection.failed.authentication.delay.ms: how long a failed login waits before its answer and close. */
  failedAuthDelayMs: number;
  /** sasl.scram.nonce.check (emulator setting): `equals` as Kafka 4.x, `endsWith` as Kafka 3.8.1-3.9. */
  scramNonceCheck: ScramNonceCheck;
  /**
   * OAUTHBEARER's unsecured validator per listener name (upper case), from the `unsecuredValidator*`
   * options of `listener.name.<listener>.oauthbearer.sasl.jaas.config`; a listener without one
   * validates with the defaults (sub, scope, no required scope, no clock skew).
   */
  oauthBearer: Map<string, UnsecuredValidatorOptions>;
}

/** A listener's address in `advertised.listeners` (port 0: the bound one; host '': the bound one). */
export interface AdvertisedListener {
  host: string;
  port: number;
}

export interface SecuritySettings {
  listeners: ListenerSpec[];
  /** advertised.listeners by listener name: what Metadata tells a client that came in on that listener. */
  advertised: Map<string, AdvertisedListener>;
  sasl: SaslSettings;
  /** Undefined when no listener uses TLS, or when none was configured (a throwaway one is then made). */
  tls?: TlsSettings;
  clientAuth: ClientAuth;
  /** ssl.principal.mapping.rules: an mTLS client's DN → its principal name (default DEFAULT). */
  principalMapper: PrincipalMapper;
}

/** Fixed names this module reads; `listener.name.<l>.<mech>.sasl.jaas.config` is matched by pattern. */
export const SECURITY_PROPERTY_NAMES = [
  'listeners',
  'advertised.listeners',
  'listener.security.protocol.map',
  'sasl.enabled.mechanisms',
  'sasl.users',
  'sasl.scram.nonce.check',
  'connections.max.reauth.ms',
  'sasl.server.max.receive.size',
  'connection.failed.authentication.delay.ms',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.client.auth',
  'ssl.principal.mapping.rules',
  // The authorizer's (security/authorizer-config.ts).
  'authorizer.class.name',
  'super.users',
  'allow.everyone.if.no.acl.found',
] as const;

const JAAS_KEY = /^listener\.name\.([^.]+)\.([a-z0-9-]+)\.sasl\.jaas\.config$/i;

/** Whether `name` is a setting this module takes (so broker-properties.ts routes it here). */
export function isSecurityProperty(name: string): boolean {
  return (SECURITY_PROPERTY_NAMES as readonly string[]).includes(name) || JAAS_KEY.test(name);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function intSetting(props: Record<string, string>, name: string, fallback: number): number {
  const v = props[name];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim()) || Number(v) > Number.MAX_SAFE_INTEGER)
    throw new SecurityConfigError(`Invalid value ${v} for configuration ${name}: Not a number of type LONG`);
  return Number(v);
}

/** `listeners` with `listener.security.protocol.map`, as Kafka's SocketServerConfigs reads them. */
export function parseListeners(
  props: Record<string, string>,
  defaults: { host: string; port: number },
): ListenerSpec[] {
  if (props.listeners === undefined) {
    return [{ name: 'PLAINTEXT', protocol: 'PLAINTEXT', host: defaults.host, port: defaults.port }];
  }
  const map = new Map<string, SecurityProtocol>(PROTOCOLS.map((p) => [p, p]));
  if (props['listener.security.protocol.map'] !== undefined) {
    map.clear();
    for (const entry of list(props['listener.security.protocol.map'])) {
      const [name, protocol, extra] = entry.split(':').map((s) => s.trim());
      const p = protocol?.toUpperCase() as SecurityProtocol;
      if (!name || extra !== undefined || !PROTOCOLS.includes(p))
        throw new SecurityConfigError(
          `Invalid value ${props['listener.security.protocol.map']} for configuration listener.security.protocol.map: ` +
            `"${entry}" is not LISTENER_NAME:${PROTOCOLS.join('|')}`,
        );
      map.set(name.toUpperCase(), p);
    }
  }
  const out: ListenerSpec[] = [];
  for (const entry of list(props.listeners)) {
    const m = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(entry);
    if (!m)
      throw new SecurityConfigError(
        `Invalid value ${props.listeners} for configuration listeners: "${entry}" is not NAME://host:port`,
      );
    const name = m[1].toUpperCase();
    const protocol = map.get(name);
    if (!protocol)
      throw new SecurityConfigError(
        `No security protocol defined for listener ${name} (listener.security.protocol.map)`,
      );
    if (out.some((l) => l.name === name))
      throw new SecurityConfigError(
        `Each listener must have a different name, listeners: ${props.listeners}`,
      );
    const port = Number(m[3]);
    if (port > 65535) throw new SecurityConfigError(`listener ${name}: port ${port} is out of range`);
    const host = m[2].replace(/^\[|\]$/g, '') || defaults.host;
    out.push({ name, protocol, host, port });
  }
  if (out.length === 0)
    throw new SecurityConfigError('listeners is empty: give at least one NAME://host:port');
  return out;
}

/** `advertised.listeners=NAME://host:port,...`: every name must be a listener. */
function parseAdvertised(
  value: string | undefined,
  listeners: ListenerSpec[],
): Map<string, AdvertisedListener> {
  const out = new Map<string, AdvertisedListener>();
  for (const entry of list(value)) {
    const m = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(entry);
    if (!m)
      throw new SecurityConfigError(
        `Invalid value ${value} for configuration advertised.listeners: "${entry}" is not NAME://host:port`,
      );
    const name = m[1].toUpperCase();
    if (!listeners.some((l) => l.name === name))
      throw new SecurityConfigError(
        `advertised.listeners listener names must be equal to or a subset of the ones defined in listeners: ${name} is not`,
      );
    const port = Number(m[3]);
    if (port > 65535)
      throw new SecurityConfigError(`advertised.listeners ${name}: port ${port} is out of range`);
    out.set(name, { host: m[2].replace(/^\[|\]$/g, ''), port });
  }
  return out;
}

function readPem(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SecurityConfigError(`${setting}=${path}: cannot read the file: ${(err as Error).message}`);
  }
}

/** A PEM keystore file holds the private key and the certificate chain together (Kafka's PEM type). */
function splitPemKeystore(pem: string, setting: string): { cert: string; key: string } {
  const blocks = pem.match(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  const key = blocks.filter((b) => /BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY/.test(b));
  const certs = blocks.filter((b) => b.startsWith('-----BEGIN CERTIFICATE-----'));
  if (key.length !== 1 || certs.length === 0)
    throw new SecurityConfigError(
      `${setting}: a PEM keystore needs one PRIVATE KEY and at least one CERTIFICATE block (found ${key.length} and ${certs.length})`,
    );
  return { key: key[0], cert: certs.join('\n') };
}

function tlsSettings(props: Record<string, string>, clientAuth: ClientAuth): TlsSettings | undefined {
  const out: TlsSettings = { clientAuth };
  const type = (props['ssl.keystore.type'] ?? 'JKS').toUpperCase();
  const location = props['ssl.keystore.location'];
  const inlineChain = props['ssl.keystore.certificate.chain'];
  const inlineKey = props['ssl.keystore.key'];
  const keyPassword = props['ssl.key.password'];
  if (inlineChain !== undefined || inlineKey !== undefined) {
    if (inlineChain === undefined || inlineKey === undefined)
      throw new SecurityConfigError(
        'ssl.keystore.certificate.chain and ssl.keystore.key must be given together',
      );
    out.cert = inlineChain;
    out.key = inlineKey;
    out.passphrase = keyPassword;
  } else if (location !== undefined) {
    if (type === 'PEM' || (props['ssl.keystore.type'] === undefined && /\.pem$/i.test(location))) {
      Object.assign(
        out,
        splitPemKeystore(readPem(location, 'ssl.keystore.location'), 'ssl.keystore.location'),
      );
      out.passphrase = keyPassword;
    } else if (type === 'PKCS12') {
      try {
        out.pfx = readFileSync(location);
      } catch (err) {
        throw new SecurityConfigError(`ssl.keystore.location=${location}: ${(err as Error).message}`);
      }
      out.passphrase = props['ssl.keystore.password'];
    } else {
      throw new SecurityConfigError(
        `ssl.keystore.type=${type} is not supported by the emulator: use PEM or PKCS12 (keytool -importkeystore converts a JKS store)`,
      );
    }
  } else {
    return undefined;
  }
  const trustType = (props['ssl.truststore.type'] ?? 'PEM').toUpperCase();
  if (props['ssl.truststore.certificates'] !== undefined) out.ca = props['ssl.truststore.certificates'];
  else if (props['ssl.truststore.location'] !== undefined) {
    if (trustType !== 'PEM')
      throw new SecurityConfigError(
        `ssl.truststore.type=${trustType} is not supported by the emulator: use PEM`,
      );
    out.ca = readPem(props['ssl.truststore.location'], 'ssl.truststore.location');
  }
  return out;
}

/** Checks and reads every security setting; throws SecurityConfigError naming the setting. */
export function resolveSecurity(
  props: Record<string, string>,
  defaults: { host: string; port: number },
): SecuritySettings {
  for (const name of Object.keys(props)) {
    if (!isSecurityProperty(name)) throw new SecurityConfigError(`unknown security setting "${name}"`);
  }
  const listeners = parseListeners(props, defaults);
  authorizerSettings(props); // checked now; state/acls.ts reads them when first asked
  const sasl = listeners.some((l) => l.protocol.startsWith('SASL_'));
  const mechanisms = list(props['sasl.enabled.mechanisms']).map((m) => m.toUpperCase());
  for (const m of mechanisms) {
    if (!MECHANISMS.includes(m as SaslMechanismName))
      throw new SecurityConfigError(
        `sasl.enabled.mechanisms: ${m} is not served by the emulator (it has ${MECHANISMS.join(', ')})`,
      );
  }
  if (sasl && mechanisms.length === 0)
    throw new SecurityConfigError(
      `a SASL listener needs sasl.enabled.mechanisms (Kafka's default, GSSAPI, is not served by the emulator): e.g. ${MECHANISMS.join(',')}`,
    );
  const users = new Map<string, string>();
  const mechanismUsers = new Map<SaslMechanismName, Map<string, string>>();
  for (const entry of list(props['sasl.users'])) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new SecurityConfigError(`sasl.users: "${entry}" is not name:password[:MECHANISM]`);
    const name = entry.slice(0, colon);
    let password = entry.slice(colon + 1);
    // A last `:PLAIN` / `:SCRAM-SHA-256` / `:SCRAM-SHA-512` limits the user to that mechanism.
    const last = password.lastIndexOf(':');
    const suffix = last >= 0 ? password.slice(last + 1).toUpperCase() : '';
    if (PASSWORD_MECHANISMS.includes(suffix as SaslMechanismName)) {
      password = password.slice(0, last);
      const m = suffix as SaslMechanismName;
      if (!mechanisms.includes(m))
        throw new SecurityConfigError(
          `sasl.users: ${name} is for ${m}, which is not in sasl.enabled.mechanisms`,
        );
      const forMechanism = mechanismUsers.get(m) ?? new Map<string, string>();
      forMechanism.set(name, password);
      mechanismUsers.set(m, forMechanism);
    } else {
      users.set(name, password);
    }
  }
  const plainUsers = new Map<string, Map<string, string>>();
  const oauthBearer = new Map<string, UnsecuredValidatorOptions>();
  for (const [name, value] of Object.entries(props)) {
    const m = JAAS_KEY.exec(name);
    if (!m) continue;
    const listener = m[1].toUpperCase();
    const mechanism = m[2].toUpperCase();
    if (!listeners.some((l) => l.name === listener))
      throw new SecurityConfigError(`${name}: there is no listener ${listener} in listeners`);
    let jaas: ReturnType<typeof parseJaasConfig>;
    try {
      jaas = parseJaasConfig(value);
    } catch (err) {
      throw new SecurityConfigError(`${name}: ${(err as Error).message}`);
    }
    if (mechanism === 'OAUTHBEARER') {
      try {
        // Kafka reads these at each login and fails that login; the emulator refuses them at start.
        oauthBearer.set(listener, unsecuredValidatorOptions(jaas.options));
      } catch (err) {
        throw new SecurityConfigError(`${name}: ${(err as Error).message}`);
      }
      try {
        // The broker logs in too (its own token, for inter-broker use): Kafka refuses to start when
        // there are options but they make no token (no unsecuredLoginStringClaim_sub, say).
        if (Object.keys(jaas.options).length > 0) unsecuredLoginToken(jaas.options, Date.now());
      } catch (err) {
        throw new SecurityConfigError(
          `${name}: An internal error occurred while retrieving token from callback handler: ${(err as Error).message} (the broker's own login; add unsecuredLoginStringClaim_sub="<broker principal>")`,
        );
      }
      continue;
    }
    if (mechanism !== 'PLAIN') continue; // SCRAM's broker JAAS holds only inter-broker credentials.
    const forListener = plainUsers.get(listener) ?? new Map<string, string>();
    for (const [k, v] of Object.entries(jaas.options))
      if (k.startsWith('user_')) forListener.set(k.slice(5), v);
    plainUsers.set(listener, forListener);
  }
  const clientAuthValue = (props['ssl.client.auth'] ?? 'none').trim().toLowerCase();
  if (!['none', 'requested', 'required'].includes(clientAuthValue))
    throw new SecurityConfigError(
      `Invalid value ${props['ssl.client.auth']} for configuration ssl.client.auth: String must be one of: required, requested, none`,
    );
  const clientAuth = clientAuthValue as ClientAuth;
  const nonceCheck = props['sasl.scram.nonce.check']?.trim() ?? 'equals';
  if (nonceCheck !== 'equals' && nonceCheck !== 'endsWith')
    throw new SecurityConfigError(
      `Invalid value ${nonceCheck} for configuration sasl.scram.nonce.check: String must be one of: equals, endsWith`,
    );
  return {
    listeners,
    advertised: parseAdvertised(props['advertised.listeners'], listeners),
    sasl: {
      mechanisms: mechanisms as SaslMechanismName[],
      plainUsers,
      users,
      mechanismUsers,
      reauthMs: intSetting(props, 'connections.max.reauth.ms', 0),
      maxReceiveBytes: intSetting(props, 'sasl.server.max.receive.size', 524_288),
      failedAuthDelayMs: intSetting(props, 'connection.failed.authentication.delay.ms', 100),
      scramNonceCheck: nonceCheck,
      oauthBearer,
    },
    tls: tlsSettings(props, clientAuth),
    clientAuth,
    principalMapper: principalMappingRules(props['ssl.principal.mapping.rules']),
  };
}

/** Kafka refuses to start on a bad rule (ConfigException), naming it. */
function principalMappingRules(rules: string | undefined): PrincipalMapper {
  try {
    return principalMapper(rules ?? 'DEFAULT');
  } catch (err) {
    if (!(err instanceof PrincipalMappingError)) throw err;
    throw new SecurityConfigError(
      `Invalid value ${rules} for configuration ssl.principal.mapping.rules: ${err.message}`,
    );
  }
}
