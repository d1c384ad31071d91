/**
 * What the trace, `--explain`, `--record` and `emulator.exchanges` show of a SaslAuthenticate
 * exchange: its tokens masked as src/trace/sasl-redact.ts masks them (the proxy does the same). The
 * connection itself gets the real bytes: this works on copies.
 */
import { maskInFrame, maskSaslToken } from '../../trace/sasl-redact.js';
import type { Exchange, RequestEvent } from '../hooks.js';

export { SASL_AUTHENTICATE_KEY } from '../../trace/sasl-redact.js';

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
