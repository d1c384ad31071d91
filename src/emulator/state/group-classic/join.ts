/**
 * JoinGroup: validation, new dynamic members (KIP-394's MEMBER_ID_REQUIRED), static members
 * (KIP-345) coming back under a new member id, and known members rejoining in each state.
 */
import { randomUUID } from 'node:crypto';
import { ClassicGroup } from './classic-group.js';
import { Member } from './member.js';
import { scheduleHeartbeat, schedulePendingMember } from './session.js';
import type { GroupStateMachine } from './state-machine.js';
import { GroupErrors as E, type JoinGroupArgs, type JoinGroupResult, joinError, syncError } from './types.js';

export function joinGroup(sm: GroupStateMachine, a: JoinGroupArgs): Promise<JoinGroupResult> {
  if (sm.stopped) return Promise.resolve(joinError(E.COORDINATOR_NOT_AVAILABLE, a.memberId));
  if (a.groupId === '') return Promise.resolve(joinError(E.INVALID_GROUP_ID, a.memberId));
  if (
    a.sessionTimeoutMs < sm.config.minSessionTimeoutMs ||
    a.sessionTimeoutMs > sm.config.maxSessionTimeoutMs
  ) {
    return Promise.resolve(joinError(E.INVALID_SESSION_TIMEOUT, a.memberId));
  }
  const isNewMember = a.memberId === '';
  let group = sm.groups.get(a.groupId);
  if (!group) {
    // A member id for a group that does not exist can only be stale.
    if (!isNewMember) return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, a.memberId));
    group = new ClassicGroup(a.groupId, sm.clock.now());
    sm.groups.set(a.groupId, group);
  }
  if (!acceptJoiningMember(sm, group, a.memberId)) {
    return Promise.resolve(joinError(E.GROUP_MAX_SIZE_REACHED, a.memberId));
  }
  return isNewMember ? joinNewMember(sm, group, a) : joinExistingMember(sm, group, a);
}

/**
 * group.max.size: while preparing a rebalance only members already rejoined count, so the last
 * ones to rejoin of an oversized group are the ones turned away (Kafka's acceptJoiningMember).
 */
function acceptJoiningMember(sm: GroupStateMachine, group: ClassicGroup, memberId: string): boolean {
  const member = group.members.get(memberId);
  switch (group.state) {
    case 'Empty':
    case 'Dead':
      return true;
    case 'PreparingRebalance':
      return member?.joinWaiter !== undefined || group.awaitingJoinCount() < sm.config.maxSize;
    default:
      return member !== undefined || group.members.size < sm.config.maxSize;
  }
}

/** Empty group: any non-empty type and protocol list; otherwise same type and one protocol shared by all. */
function supportsProtocols(group: ClassicGroup, a: JoinGroupArgs, except?: string): boolean {
  if (a.protocolType === '' || a.protocols.length === 0) return false;
  const common = group.commonProtocols(except);
  if (common === null) return true;
  if (a.protocolType !== group.protocolType) return false;
  return a.protocols.some((p) => common.has(p.name));
}

function joinNewMember(
  sm: GroupStateMachine,
  group: ClassicGroup,
  a: JoinGroupArgs,
): Promise<JoinGroupResult> {
  if (group.state === 'Dead') return Promise.resolve(joinError(E.COORDINATOR_NOT_AVAILABLE, ''));
  if (!supportsProtocols(group, a)) return Promise.resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL, ''));
  if (a.groupInstanceId !== null) return joinNewStaticMember(sm, group, a);
  const memberId = `${a.clientId}-${randomUUID()}`;
  if (a.requireKnownMemberId) {
    schedulePendingMember(sm, group, memberId, a.sessionTimeoutMs);
    return Promise.resolve(joinError(E.MEMBER_ID_REQUIRED, memberId));
  }
  return addMemberAndRebalance(sm, group, memberId, a);
}

function joinNewStaticMember(
  sm: GroupStateMachine,
  group: ClassicGroup,
  a: JoinGroupArgs,
): Promise<JoinGroupResult> {
  const instanceId = a.groupInstanceId!;
  const newMemberId = `${instanceId}-${randomUUID()}`;
  const oldMemberId = group.staticMembers.get(instanceId);
  const old = oldMemberId === undefined ? undefined : group.members.get(oldMemberId);
  if (!old) return addMemberAndRebalance(sm, group, newMemberId, a);
  return updateStaticMemberAndRebalance(sm, group, old, newMemberId, a);
}

/**
 * The same instance came back under a new member id (a restart without LeaveGroup): it takes over
 * the old member's place, generation and assignment, and the old id is fenced — whatever it still
 * waits for is answered FENCED_INSTANCE_ID, and so is every later request that uses it.
 * Kafka's updateStaticMemberThenRebalanceOrCompleteJoin: in Stable no rebalance unless the new
 * protocols change the protocol the group would select; in CompletingRebalance a rebalance (the
 * leader may be assigning to the old id); while preparing a rebalance it just counts as rejoined.
 */
function updateStaticMemberAndRebalance(
  sm: GroupStateMachine,
  group: ClassicGroup,
  member: Member,
  newMemberId: string,
  a: JoinGroupArgs,
): Promise<JoinGroupResult> {
  const previousLeader = group.leaderId;
  member.joinWaiter?.(joinError(E.FENCED_INSTANCE_ID, member.memberId));
  member.joinWaiter = undefined;
  member.syncWaiter?.(syncError(E.FENCED_INSTANCE_ID));
  member.syncWaiter = undefined;
  group.replaceMemberId(member, newMemberId);
  scheduleHeartbeat(sm, group, member);
  member.update(a);
  const waiting = sm.parkJoin(member);

  switch (group.state) {
    case 'Stable':
      if (group.protocolName === sm.selectProtocol(group)) {
        completeStaticRejoin(sm, group, member, {
          previousLeader,
          skipAssignmentSupported: a.skipAssignmentSupported,
        });
      } else {
        sm.prepareRebalance(group);
      }
      break;
    case 'CompletingRebalance':
      sm.prepareRebalance(group);
      break;
    default:
      sm.maybeCompleteJoin(group);
  }
  return waiting;
}

/**
 * The current generation handed back to a static member's new incarnation. JoinGroup v9+ (KIP-814):
 * a leader gets the member list and skipAssignment=true (its SyncGroup then fetches the assignment
 * it already had instead of computing a new one). Before v9 Kafka answers without members and names
 * the leader as it was before the replacement.
 */
function completeStaticRejoin(
  sm: GroupStateMachine,
  group: ClassicGroup,
  member: Member,
  o: { previousLeader: string | null; skipAssignmentSupported: boolean },
): void {
  const result = sm.joinResultFor(group, member);
  if (o.skipAssignmentSupported) {
    result.skipAssignment = group.leaderId === member.memberId;
  } else {
    result.members = [];
    result.leader = o.previousLeader ?? '';
  }
  const resolve = member.joinWaiter;
  member.joinWaiter = undefined;
  resolve?.(result);
}

function joinExistingMember(
  sm: GroupStateMachine,
  group: ClassicGroup,
  a: JoinGroupArgs,
): Promise<JoinGroupResult> {
  if (group.state === 'Dead') return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, a.memberId));
  if (!supportsProtocols(group, a, a.memberId)) {
    return Promise.resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL, a.memberId));
  }
  const pending = group.pendingMembers.get(a.memberId);
  if (pending && a.groupInstanceId === null) {
    pending.cancel();
    group.pendingMembers.delete(a.memberId);
    return addMemberAndRebalance(sm, group, a.memberId, a);
  }
  const invalid = group.validateMember(a.memberId, a.groupInstanceId);
  if (invalid !== E.NONE) return Promise.resolve(joinError(invalid, a.memberId));
  const member = group.members.get(a.memberId)!;

  switch (group.state) {
    case 'PreparingRebalance':
      return updateMemberAndRebalance(sm, group, member, a);
    case 'CompletingRebalance':
      // A lost JoinGroup response being retried: answer again with the generation just formed.
      if (member.sameProtocols(a.protocols)) return Promise.resolve(sm.joinResultFor(group, member));
      return updateMemberAndRebalance(sm, group, member, a);
    case 'Stable':
      // The leader rejoining, or anyone with new metadata (a changed subscription), rebalances;
      // a follower with the same metadata just learns the current generation.
      if (group.leaderId === member.memberId || !member.sameProtocols(a.protocols)) {
        return updateMemberAndRebalance(sm, group, member, a);
      }
      scheduleHeartbeat(sm, group, member);
      return Promise.resolve(sm.joinResultFor(group, member));
    default:
      return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, a.memberId));
  }
}

function addMemberAndRebalance(
  sm: GroupStateMachine,
  group: ClassicGroup,
  memberId: string,
  a: JoinGroupArgs,
): Promise<JoinGroupResult> {
  const member = new Member(memberId, a);
  if (group.members.size === 0) group.protocolType = a.protocolType;
  group.members.set(memberId, member);
  if (a.groupInstanceId !== null) group.staticMembers.set(a.groupInstanceId, memberId);
  // The first member to join is the leader until it leaves (an existing leader is kept).
  if (group.leaderId === null) group.leaderId = memberId;
  const waiting = sm.parkJoin(member);
  scheduleHeartbeat(sm, group, member);
  sm.maybePrepareRebalance(group);
  return waiting;
}

function updateMemberAndRebalance(
  sm: GroupStateMachine,
  group: ClassicGroup,
  member: Member,
  a: JoinGroupArgs,
): Promise<JoinGroupResult> {
  member.update(a);
  const waiting = sm.parkJoin(member);
  sm.maybePrepareRebalance(group);
  return waiting;
}
