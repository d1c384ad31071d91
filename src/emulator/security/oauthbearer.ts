/**
 * The broker side of SASL OAUTHBEARER with Kafka's unsecured validator — what a broker does with
 * no `sasl.server.callback.handler.class` (OAuthBearerSaslServer with
 * OAuthBearerUnsecuredValidatorCallbackHandler): the token is an unsigned JWS, `header.claims.`, its
 * header `{"alg":"none"}`; the claims must hold the principal (`sub`, or the JAAS option
 * unsecuredValidatorPrincipalClaimName) as a string and `exp`, `iat` (if present) must not lie in
 * the future and `exp` not in the past, beyond unsecuredValidatorAllowableClockSkewMs, and the scope
 * (`scope`, or unsecuredValidatorScopeClaimName) must hold every item of
 * unsecuredValidatorRequiredScope.
 *
 * A token that fails is not refused at once: the answer is the JSON challenge
 * `{"status":"invalid_token"}` (`insufficient_scope` with the required scope for a scope failure),
 * the client sends `\x01`, and only then the login fails with SASL_AUTHENTICATION_FAILED and that
 * JSON as its message (RFC 7628 §3.2.2). Why the token failed is told to the trace only, as Kafka
 * tells its log only.
 *
 * Kafka quirk kept: the parts are decoded with Java's basic base64 alphabet (`+` `/`, padding
 * optional), although tokens are base64url — a token whose claims encode to `-` or `_` is refused
 * as "malformed Base64 URL encoded value", by Kafka 4.1.1 as here.
 */
import {
  formatErrorChallenge,
  OAuthBearerFormatError,
  OAuthBearerSchemeError,
  parseClientInitialResponse,
} from '../../protocol/sasl/oauthbearer.js';
import { SaslFailure, type SaslServerMechanism, SaslUnexpectedError } from './sasl-mechanisms.js';

/** The JAAS options of the listener's OAuthBearerLoginModule that the unsecured validator reads. */
export interface UnsecuredValidatorOptions {
  principalClaimName: string;
  scopeClaimName: string;
  requiredScope: string[];
  allowableClockSkewMs: number;
}

const SCOPE_ITEM = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** From JAAS options (`unsecuredValidator*`), checked as Kafka checks them; throws with its message. */
export function unsecuredValidatorOptions(options: Record<string, string>): UnsecuredValidatorOptions {
  const blankOr = (v: string | undefined, d: string) => (v === undefined || v.trim() === '' ? d : v.trim());
  const requiredScope: string[] = [];
  for (const item of (options.unsecuredValidatorRequiredScope ?? '').trim().split(' ')) {
    if (item === '') continue;
    if (!SCOPE_ITEM.test(item)) throw new Error(`Invalid scope value: ${item}`);
    requiredScope.push(item);
  }
  const skew = blankOr(options.unsecuredValidatorAllowableClockSkewMs, '0');
  if (!/^[+-]?\d+$/.test(skew) || Math.abs(Number(skew)) > 2 ** 31 - 1)
    throw new Error(`For input string: "${skew}" (unsecuredValidatorAllowableClockSkewMs)`);
  if (Number(skew) < 0) throw new Error(`Allowable clock skew millis must not be negative: ${skew}`);
  return {
    principalClaimName: blankOr(options.unsecuredValidatorPrincipalClaimName, 'sub'),
    scopeClaimName: blankOr(options.unsecuredValidatorScopeClaimName, 'scope'),
    requiredScope,
    allowableClockSkewMs: Number(skew),
  };
}

/** A token the validator refuses: why (for the trace) and the scope to name in the challenge. */
class IllegalToken extends Error {
  constructor(
    reason: string,
    readonly failureScope?: string,
  ) {
    super(reason);
  }
}

type Claim = string | number | string[];

/** Java's Base64.getDecoder(): the basic alphabet only, padding optional but correct if given. */
function javaBase64(part: string): Buffer {
  const m = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(part);
  const data = m?.[1] ?? '';
  const pad = m?.[2].length ?? 0;
  if (!m || data.length % 4 === 1 || (pad > 0 && (data.length + pad) % 4 !== 0))
    throw new IllegalToken('malformed Base64 URL encoded value');
  return Buffer.from(data, 'base64');
}

/** A JSON object as Kafka's toMap reads it: numbers stay numbers, arrays become text lists. */
function toMap(part: string): Map<string, Claim> {
  const bytes = javaBase64(part);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new IllegalToken('malformed JSON');
  }
  const out = new Map<string, Claim>();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  // Jackson's asText(): an object is '', null 'null', a boolean 'true'/'false'.
  const text = (v: unknown): string =>
    typeof v === 'string' ? v : v === null ? 'null' : typeof v === 'object' ? '' : String(v);
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out.set(k, Array.isArray(v) ? v.map(text) : typeof v === 'number' ? v : text(v));
  return out;
}

/** Java's getSimpleName() of what a claim holds, for the trace. */
function javaType(v: Claim): string {
  if (Array.isArray(v)) return 'ArrayList';
  if (typeof v === 'string') return 'String';
  if (!Number.isInteger(v)) return 'Double';
  return Math.abs(v) <= 2 ** 31 - 1 ? 'Integer' : 'Long';
}

export interface UnsecuredJws {
  principal: string;
  scope: Set<string>;
  /** exp, in ms since the epoch. */
  expiresAtMs: number;
  issuedAtMs: number | undefined;
  claims: Map<string, Claim>;
}

/** OAuthBearerUnsecuredJws: parses and checks the token's shape; throws IllegalToken. */
export function parseUnsecuredJws(token: string, o: UnsecuredValidatorOptions): UnsecuredJws {
  if (token.includes('..')) throw new IllegalToken("Malformed compact serialization contains '..'");
  // Java's split drops trailing empty parts; a final '.' then adds one back.
  const parts = token.split('.');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (token.endsWith('.')) parts.push('');
  if (parts.length !== 3)
    throw new IllegalToken(
      'Unsecured JWS compact serializations must have 3 dot-separated Base64URL-encoded values',
    );
  const header = toMap(parts[0]);
  const claims = toMap(parts[1]);
  const alg = header.get('alg');
  // Kafka: a NullPointerException out of the validator, which closes the connection unanswered.
  if (alg === undefined)
    throw new SaslUnexpectedError('java.lang.NullPointerException: JWS header must have an Algorithm value');
  if (String(alg) !== 'none') throw new IllegalToken("Unsecured JWS must have 'none' for an algorithm");
  if (parts[2] !== '') throw new IllegalToken('Unsecured JWS must not contain a digital signature');
  const claim = <T extends 'String' | 'Number' | 'List'>(name: string, type: T) => {
    const v = claims.get(name);
    if (v === undefined) return undefined;
    const ok =
      type === 'String'
        ? typeof v === 'string'
        : type === 'Number'
          ? typeof v === 'number'
          : Array.isArray(v);
    if (!ok) throw new IllegalToken(`The '${name}' claim was not of type ${type}: ${javaType(v)}`);
    return v as T extends 'String' ? string : T extends 'Number' ? number : string[];
  };
  const scope = new Set<string>();
  const rawScope = claims.get(o.scopeClaimName);
  if (typeof rawScope === 'string') {
    if (rawScope.trim() !== '') scope.add(rawScope.trim());
  } else {
    for (const s of claim(o.scopeClaimName, 'List') ?? []) if (s.trim() !== '') scope.add(s.trim());
  }
  const exp = claim('exp', 'Number');
  if (exp === undefined) throw new IllegalToken('No expiration time in JWT');
  const principal = claim(o.principalClaimName, 'String');
  if (principal === undefined || principal.trim() === '')
    throw new IllegalToken(`No principal name in JWT claim: ${o.principalClaimName}`);
  const iat = claim('iat', 'Number');
  return {
    principal,
    scope,
    expiresAtMs: Math.round(exp * 1000),
    issuedAtMs: iat === undefined ? undefined : Math.round(iat * 1000),
    claims,
  };
}

/** Java's %f: six decimals. */
const f6 = (n: number) => n.toFixed(6);

/** OAuthBearerUnsecuredValidatorCallbackHandler: the token, or IllegalToken with Kafka's reason. */
export function validateUnsecuredJws(
  token: string,
  o: UnsecuredValidatorOptions,
  nowMs: number,
): UnsecuredJws {
  const jws = parseUnsecuredJws(token, o);
  const skew = o.allowableClockSkewMs;
  const iat = jws.claims.get('iat') as number | undefined;
  const exp = jws.claims.get('exp') as number;
  if (iat !== undefined && 1000 * iat > nowMs + skew)
    throw new IllegalToken(
      `The Issued At value (${f6(iat)} seconds) was after the indicated time (${nowMs} ms) plus allowable clock skew (${skew} ms)`,
    );
  if (nowMs - skew >= 1000 * exp)
    throw new IllegalToken(
      `The indicated time (${nowMs} ms) minus allowable clock skew (${skew} ms) was on or after the Expiration Time value (${f6(exp)} seconds)`,
    );
  if (iat !== undefined && exp <= iat)
    throw new IllegalToken(
      `The Expiration Time time (${f6(exp)} seconds) was not after the Issued At time (${f6(iat)} seconds)`,
    );
  for (const required of o.requiredScope) {
    if (!jws.scope.has(required))
      throw new IllegalToken(
        `The provided scope ([${[...jws.scope].join(', ')}]) was missing a required scope (${required}).  All required scope elements: [${o.requiredScope.join(', ')}]`,
        `[${o.requiredScope.join(', ')}]`,
      );
  }
  return jws;
}

/** OAUTHBEARER: one client message, or two when the token is refused (the JSON challenge, then `\x01`). */
export class OAuthBearerServer implements SaslServerMechanism {
  readonly name = 'OAUTHBEARER';
  authorizationId: string | undefined;
  /** The token's exp (ms since the epoch) once complete: KIP-368 bounds the session by it. */
  credentialExpiresAtMs: number | undefined;
  /** Extensions the client sent (KIP-342); the unsecured validator accepts them all. */
  extensions: Record<string, string> = {};
  /** The JSON challenge sent for a refused token, awaiting the client's `\x01`. */
  private errorMessage: string | undefined;
  /** Why the last token was refused (Kafka logs it at debug level; the client is not told). */
  refusal: string | undefined;

  constructor(
    private readonly options: UnsecuredValidatorOptions,
    private readonly now: () => number,
  ) {}

  evaluate(token: Buffer): { challenge: Buffer; complete: boolean } {
    if (token.length === 1 && token[0] === 0x01 && this.errorMessage !== undefined)
      throw new SaslFailure(`the client acknowledged the error ${this.errorMessage}`, this.errorMessage);
    this.errorMessage = undefined;
    this.refusal = undefined;
    let first: ReturnType<typeof parseClientInitialResponse>;
    try {
      first = parseClientInitialResponse(token);
    } catch (err) {
      if (err instanceof OAuthBearerSchemeError)
        throw new SaslUnexpectedError(
          `java.lang.IllegalArgumentException: No group with name <scheme> (${err.message})`,
        );
      if (err instanceof OAuthBearerFormatError) throw new SaslFailure(err.message);
      throw err;
    }
    let jws: UnsecuredJws;
    try {
      jws = validateUnsecuredJws(first.token, this.options, this.now());
    } catch (err) {
      if (!(err instanceof IllegalToken)) throw err;
      this.errorMessage = formatErrorChallenge(
        err.failureScope !== undefined ? 'insufficient_scope' : 'invalid_token',
        err.failureScope,
      );
      this.refusal = err.message;
      return { challenge: Buffer.from(this.errorMessage, 'utf8'), complete: false };
    }
    if (first.authorizationId !== '' && first.authorizationId !== jws.principal) {
      const m = `Authentication failed: Client requested an authorization id (${first.authorizationId}) that is different from the token's principal name (${jws.principal})`;
      throw new SaslFailure(m, m);
    }
    this.authorizationId = jws.principal;
    this.credentialExpiresAtMs = jws.expiresAtMs;
    this.extensions = first.extensions;
    return { challenge: Buffer.alloc(0), complete: true };
  }
}
