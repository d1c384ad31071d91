/**
 * Throwaway certificates for tests and learners: a CA, a broker certificate it signed (for localhost
 * and 127.0.0.1) and a client certificate it signed (for mTLS, `ssl.client.auth=required`), all PEM —
 * the form Kafka takes with `ssl.keystore.type=PEM` and librdkafka/kcat with `ssl.ca.location`.
 *
 * Keys come from Node's crypto (RSA 2048: fast in OpenSSL, slow in pure JS); node-forge only builds
 * and signs the X.509 structures, so no ASN.1 is written by hand here.
 */
import { createPrivateKey, generateKeyPair, type KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** forge has getTBSCertificate; its type definitions leave it out. */
interface TbsApi {
  getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1;
}

export interface PemPair {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS#8 PEM, unencrypted. */
  key: string;
}

export interface TestCertificates {
  ca: PemPair;
  broker: PemPair;
  client: PemPair;
}

export interface CertOptions {
  /** DNS names and IP addresses the broker certificate is valid for (default localhost, 127.0.0.1, ::1). */
  brokerHosts?: string[];
  /** Common name of the client certificate: the mTLS principal is `User:CN=<this>` (default `client`). */
  clientName?: string;
  /**
   * The client certificate's whole subject instead, in certificate order (the DN lists it the other
   * way round): forge's attribute form, e.g. `{ shortName: 'OU', value: 'eng' }`.
   */
  clientSubject?: SubjectAttribute[];
  /** Days the certificates are valid (default 30). */
  days?: number;
}

export interface SubjectAttribute {
  /** forge's names: commonName, organizationName, emailAddress, ... */
  name?: string;
  /** CN, OU, O, L, ST, C. */
  shortName?: string;
  /** An OID. */
  type?: string;
  value: string;
}

interface Keys {
  privateKey: KeyObject;
  publicKey: forge.pki.PublicKey;
  pem: string;
}

const generateRsa = promisify(generateKeyPair);

/** On libuv's thread pool, so the three keys are made in parallel and the event loop keeps running. */
async function keyPair(): Promise<Keys> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey: forge.pki.publicKeyFromPem(spki), pem };
}

function build(options: {
  subject: string | SubjectAttribute[];
  publicKey: forge.pki.PublicKey;
  issuer?: forge.pki.Certificate;
  signingKey: KeyObject;
  days: number;
  extensions: object[];
}): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = options.publicKey;
  // A positive serial (high bit clear), random so two runs' certificates never collide in a trust store.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  c.serialNumber = serial.toString('hex');
  const now = Date.now();
  c.validity.notBefore = new Date(now - 60_000);
  c.validity.notAfter = new Date(now + options.days * 86_400_000);
  const attrs =
    typeof options.subject === 'string'
      ? [{ name: 'commonName', value: options.subject }]
      : options.subject.map((a) =>
          // Outside ASCII a value must be a UTF8String (forge would write a PrintableString).
          [...a.value].every((ch) => ch.charCodeAt(0) < 0x80)
            ? a
            : {
                ...a,
                value: forge.util.encodeUtf8(a.value),
                // forge types the field as a tag class; it holds the value's universal tag.
                valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
              },
        );
  c.setSubject(attrs);
  c.setIssuer(options.issuer ? options.issuer.subject.attributes : attrs);
  c.setExtensions(options.extensions);
  // Signed by OpenSSL rather than forge's pure-JS RSA (which took ~0.4 s a certificate): forge
  // gives the to-be-signed part as DER, Node signs it, and forge writes the signature back in.
  c.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  c.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = forge.asn1.toDer((forge.pki as unknown as TbsApi).getTBSCertificate(c)).getBytes();
  c.signature = sign('sha256', Buffer.from(tbs, 'binary'), options.signingKey).toString('binary');
  return c;
}

/** A CA and the broker and client certificates it signed. Most of the time is three RSA keys. */
export async function generateTestCertificates(options: CertOptions = {}): Promise<TestCertificates> {
  const days = options.days ?? 30;
  const hosts = options.brokerHosts ?? ['localhost', '127.0.0.1', '::1'];
  const [caKeys, brokerKeys, clientKeys] = await Promise.all([keyPair(), keyPair(), keyPair()]);
  const ca = build({
    subject: 'kafkalab test CA',
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    days,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const leaf = (k: Keys, subject: string | SubjectAttribute[], usage: object, altNames?: object[]) => {
    const cert = build({
      subject,
      publicKey: k.publicKey,
      issuer: ca,
      signingKey: caKeys.privateKey,
      days,
      extensions: leafExtensions(usage, altNames),
    });
    return { cert: forge.pki.certificateToPem(cert), key: k.pem };
  };
  const altNames = hosts.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  return {
    ca: { cert: forge.pki.certificateToPem(ca), key: caKeys.pem },
    broker: leaf(brokerKeys, 'localhost', { serverAuth: true, clientAuth: true }, altNames),
    client: leaf(clientKeys, options.clientSubject ?? options.clientName ?? 'client', { clientAuth: true }),
  };
}

/**
 * One more client certificate from a CA made here (the `ca` pair of generateTestCertificates): for a
 * test that needs several mTLS clients one broker trusts.
 */
export async function issueClientCertificate(
  ca: PemPair,
  subject: SubjectAttribute[],
  days = 30,
): Promise<PemPair> {
  const keys = await keyPair();
  const cert = build({
    subject,
    publicKey: keys.publicKey,
    issuer: forge.pki.certificateFromPem(ca.cert),
    signingKey: createPrivateKey(ca.key),
    days,
    extensions: leafExtensions({ clientAuth: true }),
  });
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

/** A broker's or client's certificate: not a CA, TLS key usages, the hosts it is valid for. */
function leafExtensions(usage: object, altNames?: object[]): object[] {
  return [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', ...usage },
    ...(altNames ? [{ name: 'subjectAltName', altNames }] : []),
  ];
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * The file names `kafkalab certs --out DIR` writes. The `*-keystore.pem` files hold a key, its
 * certificate and the CA in one, the form Kafka takes with `ssl.keystore.type=PEM` (broker and Java
 * clients); librdkafka takes the key and certificate apart (`ssl.key.location`,
 * `ssl.certificate.location`).
 */
export const CERT_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  brokerCert: 'broker.pem',
  brokerKey: 'broker-key.pem',
  brokerKeystore: 'broker-keystore.pem',
  clientCert: 'client.pem',
  clientKey: 'client-key.pem',
  clientKeystore: 'client-keystore.pem',
} as const;

/** Writes the certificates into `dir` (created if missing); keys are readable by the owner only. */
export function writeTestCertificates(
  dir: string,
  certs: TestCertificates,
): Record<keyof typeof CERT_FILES, string> {
  mkdirSync(dir, { recursive: true });
  const content: Record<keyof typeof CERT_FILES, string> = {
    caCert: certs.ca.cert,
    caKey: certs.ca.key,
    brokerCert: certs.broker.cert,
    brokerKey: certs.broker.key,
    brokerKeystore: certs.broker.key + certs.broker.cert + certs.ca.cert,
    clientCert: certs.client.cert,
    clientKey: certs.client.key,
    clientKeystore: certs.client.key + certs.client.cert + certs.ca.cert,
  };
  const paths = {} as Record<keyof typeof CERT_FILES, string>;
  for (const [k, name] of Object.entries(CERT_FILES) as [keyof typeof CERT_FILES, string][]) {
    const path = join(dir, name);
    const secret = k.endsWith('Key') || k.endsWith('Keystore');
    writeFileSync(path, content[k], { mode: secret ? 0o600 : 0o644 });
    paths[k] = path;
  }
  return paths;
}
