/**
 * Session timers and Heartbeat: a member that sends nothing for session.timeout.ms is removed, and
 * an id handed out with MEMBER_ID_REQUIRED (KIP-394) is forgotten after one session timeout.
 */
import type { ClassicGroup } from './classic-group.js';
import type { Member } from './member.js';
import type { GroupStateMachine } from './state-machine.js';
import { GroupErrors as E, type HeartbeatArgs } from './types.js';

/** (Re)arms the session timeout. Members parked in a join or sync are kept alive while they wait. */
export function scheduleHeartbeat(sm: GroupStateMachine, group: ClassicGroup, m: Member): void {
  m.heartbeatTimer?.cancel();
  m.heartbeatTimer = sm.clock.schedule(m.sessionTimeoutMs, () => {
    m.heartbeatTimer = undefined;
    if (group.members.get(m.memberId) !== m) return;
    if (m.joinWaiter || m.syncWaiter) {
      scheduleHeartbeat(sm, group, m);
      return;
    }
    sm.removeMemberAndUpdateGroup(group, m);
  });
}

/** KIP-394: remember a new member's id for one session timeout; the rebalance waits for it meanwhile. */
export function schedulePendingMember(
  sm: GroupStateMachine,
  group: ClassicGroup,
  memberId: string,
  sessionTimeoutMs: number,
): void {
  group.pendingMembers.set(
    memberId,
    sm.clock.schedule(sessionTimeoutMs, () => {
      group.pendingMembers.delete(memberId);
      sm.maybeCompleteJoin(group);
    }),
  );
}

export function heartbeat(sm: GroupStateMachine, a: HeartbeatArgs): number {
  if (sm.stopped) return E.COORDINATOR_NOT_AVAILABLE;
  if (a.groupId === '') return E.INVALID_GROUP_ID;
  const group = sm.groups.get(a.groupId);
  if (!group) return E.UNKNOWN_MEMBER_ID;
  if (group.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE;
  const invalid = group.validateMember(a.memberId, a.groupInstanceId);
  if (invalid !== E.NONE) return invalid;
  if (a.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
  const member = group.members.get(a.memberId)!;
  switch (group.state) {
    case 'PreparingRebalance':
      scheduleHeartbeat(sm, group, member);
      return E.REBALANCE_IN_PROGRESS;
    case 'CompletingRebalance':
    case 'Stable':
      scheduleHeartbeat(sm, group, member);
      return E.NONE;
    default:
      return E.UNKNOWN_MEMBER_ID;
  }
}
