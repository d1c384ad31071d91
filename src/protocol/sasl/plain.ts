/**
 * SASL PLAIN (RFC 4616): one message, `[authzid] NUL authcid NUL passwd`, UTF-8. Kafka's server
 * reads it by splitting at the first two NULs (see parsePlain).
 */
export function formatPlain(username: string, password: string, authorizationId = ''): Buffer {
  return Buffer.from(`${authorizationId}\u0000${username}\u0000${password}`, 'utf8');
}

/**
 * The three parts as Kafka's PlainSaslServer cuts them: up to three NUL-terminated pieces, a missing
 * one empty (so a token without NULs is all authorization id and no user name) and anything after a
 * third NUL dropped.
 */
export function parsePlain(token: Buffer): { authorizationId: string; username: string; password: string } {
  const text = token.toString('utf8');
  const parts = ['', '', ''];
  let start = 0;
  for (let i = 0; i < 3; i++) {
    const end = text.indexOf('\u0000', start);
    if (end < 0) {
      parts[i] = text.slice(start);
      break;
    }
    parts[i] = text.slice(start, end);
    start = end + 1;
  }
  return { authorizationId: parts[0], username: parts[1], password: parts[2] };
}
