/**
 * One connection's SASL state on a SASL_PLAINTEXT or SASL_SSL listener, after Kafka's
 * SaslServerAuthenticator: before authentication a connection may send ApiVersions (once) and
 * SaslHandshake, then only SaslAuthenticate until the mechanism completes; any other request closes
 * the connection without an answer. Frames are limited to sasl.server.max.receive.size until then.
 *
 * SaslHandshake v0 (before KIP-152) switches the connection to raw tokens: the next frames are the
 * mechanism's bytes with a 4-byte length and no Kafka header, answered the same way (`rawToken`).
 *
 * A failed login is answered after connection.failed.authentication.delay.ms and the connection is
 * then closed (Kafka delays both, so that a client cannot guess passwords quickly).
 *
 * KIP-368: with connections.max.reauth.ms the session lasts that long (sessionLifetimeMs in the
 * SaslAuthenticate answer, on the cluster's clock); past it any request other than a new SaslHandshake
 * closes the connection. A SaslHandshake on an authenticated connection starts re-authentication,
 * which must keep the mechanism and the principal.
 */
import type { SaslAuthenticateResponse } from '../../protocol/messages/36-sasl-authenticate.js';
import { SCRAM_MECHANISMS, type ScramMechanismName } from '../../protocol/sasl/scram.js';
import type { SaslMechanismName, SaslSettings } from './config.js';
import { OAuthBearerServer, unsecuredValidatorOptions } from './oauthbearer.js';
import {
  PlainServer,
  SaslFailure,
  type SaslServerMechanism,
  SaslUnexpectedError,
  ScramServer,
} from './sasl-mechanisms.js';
import type { ScramCredentials } from './scram-credentials.js';

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
const NONE = 0;
const UNSUPPORTED_SASL_MECHANISM = 33;
const ILLEGAL_SASL_STATE = 34;
const SASL_AUTHENTICATION_FAILED = 58;

type State = 'initial' | 'handshake' | 'authenticate' | 'complete' | 'failed';

/** What the server and the SASL handlers see of a connection's security (ConnectionInfo.security). */
export interface ConnectionSecurity {
  /** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
  readonly protocol: string;
  readonly listener: string;
  /** `User:ANONYMOUS` until a SASL login (or a client certificate) says who it is. */
  principal: string;
  /** Set on SASL listeners. */
  readonly sasl?: SaslSession;
}

export interface SaslSessionOptions {
  settings: SaslSettings;
  listener: string;
  credentials: ScramCredentials;
  now: () => number;
  /** Raises the frame limit to socket.request.max.bytes once authenticated. */
  authenticated: () => void;
}

export class SaslSession {
  private state: State = 'initial';
  private mechanism: SaslServerMechanism | undefined;
  private mechanismName: string | undefined;
  /** Set while re-authenticating: the mechanism and principal that must not change. */
  private previous: { mechanism: string; principal: string } | undefined;
  private badReauthMechanism: string | undefined;
  /** Handshake v0: the next frames are raw SASL tokens. */
  rawTokens = false;
  /** A reason to close once the answer being written has gone out. */
  closeAfterResponse: string | undefined;
  principal: string | undefined;
  /** Cluster time after which the session has expired (connections.max.reauth.ms, a token's exp). */
  expiresAt: number | undefined;
  private expiryReason = '';
  /** Something the trace should say about the last round (why OAUTHBEARER refused a token). */
  notice: string | undefined;

  constructor(private readonly o: SaslSessionOptions) {}

  get authenticated(): boolean {
    return this.state === 'complete';
  }

  get enabledMechanisms(): string[] {
    return this.o.settings.mechanisms;
  }

  get failedAuthDelayMs(): number {
    return this.o.settings.failedAuthDelayMs;
  }

  /** Why a request must close the connection instead of being handled, or undefined to go on. */
  refuse(apiKey: number, apiName: string): string | undefined {
    switch (this.state) {
      case 'initial':
        if (apiKey === API_VERSIONS) {
          this.state = 'handshake';
          return undefined;
        }
        if (apiKey === SASL_HANDSHAKE) return undefined;
        return (
          `Unexpected Kafka request of type ${apiName} during SASL handshake (Invalid request, potential reasons: ` +
          'kafka client configured with the wrong security protocol, it does not support KIP-43 or it is not a kafka client)'
        );
      case 'handshake':
        if (apiKey === SASL_HANDSHAKE) return undefined;
        if (apiKey === API_VERSIONS)
          return 'Unexpected ApiVersions request received during SASL authentication state HANDSHAKE_REQUEST';
        return `Unexpected Kafka request of type ${apiName} during SASL handshake.`;
      case 'authenticate':
        if (apiKey === SASL_AUTHENTICATE) return undefined;
        return `Unexpected Kafka request of type ${apiName} during SASL authentication.`;
      case 'complete':
        if (apiKey === SASL_HANDSHAKE) return undefined;
        if (this.expiresAt !== undefined && this.o.now() >= this.expiresAt)
          return `the SASL session of ${this.principal} expired (${this.expiryReason}) and the client sent ${apiName} without re-authenticating`;
        return undefined;
      default:
        return 'SASL authentication failed';
    }
  }

  /** SaslHandshake: picks the mechanism (or starts re-authentication on an authenticated connection). */
  handshake(mechanism: string, version: number): { errorCode: number; mechanisms: string[] } {
    const mechanisms = this.o.settings.mechanisms;
    if (this.state === 'complete') {
      // KIP-368 re-authentication: same mechanism required, checked at the SaslAuthenticate that follows.
      this.previous = { mechanism: this.mechanismName as string, principal: this.principal as string };
      this.badReauthMechanism =
        mechanism === this.mechanismName
          ? undefined
          : `SASL mechanism '${mechanism}' requested by client is not supported for re-authentication of mechanism '${this.mechanismName}'`;
    } else if (this.state !== 'initial' && this.state !== 'handshake') {
      return { errorCode: ILLEGAL_SASL_STATE, mechanisms };
    }
    if (!mechanisms.includes(mechanism as SaslMechanismName)) {
      this.state = 'failed';
      this.closeAfterResponse = `Unsupported SASL mechanism ${mechanism}`;
      return { errorCode: UNSUPPORTED_SASL_MECHANISM, mechanisms };
    }
    this.mechanismName = mechanism;
    this.mechanism = this.createMechanism(mechanism as SaslMechanismName);
    this.state = 'authenticate';
    this.rawTokens = version === 0;
    return { errorCode: NONE, mechanisms };
  }

  private createMechanism(name: SaslMechanismName): SaslServerMechanism {
    if (name === 'OAUTHBEARER')
      return new OAuthBearerServer(
        this.o.settings.oauthBearer.get(this.o.listener) ?? unsecuredValidatorOptions({}),
        this.o.now,
      );
    if (name === 'PLAIN') {
      const forListener = this.o.settings.plainUsers.get(this.o.listener);
      const plainOnly = this.o.settings.mechanismUsers.get('PLAIN');
      return new PlainServer(
        (user) => forListener?.get(user) ?? plainOnly?.get(user) ?? this.o.settings.users.get(user),
      );
    }
    const m = SCRAM_MECHANISMS[name as ScramMechanismName];
    return new ScramServer(
      m,
      (user) => this.o.credentials.get(user, m.name),
      this.o.settings.scramNonceCheck,
    );
  }

  private get during(): string {
    return this.previous ? 're-authentication' : 'authentication';
  }

  /**
   * One SaslAuthenticate round. Resolves to the answer; on failure `closeAfterResponse` is set and
   * the answer comes after the failed-authentication delay (`sleep`, which ends early when the
   * connection closes). Undefined: close now without an answer (`closeAfterResponse` says why).
   */
  async authenticate(
    authBytes: Buffer,
    version: number,
    sleep: (ms: number) => Promise<void>,
  ): Promise<SaslAuthenticateResponse | undefined> {
    if (this.state !== 'authenticate' || !this.mechanism) {
      return {
        errorCode: ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received after successful authentication',
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0n,
      };
    }
    try {
      const { challenge, complete } = this.evaluate(authBytes);
      const lifetime = complete ? this.complete() : 0;
      return {
        errorCode: NONE,
        // Kafka's SaslAuthenticateResponseData default: '' (not null), seen from Kafka 4.1.1.
        errorMessage: '',
        authBytes: challenge,
        sessionLifetimeMs: BigInt(lifetime),
      };
    } catch (err) {
      if (err instanceof SaslUnexpectedError) {
        this.state = 'failed';
        this.closeAfterResponse = `SASL ${this.during} failed (Kafka: an unexpected exception, no answer): ${err.message}`;
        return undefined;
      }
      if (!(err instanceof SaslFailure)) throw err;
      this.state = 'failed';
      this.closeAfterResponse = `SASL ${this.during} failed: ${err.message}`;
      await sleep(this.o.settings.failedAuthDelayMs);
      void version;
      return {
        errorCode: SASL_AUTHENTICATION_FAILED,
        errorMessage:
          err.clientMessage ??
          `Authentication failed during ${this.during} due to invalid credentials with SASL mechanism ${this.mechanismName}`,
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0n,
      };
    }
  }

  private evaluate(token: Buffer): { challenge: Buffer; complete: boolean } {
    if (this.badReauthMechanism) throw new SaslFailure(this.badReauthMechanism, this.badReauthMechanism);
    const mechanism = this.mechanism as SaslServerMechanism;
    this.notice = undefined;
    const result = mechanism.evaluate(token);
    if (mechanism instanceof OAuthBearerServer && !result.complete && mechanism.refusal)
      this.notice = `OAUTHBEARER token refused: ${mechanism.refusal}; answered ${result.challenge.toString('utf8')}`;
    if (result.complete && this.previous) {
      const now = `User:${mechanism.authorizationId}`;
      if (now !== this.previous.principal) {
        const [, before] = this.previous.principal.split(':');
        const m = `Cannot change principals during re-authentication from User.${before}: User.${mechanism.authorizationId}`;
        throw new SaslFailure(m, m);
      }
    }
    return result;
  }

  /** Marks the login done; returns the session lifetime to tell the client (0: no expiry). */
  private complete(): number {
    this.state = 'complete';
    this.principal = `User:${this.mechanism?.authorizationId}`;
    this.previous = undefined;
    this.rawTokens = false;
    // KIP-368 (SaslServerAuthenticator.calcCompletionTimesAndReturnSessionLifetimeMs): a credential
    // with an expiry (an OAUTHBEARER token's exp) bounds the session even when
    // connections.max.reauth.ms is not set; with both, the sooner wins; never below 0.
    const now = this.o.now();
    const reauth = this.o.settings.reauthMs;
    const credentialExpiry =
      this.mechanism instanceof OAuthBearerServer ? this.mechanism.credentialExpiresAtMs : undefined;
    let lifetime = 0;
    if (credentialExpiry !== undefined) {
      const untilExpiry = Math.max(0, credentialExpiry - now);
      lifetime = reauth > 0 ? Math.min(untilExpiry, reauth) : untilExpiry;
      this.expiryReason =
        reauth > 0 && reauth < untilExpiry
          ? `connections.max.reauth.ms=${reauth}`
          : `the token's exp ${new Date(credentialExpiry).toISOString()}`;
    } else if (reauth > 0) {
      lifetime = reauth;
      this.expiryReason = `connections.max.reauth.ms=${reauth}`;
    }
    this.expiresAt = credentialExpiry !== undefined || reauth > 0 ? now + lifetime : undefined;
    this.o.authenticated();
    return lifetime;
  }

  /**
   * A raw token after SaslHandshake v0: the challenge to write back (empty when the mechanism has
   * nothing to say), or undefined to close — v0 has no way to tell the client why.
   */
  rawToken(token: Buffer): Buffer | undefined {
    try {
      const { challenge, complete } = this.evaluate(token);
      if (complete) this.complete();
      return challenge;
    } catch (err) {
      if (!(err instanceof SaslFailure) && !(err instanceof SaslUnexpectedError)) throw err;
      this.state = 'failed';
      this.closeAfterResponse = `SASL ${this.during} failed: ${err.message}`;
      return undefined;
    }
  }
}
