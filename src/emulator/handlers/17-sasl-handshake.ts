/**
 * SaslHandshake (17): on a SASL listener the connection's SaslSession picks the mechanism (v0: raw
 * tokens follow; v1: SaslAuthenticate follows) or, on an authenticated connection whose session
 * expires (connections.max.reauth.ms), starts KIP-368 re-authentication. Anywhere else — a PLAINTEXT
 * or SSL listener, or an authenticated connection without expiry — the request reaches KafkaApis,
 * which answers ILLEGAL_SASL_STATE with no mechanisms.
 */
import { SaslHandshake } from '../../protocol/messages/17-sasl-handshake.js';
import { declaredVersions, defineHandler } from '../handler.js';

const ILLEGAL_SASL_STATE = 34;

export default defineHandler({
  api: SaslHandshake,
  versions: declaredVersions(SaslHandshake),
  handle(request, ctx) {
    const sasl = ctx.connection.security?.sasl;
    if (!sasl || (sasl.authenticated && sasl.expiresAt === undefined))
      return { errorCode: ILLEGAL_SASL_STATE, mechanisms: [] };
    const answer = sasl.handshake(request.mechanism, ctx.version);
    if (answer.errorCode !== 0) ctx.log(`SaslHandshake: mechanism ${request.mechanism} refused`);
    return answer;
  },
});
