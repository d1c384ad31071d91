/**
 * DescribeClientQuotas: v0-1
 *
 * Behaviour (ClientQuotasImage.describe, as a KRaft broker answers from its metadata image):
 * - Each filter component matches an entity type exactly (matchType 0, `match` the name), its default
 *   entity (1) or any entity of the type (2); `strict` keeps only entities with no other types.
 * - INVALID_REQUEST (42) for an empty or repeated entity type, a match string that contradicts the
 *   match type, an unknown match type, `ip` combined with user/client-id; UNSUPPORTED_VERSION (35)
 *   for an unknown entity type — each with Kafka's message and entries null.
 * - DESCRIBE_CONFIGS on the cluster, or CLUSTER_AUTHORIZATION_FAILED (31), no message, entries null.
 * - Entries come sorted by entity (Kafka's order is a HashMap's).
 *
 * Version notes: v1 is the flexible version.
 */
import { DescribeClientQuotas } from '../../protocol/messages/48-describe-client-quotas.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorizeCluster, CLUSTER_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { quotasOf } from '../state/quotas.js';

export default defineHandler({
  api: DescribeClientQuotas,
  versions: declaredVersions(DescribeClientQuotas),
  handle(request, ctx) {
    if (!authorizeCluster(ctx, 'DESCRIBE_CONFIGS'))
      return {
        throttleTimeMs: 0,
        errorCode: CLUSTER_AUTHORIZATION_FAILED,
        errorMessage: null,
        entries: null,
      };
    return { throttleTimeMs: 0, ...quotasOf(ctx.cluster).describe(request.components, request.strict) };
  },
});
