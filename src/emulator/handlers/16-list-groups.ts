/**
 * ListGroups: v0-5
 *
 * Behaviour:
 * - Every group this coordinator knows, including Empty ones kept for their committed offsets and
 *   "simple" groups created by a commit without membership (protocol type '').
 * - statesFilter (v4+) and typesFilter (v5+) compare case-insensitively; an empty filter keeps all.
 *   Classic groups are of type "classic"; KIP-848 consumer groups of type "consumer", protocol type
 *   "consumer", with their own states (Empty, Assigning, Reconciling, Stable).
 *
 * Version notes:
 * - v3 flexible; v4 (KIP-518) states filter and groupState; v5 (KIP-848) types filter and groupType.
 */
import { ListGroups } from '../../protocol/messages/16-list-groups.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, authorizeCluster } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf } from '../state/groups.js';

export default defineHandler({
  api: ListGroups,
  versions: declaredVersions(ListGroups),
  handle(request, ctx) {
    const filter = {
      states: ctx.version >= 4 ? request.statesFilter : [],
      types: ctx.version >= 5 ? request.typesFilter : [],
    };
    // ACLs (KafkaApis.handleListGroupsRequest): DESCRIBE on the cluster lists every group, else
    // only the groups the principal may DESCRIBE.
    const everyGroup = authorizeCluster(ctx, 'DESCRIBE');
    const groups = [
      ...groupsOf(ctx.cluster).listGroups(filter),
      ...consumerGroupsOf(ctx.cluster).list(filter),
    ].filter((g) => everyGroup || authorize(ctx, 'DESCRIBE', 'GROUP', g.groupId));
    return { throttleTimeMs: 0, errorCode: 0, groups };
  },
});
