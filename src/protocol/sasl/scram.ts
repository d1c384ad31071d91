/**
 * SCRAM (RFC 5802) with SHA-256 and SHA-512 (RFC 7677) as Kafka uses it (KIP-84): the four messages'
 * text forms and the key derivation, shared by the client (src/client/security) and the emulator's
 * server side (src/emulator/security). Only Node's crypto: pbkdf2 is RFC 5802's Hi(), HMAC and the
 * hash are the mechanism's.
 *
 * Kafka supports no channel binding (its gs2 header is always `n,,` or `n,a=<authzid>,`) and one
 * extension, `tokenauth` (delegation tokens), which the emulator does not serve.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface ScramMechanism {
  name: ScramMechanismName;
  /** Node's hash name. */
  hash: 'sha256' | 'sha512';
  /** Digest length in bytes: also the salted password's length. */
  keyLength: number;
  /** Kafka's ScramMechanism.minIterations: fewer is refused when creating or using a credential. */
  minIterations: number;
  /** The int8 of DescribeUserScramCredentials / AlterUserScramCredentials (KIP-554). */
  type: 1 | 2;
}

export const SCRAM_MECHANISMS: Readonly<Record<ScramMechanismName, ScramMechanism>> = {
  'SCRAM-SHA-256': { name: 'SCRAM-SHA-256', hash: 'sha256', keyLength: 32, minIterations: 4096, type: 1 },
  'SCRAM-SHA-512': { name: 'SCRAM-SHA-512', hash: 'sha512', keyLength: 64, minIterations: 4096, type: 2 },
};

/** Kafka's limit for AlterUserScramCredentials and kafka-configs (ScramMechanism: 16384). */
export const SCRAM_MAX_ITERATIONS = 16384;

export function scramMechanism(name: string): ScramMechanism | undefined {
  return Object.hasOwn(SCRAM_MECHANISMS, name) ? SCRAM_MECHANISMS[name as ScramMechanismName] : undefined;
}

export function scramMechanismByType(type: number): ScramMechanism | undefined {
  return Object.values(SCRAM_MECHANISMS).find((m) => m.type === type);
}

/** What a broker stores for one user and mechanism: never the password. */
export interface ScramCredential {
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
  iterations: number;
}

function hmac(m: ScramMechanism, key: Buffer, text: string | Buffer): Buffer {
  return createHmac(m.hash, key).update(text).digest();
}

/** Hi(password, salt, i) of RFC 5802: PBKDF2 with the mechanism's HMAC. */
export function saltedPassword(
  m: ScramMechanism,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m.keyLength, m.hash);
}

export function clientKey(m: ScramMechanism, salted: Buffer): Buffer {
  return hmac(m, salted, 'Client Key');
}

export function serverKey(m: ScramMechanism, salted: Buffer): Buffer {
  return hmac(m, salted, 'Server Key');
}

export function storedKey(m: ScramMechanism, key: Buffer): Buffer {
  return createHash(m.hash).update(key).digest();
}

/** The credential for a salted password (what AlterUserScramCredentials carries). */
export function credentialFromSalted(
  m: ScramMechanism,
  salted: Buffer,
  salt: Buffer,
  iterations: number,
): ScramCredential {
  return { salt, iterations, storedKey: storedKey(m, clientKey(m, salted)), serverKey: serverKey(m, salted) };
}

/** A new credential from a password, with a random salt as Kafka's ScramFormatter makes one. */
export function credentialFromPassword(
  m: ScramMechanism,
  password: string,
  iterations: number,
): ScramCredential {
  const salt = randomBytes(32);
  return credentialFromSalted(m, saltedPassword(m, password, salt, iterations), salt, iterations);
}

/** A printable nonce (RFC 5802: any printable ASCII but ','). */
export function scramNonce(): string {
  return randomBytes(24).toString('base64url');
}

/** saslname of RFC 5802: ',' and '=' escaped as =2C and =3D. */
export function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** The reverse of escapeSaslName; undefined when an '=' is not =2C or =3D (the RFC says fail). */
export function unescapeSaslName(name: string): string | undefined {
  if (/=(?!2C|3D)/.test(name)) return undefined;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export class ScramFormatError extends Error {}

/** `key=value` attributes of a SCRAM message, in order. */
function attributes(text: string, what: string): [string, string][] {
  return text.split(',').map((part) => {
    const m = /^([A-Za-z])=(.*)$/s.exec(part);
    if (!m) throw new ScramFormatError(`Invalid SCRAM ${what} format: attribute "${part}" is not key=value`);
    return [m[1], m[2]];
  });
}

export interface ClientFirstMessage {
  /** `a=` of the gs2 header ('' when absent). */
  authorizationId: string;
  /** The user name, unescaped. */
  username: string;
  nonce: string;
  /** Extensions after the nonce (Kafka's `tokenauth=true`, ...). */
  extensions: Record<string, string>;
  /** client-first-message-bare: what the AuthMessage starts with. */
  bare: string;
  /** The gs2 header (`n,,`): base64 of it is the final message's channel binding. */
  gs2Header: string;
}

export function formatClientFirst(username: string, nonce: string, authorizationId = ''): string {
  const gs2 = `n,${authorizationId ? `a=${escapeSaslName(authorizationId)}` : ''},`;
  return `${gs2}n=${escapeSaslName(username)},r=${nonce}`;
}

export function parseClientFirst(text: string): ClientFirstMessage {
  const m = /^n,(a=[^,]*)?,(.*)$/s.exec(text);
  if (!m)
    throw new ScramFormatError(
      'Invalid SCRAM client first message format: expected gs2 header "n,," or "n,a=..."',
    );
  const bare = m[2];
  const attrs = attributes(bare, 'client first message');
  if (attrs.length < 2 || attrs[0][0] !== 'n' || attrs[1][0] !== 'r')
    throw new ScramFormatError('Invalid SCRAM client first message format: expected n=<user>,r=<nonce>');
  const username = unescapeSaslName(attrs[0][1]);
  const authz = m[1] ? unescapeSaslName(m[1].slice(2)) : '';
  if (username === undefined || authz === undefined)
    throw new ScramFormatError('Invalid SCRAM client first message format: bad =XX escape in a name');
  if (attrs[1][1] === '')
    throw new ScramFormatError('Invalid SCRAM client first message format: empty nonce');
  const extensions: Record<string, string> = {};
  for (const [k, v] of attrs.slice(2)) extensions[k] = v;
  return {
    authorizationId: authz,
    username,
    nonce: attrs[1][1],
    extensions,
    bare,
    gs2Header: text.slice(0, text.length - bare.length),
  };
}

export interface ServerFirstMessage {
  /** Client nonce followed by the server's. */
  nonce: string;
  salt: Buffer;
  iterations: number;
  text: string;
}

export function formatServerFirst(nonce: string, salt: Buffer, iterations: number): string {
  return `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
}

export function parseServerFirst(text: string): ServerFirstMessage {
  const attrs = attributes(text, 'server first message');
  const get = (k: string) => attrs.find(([key]) => key === k)?.[1];
  const error = get('e');
  if (error !== undefined) throw new ScramFormatError(`the server refused the login: ${error}`);
  const nonce = get('r');
  const salt = get('s');
  const i = get('i');
  if (!nonce || salt === undefined || !i || !/^\d+$/.test(i))
    throw new ScramFormatError('Invalid SCRAM server first message format: expected r=,s=,i=');
  return { nonce, salt: Buffer.from(salt, 'base64'), iterations: Number(i), text };
}

export interface ClientFinalMessage {
  channelBinding: string;
  nonce: string;
  proof: Buffer;
  /** client-final-message-without-proof: the AuthMessage's last part. */
  withoutProof: string;
}

export function parseClientFinal(text: string): ClientFinalMessage {
  const m = /^(c=([^,]*),r=([^,]+)(?:,[^,]*)*),p=([A-Za-z0-9+/=]+)$/s.exec(text);
  if (!m) throw new ScramFormatError('Invalid SCRAM client final message format: expected c=,r=,...,p=');
  return { withoutProof: m[1], channelBinding: m[2], nonce: m[3], proof: Buffer.from(m[4], 'base64') };
}

/** AuthMessage of RFC 5802 §3. */
export function authMessage(
  clientFirstBare: string,
  serverFirst: string,
  clientFinalWithoutProof: string,
): string {
  return `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** The client's side of the final step: its proof for `auth`. */
export function clientProof(m: ScramMechanism, salted: Buffer, auth: string): Buffer {
  const key = clientKey(m, salted);
  return xor(key, hmac(m, storedKey(m, key), auth));
}

/** The server's check of a proof against a stored credential (constant time). */
export function verifyClientProof(
  m: ScramMechanism,
  cred: ScramCredential,
  auth: string,
  proof: Buffer,
): boolean {
  if (proof.length !== m.keyLength) return false;
  const key = xor(proof, hmac(m, cred.storedKey, auth));
  return timingSafeEqual(storedKey(m, key), cred.storedKey);
}

export function serverSignature(m: ScramMechanism, key: Buffer, auth: string): Buffer {
  return hmac(m, key, auth);
}

/** server-final-message: `v=<signature>` or `e=<error>`. */
export function parseServerFinal(text: string): { signature?: Buffer; error?: string } {
  if (text.startsWith('e=')) return { error: text.slice(2) };
  const m = /^v=([A-Za-z0-9+/=]+)(?:,.*)?$/s.exec(text);
  if (!m) throw new ScramFormatError('Invalid SCRAM server final message format: expected v=<signature>');
  return { signature: Buffer.from(m[1], 'base64') };
}
