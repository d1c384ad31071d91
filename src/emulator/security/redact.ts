/**
 * What the trace, `--explain`, `--record` and `emulator.exchanges` show of a SaslAuthenticate: the
 * secret parts of its authBytes replaced by `*`, byte for byte, so the frames keep their sizes and
 * still decode — PLAIN's password (the user name stays), SCRAM's client proof (`p=`) and server
 * signature (`v=`), an OAUTHBEARER token; a token of no known shape is masked whole. The nonces,
 * salt and iteration count of SCRAM's first messages are not secrets and stay, so a learner can
 * follow the exchange. The connection itself gets the real bytes: this works on copies.
 */
import type { Exchange, RequestEvent } from '../hooks.js';

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
  const bearer = text.indexOf('auth=Bearer ');
  if (bearer >= 0) return [[bearer + 'auth=Bearer '.length, token.length]];
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
function maskInFrame(frame: Buffer, token: Buffer, masked: Buffer): Buffer {
  const sameMemory = token.buffer === frame.buffer;
  const at = sameMemory ? token.byteOffset - frame.byteOffset : frame.lastIndexOf(token);
  if (at < 0 || at + token.length > frame.length) return frame;
  const copy = Buffer.from(frame);
  masked.copy(copy, at);
  return copy;
}

/** The event and response as observers may see them (unchanged unless something was secret). */
export function redactSaslAuthenticate(
  event: RequestEvent,
  response: NonNullable<Exchange['response']>,
): { event: RequestEvent; response: NonNullable<Exchange['response']> } {
  let outEvent = event;
  let outResponse = response;
  const reqBytes = (event.request as { authBytes?: Buffer }).authBytes;
  const maskedReq = reqBytes ? maskSaslToken(reqBytes) : undefined;
  if (reqBytes && maskedReq) {
    outEvent = {
      ...event,
      request: { ...(event.request as object), authBytes: maskedReq },
      raw: maskInFrame(event.raw, reqBytes, maskedReq),
    };
  }
  const resBytes = (response.body as { authBytes?: Buffer } | undefined)?.authBytes;
  const maskedRes = resBytes ? maskSaslToken(resBytes) : undefined;
  if (resBytes && maskedRes) {
    outResponse = {
      body: { ...(response.body as object), authBytes: maskedRes },
      raw: maskInFrame(response.raw, resBytes, maskedRes),
    };
  }
  return { event: outEvent, response: outResponse };
}
