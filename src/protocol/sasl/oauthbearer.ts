/**
 * SASL OAUTHBEARER (RFC 7628) as Kafka speaks it (KIP-255): the client's one message is a GS2 header
 * (`n,,` or `n,a=<authzid>,`), then `\x01`-separated `key=value` pairs — `auth=Bearer <token>` and
 * any SASL extensions (KIP-342) — and a last `\x01`. A refused token is answered with a JSON error
 * (`{"status":"invalid_token"}`), which the client acknowledges with a lone `\x01` before the server
 * fails the login (RFC 7628 §3.2.3).
 *
 * Also here: the unsecured token Kafka's OAuthBearerUnsecuredLoginCallbackHandler makes from its
 * JAAS options (`unsecuredLoginStringClaim_sub="alice"` ...): header `{"alg":"none"}`, the claims,
 * each base64url without padding, and an empty signature — `header.claims.`. For tests and
 * development only: anybody can write such a token.
 */

export const OAUTHBEARER_LOGIN_MODULE = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule';
/** The client's answer to an error challenge (RFC 7628 §3.2.3). */
export const CONTROL_A = 0x01;

export class OAuthBearerFormatError extends Error {}
/** An auth scheme other than Bearer. */
export class OAuthBearerSchemeError extends OAuthBearerFormatError {}

export interface ClientInitialResponse {
  /** The GS2 authzid ('' when none), as sent (`=2C` / `=3D` not unescaped, as Kafka keeps it). */
  authorizationId: string;
  token: string;
  extensions: Record<string, string>;
}

// OAuthBearerClientInitialResponse's patterns: saslname, extension keys and values, the auth value.
const SASLNAME = '(?:[\\x01-\\x2B\\x2D-\\x3C\\x3E-\\x7F]|=2C|=3D)+';
const KEY = '[A-Za-z]+';
const VALUE = '[\\x21-\\x7E \\t\\r\\n]+';
const INITIAL_RESPONSE = new RegExp(`^n,(?:a=(${SASLNAME}))?,\\x01((?:${KEY}=${VALUE}\\x01)*)\\x01$`);
const AUTH = /^(\w+) +([-_~+/.a-zA-Z0-9]+=*)$/;
const EXTENSION_KEY = new RegExp(`^${KEY}$`);
const EXTENSION_VALUE = new RegExp(`^${VALUE}$`);

/** Reads a client first message as Kafka's OAuthBearerClientInitialResponse does, or throws. */
export function parseClientInitialResponse(bytes: Buffer): ClientInitialResponse {
  const m = INITIAL_RESPONSE.exec(bytes.toString('utf8'));
  if (!m) throw new OAuthBearerFormatError('Invalid OAUTHBEARER client first message');
  const pairs = new Map<string, string>();
  for (const kv of m[2].split('\x01')) {
    if (kv === '') continue;
    const eq = kv.indexOf('=');
    pairs.set(kv.slice(0, eq), kv.slice(eq + 1)); // a key given twice: the last wins (a HashMap)
  }
  const auth = pairs.get('auth');
  if (auth === undefined)
    throw new OAuthBearerFormatError("Invalid OAUTHBEARER client first message: 'auth' not specified");
  pairs.delete('auth');
  const a = AUTH.exec(auth);
  if (!a) throw new OAuthBearerFormatError("Invalid OAUTHBEARER client first message: invalid 'auth' format");
  // Kafka 4.1.1 builds this message from a group its pattern does not have: the
  // IllegalArgumentException ("No group with name <scheme>") closes the connection unanswered.
  if (a[1].toLowerCase() !== 'bearer')
    throw new OAuthBearerSchemeError(`Invalid scheme in OAUTHBEARER client first message: ${a[1]}`);
  return { authorizationId: m[1] ?? '', token: a[2], extensions: Object.fromEntries(pairs) };
}

/** Checks extension names and values as Kafka's client does before sending them. */
export function checkExtensions(extensions: Record<string, string>): void {
  for (const [k, v] of Object.entries(extensions)) {
    if (k === 'auth' || !EXTENSION_KEY.test(k))
      throw new OAuthBearerFormatError(`Extension name ${k} is invalid`);
    if (!EXTENSION_VALUE.test(v))
      throw new OAuthBearerFormatError(`Extension value (${v}) for extension ${k} is invalid`);
  }
}

/** The client first message: `n,[a=authzid],\x01auth=Bearer TOKEN[\x01k=v...]\x01\x01`. */
export function formatClientInitialResponse(
  token: string,
  extensions: Record<string, string> = {},
  authorizationId = '',
): Buffer {
  checkExtensions(extensions);
  const ext = Object.entries(extensions)
    .map(([k, v]) => `\x01${k}=${v}`)
    .join('');
  const authzid = authorizationId === '' ? '' : `a=${authorizationId}`;
  return Buffer.from(`n,${authzid},\x01auth=Bearer ${token}${ext}\x01\x01`, 'utf8');
}

/** The server's error challenge (RFC 7628 §3.2.2), formatted as OAuthBearerSaslServer writes it. */
export function formatErrorChallenge(status: string, scope?: string, openidConfiguration?: string): string {
  let s = `{"status":"${status}"`;
  if (scope !== undefined) s += `, "scope":"${scope}"`;
  if (openidConfiguration !== undefined) s += `, "openid-configuration":"${openidConfiguration}"`;
  return `${s}}`;
}

// --- The unsecured login: Kafka's OAuthBearerUnsecuredLoginCallbackHandler ---

const LOGIN = 'unsecuredLogin';
const STRING_CLAIM = `${LOGIN}StringClaim_`;
const NUMBER_CLAIM = `${LOGIN}NumberClaim_`;
const LIST_CLAIM = `${LOGIN}ListClaim_`;
const EXTENSION = `${LOGIN}Extension_`;

export interface UnsecuredLogin {
  token: string;
  /** `unsecuredLoginExtension_<name>` options. */
  extensions: Record<string, string>;
  /** The principal claim's value. */
  principal: string;
}

/** JSON string text with `"` and `\` escaped, and nothing else (as the Java handler escapes). */
const jsonText = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A Java double's toString for the seconds values (`1.7E9` style is not produced for these). */
function javaDouble(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/**
 * `unsecuredLoginListClaim_<name>` values: the first character is the delimiter, e.g. `,a,b` is
 * ["a","b"]; an empty element (a leading, trailing or doubled delimiter) adds one "" at the end.
 */
function listClaim(value: string): string {
  if (value.length <= 1) return '[]';
  const d = value[0];
  const rest = value.slice(1);
  const parts = rest.split(d);
  // Java's String.split drops trailing empty strings.
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const out = parts.map(jsonText);
  if (rest.startsWith(d) || rest.endsWith(d) || rest.includes(d + d)) out.push('""');
  return `[${out.join(',')}]`;
}

/**
 * Builds the unsecured token from OAuthBearerLoginModule's options (`nowMs` the current time):
 * `exp` = now + unsecuredLoginLifetimeSeconds (default 3600), `iat` = now, string, number and list
 * claims from their options, the principal claim (`unsecuredLoginPrincipalClaimName`, default sub)
 * required. Throws with Kafka's message for a reserved or missing claim.
 */
export function unsecuredLoginToken(options: Record<string, string>, nowMs: number): UnsecuredLogin {
  const keys = Object.keys(options);
  if (keys.length === 0)
    throw new OAuthBearerFormatError(
      'OAuthBearerLoginModule has no options: give unsecuredLoginStringClaim_sub="<principal>" (or a token provider)',
    );
  if (keys.every((k) => k.startsWith(EXTENSION)))
    throw new OAuthBearerFormatError('Extensions provided in login context without a token');
  const principalClaim = options[`${LOGIN}PrincipalClaimName`]?.trim() || 'sub';
  const lifetime = options[`${LOGIN}LifetimeSeconds`] ?? '3600';
  if (!/^[+-]?\d+$/.test(lifetime))
    throw new OAuthBearerFormatError(`For input string: "${lifetime}" (unsecuredLoginLifetimeSeconds)`);
  const now = nowMs / 1000;
  const claims = [`"exp":${javaDouble(now + Number(lifetime))}`, `"iat":${javaDouble(now)}`];
  const reserved = (name: string) => {
    if (name === 'iat' || name === 'exp')
      throw new OAuthBearerFormatError(`Cannot explicitly set the '${name}' claim`);
    return name;
  };
  let principal: unknown;
  for (const [k, v] of Object.entries(options)) {
    for (const [prefix, kind] of [
      [STRING_CLAIM, 's'],
      [NUMBER_CLAIM, 'n'],
      [LIST_CLAIM, 'l'],
    ] as const) {
      if (!k.startsWith(prefix) || k.length === prefix.length) continue;
      const name = reserved(k.slice(prefix.length));
      if (kind === 's') claims.push(`${jsonText(name)}:${jsonText(v)}`);
      else if (kind === 'l') claims.push(`${jsonText(name)}:${listClaim(v)}`);
      else {
        const n = Number(v);
        if (v.trim() === '' || Number.isNaN(n))
          throw new OAuthBearerFormatError(`For input string: "${v}" (${k})`);
        claims.push(`${jsonText(name)}:${javaDouble(n)}`);
      }
      if (name === principalClaim) principal = kind === 's' ? v : undefined;
    }
  }
  if (typeof principal !== 'string' || principal.trim() === '')
    throw new OAuthBearerFormatError(`No principal name in JWT claim: ${principalClaim}`);
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const extensions: Record<string, string> = {};
  for (const [k, v] of Object.entries(options))
    if (k.startsWith(EXTENSION)) extensions[k.slice(EXTENSION.length)] = v;
  checkExtensions(extensions);
  return {
    token: `${b64('{"alg":"none"}')}.${b64(`{${claims.join(',')}}`)}.`,
    extensions,
    principal,
  };
}
