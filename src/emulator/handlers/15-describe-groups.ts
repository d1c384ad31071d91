/**
 * DescribeGroups: v0-5
 *
 * Behaviour:
 * - Each group's state by Kafka's names (Empty, PreparingRebalance, CompletingRebalance, Stable,
 *   Dead), protocol type, and members with client id and host "/a.b.c.d".
 * - Kafka's GroupSummary: the chosen protocol (protocolData) and each member's metadata and
 *   assignment bytes only while Stable; empty otherwise.
 * - An unknown group is described as Dead with no error (as Kafka does up to v5); so is a KIP-848
 *   consumer group, which is not a classic group (GroupMetadataManager.describeGroups).
 *
 * Version notes:
 * - v3 adds authorized operations (all group operations: there is no authorizer); v4 members'
 *   groupInstanceId; v5 flexible.
 * - v6 is declared but not served: it answers an unknown group with GROUP_ID_NOT_FOUND (KIP-1043)
 *   instead of the Dead group above.
 */
import { DescribeGroups } from '../../protocol/messages/15-describe-groups.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, authorizedOperations, GROUP_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf } from '../state/groups.js';

/** How Kafka answers DescribeGroups v0-5 for a group that is not a classic one. */
function deadGroup(groupId: string) {
  return { errorCode: 0, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
}

/** READ (3), DELETE (6), DESCRIBE (8): the AclOperation bits Kafka reports for a group. */
const ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
const OPERATIONS_NOT_REQUESTED = -2147483648;

export default defineHandler({
  api: DescribeGroups,
  versions: declaredVersions(DescribeGroups, 0, 5),
  handle(request, ctx) {
    const groups = groupsOf(ctx.cluster);
    const consumer = consumerGroupsOf(ctx.cluster);
    const operationsOf = (id: string) =>
      request.includeAuthorizedOperations
        ? authorizedOperations(ctx, 'GROUP', id, ALL_GROUP_OPERATIONS)
        : OPERATIONS_NOT_REQUESTED;
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((id) =>
        // ACLs (KafkaApis.handleDescribeGroupsRequest): DESCRIBE on each group.
        !authorize(ctx, 'DESCRIBE', 'GROUP', id)
          ? {
              ...deadGroup(id),
              errorCode: GROUP_AUTHORIZATION_FAILED,
              groupState: '',
              authorizedOperations: OPERATIONS_NOT_REQUESTED,
            }
          : consumer.has(id)
            ? { ...deadGroup(id), authorizedOperations: operationsOf(id) }
            : { ...groups.describeGroup(id), authorizedOperations: operationsOf(id) },
      ),
    };
  },
});
