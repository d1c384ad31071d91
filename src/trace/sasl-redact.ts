/**
 * What a reader of a conversation is shown of a SaslAuthenticate token: the secret parts replaced by
 * `*`, byte for byte, so frames keep their sizes and still decode — PLAIN's password (the user name
 * stays), SCRAM's client proof (`p=`) and server signature (`v=`), an OAUTHBEARER token (its JSON
 * error challenge and extensions are not secret and stay); a token of
 * no known shape is masked whole. SCRAM's nonces, salt and iteration count are not secrets and stay,
 * so a learner can follow the exchange. Used by the emulator (src/emulator/security/redact.ts) and the
 * proxy for their trace, --explain, --record and the inspector; the sockets get the real bytes.
 */
export const SASL_AUTHENTICATE_KEY = 36;
const STAR = 0x2a;

/** The byte ranges of `token` that are secret, as [start, end) pairs. */
function secretRanges(token: Buffer): [number, number][] {
  if (token.length === 0) return [];
  const nul = token.indexOf(0);
  if (nul >= 0) {
    // PLAIN: authzid NUL authcid NUL password.
    const second = token.indexOf(0, nul + 1);
    return [[(second >= 0 ? second : nul) + 1, token.length]];
  }
  const text = token.toString('latin1');
  // OAUTHBEARER (RFC 7628): the token up to the \x01 that ends it; the GS2 header and the
  // extensions (KIP-342 key=value pairs) stay. The scheme is case-insensitive, as Kafka reads it.
  const bearer = /auth=[A-Za-z0-9_]+ +/.exec(text);
  if (bearer) {
    const start = bearer.index + bearer[0].length;
    const end = text.indexOf('\x01', start);
    return [[start, end >= 0 ? end : token.length]];
  }
  // The broker's OAUTHBEARER error challenge and the client's \x01 that acknowledges it.
  if (text.startsWith('{"status":') || (token.length === 1 && token[0] === 0x01)) return [];
  const proof = text.indexOf(',p=');
  if (proof >= 0) return [[proof + 3, token.length]];
  if (text.startsWith('v=')) return [[2, token.length]];
  // SCRAM's client-first (gs2 header), server-first and server error carry nothing secret.
  if (/^(?:[nyp],|r=|e=)/.test(text)) return [];
  return [[0, token.length]];
}

/** A copy of `token` with its secret parts masked, or undefined when there is nothing to mask. */
export function maskSaslToken(token: Buffer): Buffer | undefined {
  const ranges = secretRanges(token).filter(([a, b]) => b > a);
  if (ranges.length === 0) return undefined;
  const copy = Buffer.from(token);
  for (const [a, b] of ranges) copy.fill(STAR, a, b);
  return copy;
}

/** `frame` with the bytes of `token` (found where it sits in the frame) replaced by `masked`. */
export function maskInFrame(frame: Buffer, token: Buffer, masked: Buffer): Buffer {
  const sameMemory = token.buffer === frame.buffer;
  const at = sameMemory ? token.byteOffset - frame.byteOffset : frame.lastIndexOf(token);
  if (at < 0 || at + token.length > frame.length) return frame;
  const copy = Buffer.from(frame);
  masked.copy(copy, at);
  return copy;
}
