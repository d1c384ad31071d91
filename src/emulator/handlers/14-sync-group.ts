/**
 * SyncGroup: v0-5
 *
 * Behaviour:
 * - After a join phase every member sends SyncGroup; followers are parked until the leader's
 *   request brings the assignment, which is passed on unchanged (a member the leader left out
 *   gets an empty assignment). In Stable a member gets its current assignment at once.
 * - UNKNOWN_MEMBER_ID (25), ILLEGAL_GENERATION (22), INCONSISTENT_GROUP_PROTOCOL (23) when v5's
 *   protocolType/protocolName do not match the group's, REBALANCE_IN_PROGRESS (27) while preparing
 *   a rebalance (also for parked followers when a new rebalance starts), FENCED_INSTANCE_ID (82).
 *
 * Version notes:
 * - v1 throttle time, v3 groupInstanceId, v4 flexible, v5 protocolType/protocolName both ways (KIP-559).
 */

import { SyncGroup } from '../../protocol/messages/14-sync-group.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { GroupErrors, groupsOf, settleOnAbort } from '../state/groups.js';

export default defineHandler({
  api: SyncGroup,
  versions: declaredVersions(SyncGroup),
  async handle(request, ctx) {
    // ACLs (KafkaApis.handleSyncGroupRequest): READ on the group.
    if (!authorize(ctx, 'READ', 'GROUP', request.groupId))
      return {
        throttleTimeMs: 0,
        errorCode: GROUP_AUTHORIZATION_FAILED,
        protocolType: null,
        protocolName: null,
        assignment: new Uint8Array(0),
      };
    const args = {
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: ctx.version >= 3 ? request.groupInstanceId : null,
      protocolType: ctx.version >= 5 ? request.protocolType : null,
      protocolName: ctx.version >= 5 ? request.protocolName : null,
      assignments: request.assignments,
    };
    // KIP-848 online migration: a classic member of a consumer group gets the server's assignment.
    const consumer = consumerGroupsOf(ctx.cluster);
    const waiting = consumer.has(request.groupId)
      ? Promise.resolve(consumer.classicMembers.sync(args))
      : groupsOf(ctx.cluster).syncGroup(args);
    const r = await settleOnAbort(waiting, ctx.signal, () => ({
      errorCode: GroupErrors.COORDINATOR_NOT_AVAILABLE,
      protocolType: null,
      protocolName: null,
      assignment: new Uint8Array(0),
    }));
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      protocolType: r.protocolType,
      protocolName: r.protocolName,
      assignment: r.assignment,
    };
  },
});
