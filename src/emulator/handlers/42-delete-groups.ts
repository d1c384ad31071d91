/**
 * DeleteGroups: v0-2
 *
 * Behaviour:
 * - A group with no members (Empty) is deleted with its committed offsets; afterwards it describes
 *   as Dead and OffsetFetch finds nothing.
 * - NON_EMPTY_GROUP (68) while it has members; GROUP_ID_NOT_FOUND (69) when unknown.
 * - A KIP-848 consumer group the same (ConsumerGroup.validateDeleteGroup: anything but Empty is
 *   NON_EMPTY_GROUP, its offsets stay); an Empty one goes with its offsets and describes as not found.
 *
 * Version notes:
 * - v1 only changes throttling behaviour; v2 goes flexible.
 */
import { DeleteGroups } from '../../protocol/messages/42-delete-groups.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf, offsetsOf } from '../state/groups.js';

export default defineHandler({
  api: DeleteGroups,
  versions: declaredVersions(DeleteGroups),
  handle(request, ctx) {
    const consumer = consumerGroupsOf(ctx.cluster);
    const classic = groupsOf(ctx.cluster);
    const results = request.groupsNames.map((groupId) => {
      // ACLs (KafkaApis.handleDeleteGroupsRequest): DELETE on each group.
      if (!authorize(ctx, 'DELETE', 'GROUP', groupId))
        return { groupId, errorCode: GROUP_AUTHORIZATION_FAILED };
      // One group id names one group: a consumer group decides for itself, else the classic side.
      const errorCode = consumer.deleteGroup(groupId);
      if (errorCode === undefined) return classic.deleteGroups([groupId])[0]!;
      if (errorCode === 0) offsetsOf(ctx.cluster).deleteGroup(groupId);
      return { groupId, errorCode };
    });
    return { throttleTimeMs: 0, results };
  },
});
