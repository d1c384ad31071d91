/**
 * SaslAuthenticate (36): one round of the mechanism chosen by SaslHandshake v1, through the
 * connection's SaslSession. A failed login is answered SASL_AUTHENTICATION_FAILED after
 * connection.failed.authentication.delay.ms and the server then closes the connection. Where there
 * is no login in progress (a plain listener, or after authentication) KafkaApis answers
 * ILLEGAL_SASL_STATE.
 */
import { SaslAuthenticate } from '../../protocol/messages/36-sasl-authenticate.js';
import { CLOSE_CONNECTION, declaredVersions, defineHandler } from '../handler.js';

const ILLEGAL_SASL_STATE = 34;

export default defineHandler({
  api: SaslAuthenticate,
  versions: declaredVersions(SaslAuthenticate),
  async handle(request, ctx) {
    const sasl = ctx.connection.security?.sasl;
    if (!sasl)
      return {
        errorCode: ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received after successful authentication',
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0n,
      };
    const answer = await sasl.authenticate(
      Buffer.from(request.authBytes.buffer, request.authBytes.byteOffset, request.authBytes.byteLength),
      ctx.version,
      (ms) => sleep(ms, ctx.signal),
    );
    if (sasl.notice) ctx.log(sasl.notice);
    if (!answer) {
      ctx.log(sasl.closeAfterResponse ?? 'SASL authentication failed');
      return CLOSE_CONNECTION;
    }
    if (answer.errorCode === 0 && sasl.authenticated) ctx.log(`SASL login as ${sasl.principal}`);
    if (sasl.principal && ctx.connection.security) ctx.connection.security.principal = sasl.principal;
    return answer;
  },
});

/** Waits `ms`, or less when the connection closes (the signal). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
