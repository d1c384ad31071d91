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
 * - v1+ adds throttleTimeMs; v3+ is flexible and carries the KIP-584 feature lists as tagged fields:
 *   those a fresh Kafka 4.1.1 broker supports and finalizes (../features.ts), transaction.version 2
 *   and group.version 1 among them; v3 leaves out supported ranges that start at 0 (KIP-1022).
 * - The response header is always v0 (KIP-511); frame.ts/headers.ts take care of that.
 */
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { FINALIZED_FEATURES, FINALIZED_FEATURES_EPOCH, SUPPORTED_FEATURES } from '../features.js';
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
    return {
      errorCode: 0,
      apiKeys: ctx.served.map((s) => ({ ...s })),
      throttleTimeMs: 0,
      // KIP-1022: a range starting at 0 is only shown from v4; older clients took 0 for "not supported".
      supportedFeatures: SUPPORTED_FEATURES.filter((f) => ctx.version >= 4 || f.minVersion > 0).map((f) => ({
        ...f,
      })),
      finalizedFeaturesEpoch: FINALIZED_FEATURES_EPOCH,
      finalizedFeatures: FINALIZED_FEATURES.map((f) => ({ ...f })),
      zkMigrationReady: false,
    };
  },
});
