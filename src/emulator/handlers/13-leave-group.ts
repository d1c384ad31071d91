/**
 * LeaveGroup: v0-5
 *
 * Behaviour:
 * - Removes the members at once; a settled group starts a rebalance, and the last member leaving
 *   makes the group Empty (with a new generation). Committed offsets stay.
 * - Per member: UNKNOWN_MEMBER_ID (25) when not in the group (or the group does not exist),
 *   FENCED_INSTANCE_ID (82) when a static instance id belongs to another member id. A static member
 *   may leave by instance id alone (empty member id): Admin removeMembersFromConsumerGroup does so,
 *   since a static consumer never sends LeaveGroup itself when it closes (KIP-345).
 * - INVALID_GROUP_ID (24) for an empty group id.
 *
 * Version notes:
 * - v0-2 name one memberId, and its error is the top-level errorCode; v3+ (KIP-345) a batch of
 *   members with an error each; v4 flexible; v5 a free-text reason (logged, not kept).
 */

import { LeaveGroup } from '../../protocol/messages/13-leave-group.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf } from '../state/groups.js';

export default defineHandler({
  api: LeaveGroup,
  versions: declaredVersions(LeaveGroup),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleLeaveGroupRequest): READ on the group.
    if (!authorize(ctx, 'READ', 'GROUP', request.groupId))
      return { throttleTimeMs: 0, errorCode: GROUP_AUTHORIZATION_FAILED, members: [] };
    const leaving =
      ctx.version >= 3
        ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
        : [{ memberId: request.memberId, groupInstanceId: null }];
    for (const m of ctx.version >= 5 ? request.members : []) {
      if (m.reason) ctx.log(`member ${m.memberId} leaves: ${m.reason}`);
    }
    // KIP-848 online migration: classic members of a consumer group.
    const consumer = consumerGroupsOf(ctx.cluster);
    const r = consumer.has(request.groupId)
      ? consumer.classicMembers.leave(request.groupId, leaving)
      : groupsOf(ctx.cluster).leaveGroup(request.groupId, leaving);
    if (ctx.version < 3) {
      return { throttleTimeMs: 0, errorCode: r.errorCode || (r.members[0]?.errorCode ?? 0) };
    }
    return { throttleTimeMs: 0, errorCode: r.errorCode, members: r.members };
  },
});
