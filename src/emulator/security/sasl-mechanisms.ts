/**
 * The server side of each SASL mechanism the emulator serves, as Kafka's PlainSaslServer and
 * ScramSaslServer behave: `evaluate` takes one client token and returns the challenge to send back,
 * or throws SaslFailure. Kafka tells the client a failure's own message only for the
 * SaslAuthenticationException cases (wrong PLAIN password, authorization id not the user); every
 * other failure (unknown SCRAM user, bad proof, malformed message) gets a standard message so that an
 * unauthenticated client learns nothing about which users exist — `clientMessage` undefined here.
 */
import { parsePlain } from '../../protocol/sasl/plain.js';
import {
  authMessage,
  type ClientFirstMessage,
  formatServerFirst,
  parseClientFinal,
  parseClientFirst,
  type ScramCredential,
  ScramFormatError,
  type ScramMechanism,
  scramNonce,
  serverSignature,
  verifyClientProof,
} from '../../protocol/sasl/scram.js';

export class SaslFailure extends Error {
  /** What the client is told (Kafka's SaslAuthenticationException); undefined: the standard text. */
  readonly clientMessage: string | undefined;
  constructor(detail: string, clientMessage?: string) {
    super(detail);
    this.clientMessage = clientMessage;
  }
}

/**
 * An exception Kafka's SaslServer lets escape unchecked (a NullPointerException, say): the broker
 * closes the connection at once, with no SaslAuthenticate answer and no failed-login delay.
 */
export class SaslUnexpectedError extends Error {}

export interface SaslServerMechanism {
  readonly name: string;
  evaluate(token: Buffer): { challenge: Buffer; complete: boolean };
  /** The authenticated user, once complete. */
  readonly authorizationId: string | undefined;
}

/** PLAIN: checks the password against the listener's configured users. */
export class PlainServer implements SaslServerMechanism {
  readonly name = 'PLAIN';
  authorizationId: string | undefined;

  constructor(private readonly passwordOf: (user: string) => string | undefined) {}

  evaluate(token: Buffer): { challenge: Buffer; complete: boolean } {
    const { authorizationId, username, password } = parsePlain(token);
    if (username === '') throw new SaslFailure('Authentication failed: username not specified');
    if (password === '') throw new SaslFailure('Authentication failed: password not specified');
    const expected = this.passwordOf(username);
    if (expected === undefined || expected !== password) {
      const m = 'Authentication failed: Invalid username or password';
      throw new SaslFailure(m, m);
    }
    if (authorizationId !== '' && authorizationId !== username) {
      const m = 'Authentication failed: Client requested an authorization id that is different from username';
      throw new SaslFailure(m, m);
    }
    this.authorizationId = username;
    return { challenge: Buffer.alloc(0), complete: true };
  }
}

type ScramState = 'first' | 'final' | 'complete' | 'failed';

/**
 * How the final message's nonce is checked against the server-first one (`sasl.scram.nonce.check`,
 * an emulator setting). RFC 5802 §5.1 says the two must be the same, and Kafka 4.x checks exactly that
 * (`equals`, the default). librdkafka before 2.6.1 (confluentinc/librdkafka#4895) sends its own nonce
 * again in front of the server's combined one; Kafka 3.8.1-3.9.x, which added the check for
 * CVE-2024-56128, let that through by testing only that the client's nonce ends with the server's
 * (`endsWith`). So kcat built on an older librdkafka fails SCRAM against Kafka 4.x and, by default,
 * against the emulator.
 */
export type ScramNonceCheck = 'equals' | 'endsWith';

/** librdkafka < 2.6.1's final nonce: its client nonce, then the server's (which starts with it). */
function isLibrdkafkaDoubledNonce(sent: string, clientNonce: string, serverNonce: string): boolean {
  return sent === clientNonce + serverNonce;
}

/** SCRAM-SHA-256/512: two rounds (client-first → server-first, client-final → server-final). */
export class ScramServer implements SaslServerMechanism {
  authorizationId: string | undefined;
  private state: ScramState = 'first';
  private first: ClientFirstMessage | undefined;
  private serverFirst = '';
  private nonce = '';
  private credential: ScramCredential | undefined;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly credentialOf: (user: string) => ScramCredential | undefined,
    private readonly nonceCheck: ScramNonceCheck = 'equals',
  ) {}

  get name(): string {
    return this.mechanism.name;
  }

  evaluate(token: Buffer): { challenge: Buffer; complete: boolean } {
    try {
      return this.step(token.toString('utf8'));
    } catch (err) {
      this.state = 'failed';
      this.credential = undefined;
      if (err instanceof SaslFailure) throw err;
      if (err instanceof ScramFormatError) throw new SaslFailure(err.message);
      throw err;
    }
  }

  private step(text: string): { challenge: Buffer; complete: boolean } {
    switch (this.state) {
      case 'first': {
        const first = parseClientFirst(text);
        if (first.extensions.tokenauth === 'true')
          throw new SaslFailure(`Token Authentication failed: Invalid tokenId : ${first.username}`);
        const credential = this.credentialOf(first.username);
        if (!credential) throw new SaslFailure('Authentication failed: Invalid user credentials');
        if (first.authorizationId !== '' && first.authorizationId !== first.username) {
          const m =
            'Authentication failed: Client requested an authorization id that is different from username';
          throw new SaslFailure(m, m);
        }
        if (credential.iterations < this.mechanism.minIterations)
          throw new SaslFailure(
            `Iterations ${credential.iterations} is less than the minimum ${this.mechanism.minIterations} for ${this.mechanism.name}`,
          );
        this.first = first;
        this.credential = credential;
        this.nonce = first.nonce + scramNonce();
        this.serverFirst = formatServerFirst(this.nonce, credential.salt, credential.iterations);
        this.authorizationId = first.username;
        this.state = 'final';
        return { challenge: Buffer.from(this.serverFirst, 'utf8'), complete: false };
      }
      case 'final': {
        const final = parseClientFinal(text);
        const first = this.first as ClientFirstMessage;
        const nonceOk =
          this.nonceCheck === 'equals' ? final.nonce === this.nonce : final.nonce.endsWith(this.nonce);
        if (!nonceOk) {
          // The client is not told more than Kafka tells it; the trace says what was wrong.
          const why = isLibrdkafkaDoubledNonce(final.nonce, first.nonce, this.nonce)
            ? ' (the client sent its own nonce again before the server-first nonce, as librdkafka before ' +
              '2.6.1 does; Kafka 4.x refuses it too; Kafka 3.8.1-3.9 accepted it: sasl.scram.nonce.check=endsWith)'
            : '';
          throw new SaslFailure(`Invalid client nonce in the final client message.${why}`);
        }
        const credential = this.credential as ScramCredential;
        const auth = authMessage(first.bare, this.serverFirst, final.withoutProof);
        if (!verifyClientProof(this.mechanism, credential, auth, final.proof))
          throw new SaslFailure('Invalid client credentials');
        const signature = serverSignature(this.mechanism, credential.serverKey, auth);
        this.credential = undefined;
        this.state = 'complete';
        return { challenge: Buffer.from(`v=${signature.toString('base64')}`, 'utf8'), complete: true };
      }
      default:
        throw new SaslFailure(`Unexpected challenge in Sasl server state ${this.state.toUpperCase()}`);
    }
  }
}
