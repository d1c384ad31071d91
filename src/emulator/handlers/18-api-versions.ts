/**
 * ApiVersions: v0-4
 *
 * Behaviour:
 * - Lists exactly the APIs and versions this emulator serves (handlers/index.ts), nothing else, so
 *   that a client never picks an API we would answer by closing the connection.
 * - v3+: client software name and version must match Kafka's pattern, else INVALID_REQUEST (42) with
 *   no API list, and the connection stays open (KIP-511, ApiVersionsRequest.isValid).
 * - A version newer than we serve never reaches this handler: the server answers it itself with
 *   UNSUPPORTED_VERSION in a v0 body (see server.ts).
 *
 * Version notes:
 * - v1+ adds throttleTimeMs; v3+ is flexible and carries the (empty) feature lists as tagged fields.
 * - The response header is always v0 (KIP-511); frame.ts/headers.ts take care of that.
 */
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { declaredVersions, defineHandler } from '../handler.js';

const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;
const INVALID_REQUEST = 42;

export default defineHandler({
  api: ApiVersions,
  versions: declaredVersions(ApiVersions),
  handle(request, ctx) {
    if (
      ctx.version >= 3 &&
      !(
        SOFTWARE_PATTERN.test(request.clientSoftwareName) &&
        SOFTWARE_PATTERN.test(request.clientSoftwareVersion)
      )
    ) {
      return { errorCode: INVALID_REQUEST, apiKeys: [] };
    }
    return { errorCode: 0, apiKeys: ctx.served.map((s) => ({ ...s })), throttleTimeMs: 0 };
  },
});
