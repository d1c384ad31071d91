/**
 * The client side of Kafka's security: TLS options for node:tls and the SASL login a connection
 * makes right after ApiVersions (KIP-43 SaslHandshake v1, then KIP-152 SaslAuthenticate rounds),
 * with PLAIN (RFC 4616), SCRAM-SHA-256/512 (RFC 5802/7677, the server signature checked) and
 * OAUTHBEARER (RFC 7628, KIP-255): the token from a provider callback called at each login (what
 * Java's sasl.login.callback.handler.class does), or, from OAuthBearerLoginModule's JAAS options
 * (`unsecuredLoginStringClaim_sub="alice"`), an unsecured token made as Java's
 * OAuthBearerUnsecuredLoginCallbackHandler makes it. A refused token is answered by the broker with
 * a JSON error challenge; the client acknowledges it with `\x01` (RFC 7628 §3.2.3) and the broker's
 * SASL_AUTHENTICATION_FAILED message (that JSON) becomes the AuthenticationError.
 *
 * `security.protocol` decides: SSL and SASL_SSL wrap the socket in TLS, SASL_PLAINTEXT and SASL_SSL
 * log in. Like Java's client, a failed login is not retried: it is an AuthenticationError.
 * KIP-368: when the broker gives the session a lifetime (connections.max.reauth.ms, or an
 * OAUTHBEARER token's exp), the connection logs in again before it ends (connection.ts; a token
 * provider is asked for a fresh token then). Not yet: GSSAPI.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type tls from 'node:tls';
import { SaslHandshake } from '../protocol/messages/17-sasl-handshake.js';
import { SaslAuthenticate } from '../protocol/messages/36-sasl-authenticate.js';
import {
  CONTROL_A,
  formatClientInitialResponse,
  OAUTHBEARER_LOGIN_MODULE,
  OAuthBearerFormatError,
  unsecuredLoginToken,
} from '../protocol/sasl/oauthbearer.js';
import { formatPlain } from '../protocol/sasl/plain.js';
import {
  authMessage,
  clientProof,
  formatClientFirst,
  parseServerFinal,
  parseServerFirst,
  ScramFormatError,
  saltedPassword,
  scramMechanism,
  serverKey,
  serverSignature,
} from '../protocol/sasl/scram.js';
import type { ApiSpec } from '../protocol/schema/declare.js';
import { KafkaClientError } from './errors.js';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = [
  'PLAINTEXT',
  'SSL',
  'SASL_PLAINTEXT',
  'SASL_SSL',
];

export type ClientSaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER';
export const CLIENT_SASL_MECHANISMS: readonly ClientSaslMechanism[] = [
  'PLAIN',
  'SCRAM-SHA-256',
  'SCRAM-SHA-512',
  'OAUTHBEARER',
];

/** PLAIN and SCRAM: a user name and password. */
export interface PasswordCredentials {
  mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  username: string;
  password: string;
  /** The authorization id (PLAIN's authzid, SCRAM's a=); Kafka wants it empty or the user name. */
  authorizationId?: string;
}

/** What an OAUTHBEARER token provider gives: the token and any SASL extensions (KIP-342). */
export interface OAuthBearerLoginToken {
  /** The bearer token (a JWT's compact form), sent as `auth=Bearer <token>`. */
  token: string;
  /** `key=value` extensions (keys letters only, values printable ASCII), e.g. Confluent Cloud's logicalCluster. */
  extensions?: Record<string, string>;
}

export interface OAuthBearerCredentials {
  mechanism: 'OAUTHBEARER';
  /** Called at each login (each new connection): fetch or refresh the token here. */
  tokenProvider?: () => OAuthBearerLoginToken | Promise<OAuthBearerLoginToken>;
  /**
   * OAuthBearerLoginModule's options (the key="value" pairs of sasl.jaas.config), when there is no
   * tokenProvider: an unsecured token is made from them, as Java's
   * OAuthBearerUnsecuredLoginCallbackHandler does — unsecuredLoginStringClaim_sub is the principal;
   * unsecuredLoginLifetimeSeconds, unsecuredLoginListClaim_scope, unsecuredLoginExtension_<key>.
   */
  unsecuredLoginOptions?: Record<string, string>;
  /** The GS2 authzid; Kafka wants it empty or the token's principal. */
  authorizationId?: string;
}

export type SaslCredentials = PasswordCredentials | OAuthBearerCredentials;

export interface ClientTlsOptions {
  /** Trusted CA certificates, PEM (ssl.truststore / ssl.ca.location); default Node's root CAs. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Client certificate chain and key, PEM, for mTLS (ssl.keystore). */
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  /**
   * ssl.endpoint.identification.algorithm: 'https' (default, as Kafka's clients) checks that the
   * broker's certificate names the host connected to; '' does not.
   */
  endpointIdentification?: 'https' | '';
}

export interface ClientSecurity {
  /** security.protocol; default SASL_SSL / SASL_PLAINTEXT / SSL / PLAINTEXT by what else is given. */
  protocol?: SecurityProtocol;
  tls?: ClientTlsOptions;
  sasl?: SaslCredentials;
}

/** A refused login: not retriable (Java's AuthenticationException). */
export class AuthenticationError extends KafkaClientError {
  override name = 'AuthenticationError';
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

export interface ResolvedSecurity {
  protocol: SecurityProtocol;
  tls?: ClientTlsOptions;
  sasl?: SaslCredentials;
}

/** Fills in the protocol and checks that it and the settings agree. */
export function resolveClientSecurity(s: ClientSecurity | undefined): ResolvedSecurity {
  const protocol =
    s?.protocol ?? (s?.sasl ? (s.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT') : s?.tls ? 'SSL' : 'PLAINTEXT');
  if (!SECURITY_PROTOCOLS.includes(protocol))
    throw new KafkaClientError(
      `security.protocol ${protocol} is not one of ${SECURITY_PROTOCOLS.join(', ')}`,
      {
        retriable: false,
      },
    );
  const sasl = protocol.startsWith('SASL_');
  if (sasl && !s?.sasl)
    throw new KafkaClientError(
      `security.protocol=${protocol} needs SASL credentials (sasl.mechanism, sasl.jaas.config)`,
      {
        retriable: false,
      },
    );
  if (s?.sasl && !CLIENT_SASL_MECHANISMS.includes(s.sasl.mechanism))
    throw new KafkaClientError(
      `sasl.mechanism ${s.sasl.mechanism} is not supported by kafkalab's client (it has ${CLIENT_SASL_MECHANISMS.join(', ')})`,
      { retriable: false },
    );
  if (s?.sasl?.mechanism === 'OAUTHBEARER' && !s.sasl.tokenProvider && !s.sasl.unsecuredLoginOptions)
    throw new KafkaClientError(
      `sasl.mechanism OAUTHBEARER needs a tokenProvider, or unsecuredLoginOptions (sasl.jaas.config=${OAUTHBEARER_LOGIN_MODULE} required unsecuredLoginStringClaim_sub="...";)`,
      { retriable: false },
    );
  return {
    protocol,
    tls: protocol.endsWith('SSL') ? (s?.tls ?? {}) : undefined,
    sasl: sasl ? s?.sasl : undefined,
  };
}

/** node:tls connect options for `host` (SNI only for names, as Java and Node do not send IPs). */
export function tlsConnectOptions(host: string, port: number, t: ClientTlsOptions): tls.ConnectionOptions {
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
  return {
    host,
    port,
    ca: t.ca,
    cert: t.cert,
    key: t.key,
    passphrase: t.passphrase,
    servername: isIp ? undefined : host,
    // An empty ssl.endpoint.identification.algorithm: the chain is still checked, the name is not.
    ...(t.endpointIdentification === '' ? { checkServerIdentity: () => undefined } : {}),
  };
}

type Send = (api: ApiSpec, version: number, body: unknown) => Promise<unknown>;

const NONE = 0;
const UNSUPPORTED_SASL_MECHANISM = 33;

interface HandshakeAnswer {
  errorCode: number;
  mechanisms: string[];
}
interface AuthenticateAnswer {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs?: bigint;
}

/**
 * Logs in on a connection that has done ApiVersions. `versions` is the broker's range per API key;
 * resolves to the session lifetime the broker gave (0: none).
 */
export async function saslLogin(
  send: Send,
  versionFor: (api: ApiSpec) => number,
  sasl: SaslCredentials,
  broker: string,
): Promise<bigint> {
  // v1: the tokens then travel in SaslAuthenticate requests (KIP-152), not as raw frames.
  const hs = (await send(SaslHandshake, Math.min(1, versionFor(SaslHandshake)), {
    mechanism: sasl.mechanism,
  })) as HandshakeAnswer;
  if (hs.errorCode === UNSUPPORTED_SASL_MECHANISM)
    throw new AuthenticationError(
      `${broker}: Unexpected handshake request with client mechanism ${sasl.mechanism}, enabled mechanisms are [${hs.mechanisms.join(', ')}]`,
    );
  if (hs.errorCode !== NONE)
    throw new AuthenticationError(`${broker}: SaslHandshake failed with error code ${hs.errorCode}`);
  const version = versionFor(SaslAuthenticate);
  let lifetime = 0n;
  const round = async (token: Buffer): Promise<Buffer> => {
    const a = (await send(SaslAuthenticate, version, { authBytes: token })) as AuthenticateAnswer;
    if (a.errorCode !== NONE)
      throw new AuthenticationError(
        `${broker}: ${a.errorMessage ?? `SASL authentication failed (error code ${a.errorCode})`}`,
      );
    lifetime = a.sessionLifetimeMs ?? 0n;
    return a.authBytes;
  };
  if (sasl.mechanism === 'PLAIN') {
    await round(formatPlain(sasl.username, sasl.password, sasl.authorizationId));
    return lifetime;
  }
  if (sasl.mechanism === 'OAUTHBEARER') {
    await oauthBearerLogin(round, sasl, broker);
    return lifetime;
  }
  const m = scramMechanism(sasl.mechanism);
  if (!m) throw new AuthenticationError(`unknown SASL mechanism ${sasl.mechanism}`);
  const nonce = randomBytes(24).toString('base64url');
  const first = formatClientFirst(sasl.username, nonce, sasl.authorizationId);
  try {
    const serverFirst = parseServerFirst((await round(Buffer.from(first, 'utf8'))).toString('utf8'));
    if (!serverFirst.nonce.startsWith(nonce) || serverFirst.nonce.length === nonce.length)
      throw new AuthenticationError(`${broker}: SCRAM server nonce does not extend the client's`);
    if (serverFirst.iterations < m.minIterations)
      throw new AuthenticationError(
        `${broker}: SCRAM iterations ${serverFirst.iterations} below the minimum ${m.minIterations} for ${m.name}`,
      );
    const salted = saltedPassword(m, sasl.password, serverFirst.salt, serverFirst.iterations);
    // RFC 5802: the final nonce is exactly the server-first one (librdkafka < 2.6.1 got this wrong).
    // gs2 header `n,,` or `n,a=<authzid>,` (no ',' inside: escaped); its base64 is the channel binding.
    const gs2End = first.indexOf(',', first.indexOf(',') + 1) + 1;
    const withoutProof = `c=${Buffer.from(first.slice(0, gs2End), 'utf8').toString('base64')},r=${serverFirst.nonce}`;
    const auth = authMessage(first.slice(gs2End), serverFirst.text, withoutProof);
    const proof = clientProof(m, salted, auth).toString('base64');
    const final = parseServerFinal(
      (await round(Buffer.from(`${withoutProof},p=${proof}`, 'utf8'))).toString('utf8'),
    );
    if (final.error !== undefined) throw new AuthenticationError(`${broker}: SCRAM failed: ${final.error}`);
    const expected = serverSignature(m, serverKey(m, salted), auth);
    if (
      !final.signature ||
      final.signature.length !== expected.length ||
      !timingSafeEqual(final.signature, expected)
    )
      throw new AuthenticationError(
        `${broker}: SCRAM server signature does not match: not the broker that holds the credential`,
      );
  } catch (err) {
    if (err instanceof ScramFormatError) throw new AuthenticationError(`${broker}: ${err.message}`);
    throw err;
  }
  return lifetime;
}

/** The token to send: the provider's, or an unsecured one from the login module's options. */
async function oauthBearerToken(
  sasl: OAuthBearerCredentials,
  broker: string,
): Promise<OAuthBearerLoginToken> {
  if (sasl.tokenProvider) {
    let t: OAuthBearerLoginToken;
    try {
      t = await sasl.tokenProvider();
    } catch (err) {
      throw new AuthenticationError(
        `${broker}: the OAUTHBEARER token provider failed: ${(err as Error).message}`,
      );
    }
    if (typeof t?.token !== 'string' || t.token === '')
      throw new AuthenticationError(`${broker}: the OAUTHBEARER token provider gave no token`);
    return t;
  }
  try {
    return unsecuredLoginToken(sasl.unsecuredLoginOptions ?? {}, Date.now());
  } catch (err) {
    throw new AuthenticationError(
      `${broker}: ${OAUTHBEARER_LOGIN_MODULE} options: ${(err as Error).message}`,
    );
  }
}

/**
 * One client message; an empty answer means logged in. A non-empty one is the broker's JSON error
 * (RFC 7628 §3.2.2): `\x01` acknowledges it and the broker then fails the login, whose message
 * round() throws (Java's OAuthBearerSaslClient does the same).
 */
async function oauthBearerLogin(
  round: (token: Buffer) => Promise<Buffer>,
  sasl: OAuthBearerCredentials,
  broker: string,
): Promise<void> {
  const { token, extensions } = await oauthBearerToken(sasl, broker);
  let first: Buffer;
  try {
    first = formatClientInitialResponse(token, extensions, sasl.authorizationId);
  } catch (err) {
    if (err instanceof OAuthBearerFormatError) throw new AuthenticationError(`${broker}: ${err.message}`);
    throw err;
  }
  const challenge = await round(first);
  if (challenge.length === 0) return;
  const error = challenge.toString('utf8');
  await round(Buffer.from([CONTROL_A]));
  throw new AuthenticationError(
    `${broker}: the broker refused the OAUTHBEARER token (${error}) but did not fail the login`,
  );
}
