/**
 * JoinGroup: v0-9
 *
 * Behaviour:
 * - Classic group join (state/groups.ts): the request is parked until the join phase completes —
 *   every known member has rejoined, or the rebalance timeout has passed — then every member gets
 *   the new generation, the chosen protocol and the leader; only the leader gets the member list.
 * - Errors: INVALID_GROUP_ID (24), INVALID_SESSION_TIMEOUT (26) outside [6000, 1800000],
 *   UNKNOWN_MEMBER_ID (25), INCONSISTENT_GROUP_PROTOCOL (23), GROUP_MAX_SIZE_REACHED (81),
 *   FENCED_INSTANCE_ID (82), MEMBER_ID_REQUIRED (79).
 * - Static members (KIP-345): an instance id joining without a member id while its old member is
 *   still in the group takes over that member (new id, same generation and assignment) — in Stable
 *   without a rebalance unless the selected protocol changes; the old id is FENCED_INSTANCE_ID.
 * - A consumer group (KIP-848) with members takes the JoinGroup itself (online migration: a classic
 *   member inside a consumer group, answered at once, generation = its member epoch, no leader);
 *   an Empty one gives its id to a classic group.
 * - If the connection closes while parked, the member stays in the group (it will time out, as in
 *   Kafka) and the wait ends without a response.
 *
 * Version notes:
 * - v0 has no rebalance timeout: the session timeout serves for both (KIP-62 added it in v1).
 * - v4+: a new member without an instance id first gets MEMBER_ID_REQUIRED and its id (KIP-394).
 * - v5+ static membership (groupInstanceId); v7+ protocolType in the response and a nullable
 *   protocolName (null becomes '' before v7); v9+ skipAssignment (KIP-814): a returning static
 *   leader gets the member list and skipAssignment=true; before v9 no list and the old leader id.
 */

import { JoinGroup } from '../../protocol/messages/11-join-group.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { clientHostOf, GroupErrors, groupsOf, type JoinGroupResult, settleOnAbort } from '../state/groups.js';

export default defineHandler({
  api: JoinGroup,
  versions: declaredVersions(JoinGroup),
  async handle(request, ctx) {
    // ACLs (KafkaApis.handleJoinGroupRequest): READ on the group.
    if (!authorize(ctx, 'READ', 'GROUP', request.groupId))
      return toResponse(
        {
          errorCode: GROUP_AUTHORIZATION_FAILED,
          generationId: -1,
          protocolType: null,
          protocolName: null,
          leader: '',
          skipAssignment: false,
          memberId: request.memberId,
          members: [],
        },
        ctx.version,
      );
    const args = {
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: ctx.version >= 5 ? request.groupInstanceId : null,
      clientId: ctx.header.clientId ?? '',
      clientHost: clientHostOf(ctx.connection.remote),
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: ctx.version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
      requireKnownMemberId: ctx.version >= 4,
      skipAssignmentSupported: ctx.version >= 9,
    };
    // KIP-848 online migration: a consumer group with members takes a classic member in.
    const inConsumerGroup = consumerGroupsOf(ctx.cluster).classicMembers.join(args);
    const waiting = inConsumerGroup
      ? Promise.resolve(inConsumerGroup)
      : groupsOf(ctx.cluster).joinGroup(args);
    const result = await settleOnAbort(waiting, ctx.signal, () => ({
      errorCode: GroupErrors.COORDINATOR_NOT_AVAILABLE,
      generationId: -1,
      protocolType: null,
      protocolName: null,
      leader: '',
      skipAssignment: false,
      memberId: request.memberId,
      members: [],
    }));
    return toResponse(result, ctx.version);
  },
});

function toResponse(r: JoinGroupResult, version: number): ResponseOf<typeof JoinGroup> {
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolType: r.protocolType,
    protocolName: version >= 7 ? r.protocolName : (r.protocolName ?? ''),
    leader: r.leader,
    skipAssignment: r.skipAssignment,
    memberId: r.memberId,
    members: r.members,
  };
}
