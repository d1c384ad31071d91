/**
 * Heartbeat: v0-4
 *
 * Behaviour:
 * - Resets the member's session timeout. REBALANCE_IN_PROGRESS (27) while the group prepares a
 *   rebalance is how a member learns it must rejoin.
 * - UNKNOWN_MEMBER_ID (25) for an unknown member or group (also an Empty group), ILLEGAL_GENERATION
 *   (22) for a stale generation, FENCED_INSTANCE_ID (82) for a replaced static member,
 *   INVALID_GROUP_ID (24) for an empty group id.
 *
 * Version notes:
 * - v1 adds throttle time, v3 the static member's groupInstanceId, v4 goes flexible.
 */

import { Heartbeat } from '../../protocol/messages/12-heartbeat.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf } from '../state/groups.js';

export default defineHandler({
  api: Heartbeat,
  versions: declaredVersions(Heartbeat),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleHeartbeatRequest): READ on the group.
    if (!authorize(ctx, 'READ', 'GROUP', request.groupId))
      return { throttleTimeMs: 0, errorCode: GROUP_AUTHORIZATION_FAILED };
    const args = {
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: ctx.version >= 3 ? request.groupInstanceId : null,
    };
    // KIP-848 online migration: a classic member of a consumer group.
    const consumer = consumerGroupsOf(ctx.cluster);
    const errorCode = consumer.has(request.groupId)
      ? consumer.classicMembers.heartbeat(args)
      : groupsOf(ctx.cluster).heartbeat(args);
    return { throttleTimeMs: 0, errorCode };
  },
});
