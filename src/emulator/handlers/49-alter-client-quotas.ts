/**
 * AlterClientQuotas: v0-1
 *
 * Behaviour (ClientQuotaControlManager.alterClientQuotas, which the broker forwards to):
 * - Entities of `user`, `client-id` (alone or together) or `ip` (alone); a null name is the type's
 *   default entity. Keys: producer_byte_rate, consumer_byte_rate (whole numbers),
 *   request_percentage, controller_mutation_rate for users/clients; connection_creation_rate for ips.
 * - An op with remove=true deletes the key (no error when it was not set); otherwise the value must
 *   be > 0. One result per entry, INVALID_REQUEST (42) with Kafka's message for a bad entity, key or
 *   value, a key twice in one entry or an entity twice in one request; validateOnly changes nothing.
 * - ALTER_CONFIGS on the cluster, or every entry CLUSTER_AUTHORIZATION_FAILED (31).
 * - The new quotas apply to the next Produce/Fetch at once (state/quotas.ts).
 *
 * Version notes: v1 is the flexible version.
 */
import { AlterClientQuotas } from '../../protocol/messages/49-alter-client-quotas.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorizeCluster, CLUSTER_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { quotasOf } from '../state/quotas.js';

export default defineHandler({
  api: AlterClientQuotas,
  versions: declaredVersions(AlterClientQuotas),
  handle(request, ctx) {
    // Checked by the broker before it forwards: each entry refused with the error's default text.
    if (!authorizeCluster(ctx, 'ALTER_CONFIGS'))
      return {
        throttleTimeMs: 0,
        entries: request.entries.map((e) => ({
          errorCode: CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: 'Cluster authorization failed.',
          entity: e.entity,
        })),
      };
    return { throttleTimeMs: 0, entries: quotasOf(ctx.cluster).alter(request.entries, request.validateOnly) };
  },
});
