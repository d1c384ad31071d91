/** LeaveGroup: one or more members leave (v3+ batches them; a static member may leave by instance id alone). */
import type { ClassicGroup } from './classic-group.js';
import type { GroupStateMachine } from './state-machine.js';
import { GroupErrors as E, type LeaveGroupResult, type LeavingMember } from './types.js';

export function leaveGroup(
  sm: GroupStateMachine,
  groupId: string,
  leaving: readonly LeavingMember[],
): LeaveGroupResult {
  if (sm.stopped) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
  if (groupId === '') return { errorCode: E.INVALID_GROUP_ID, members: [] };
  const group = sm.groups.get(groupId);
  if (!group) {
    return { errorCode: E.NONE, members: leaving.map((l) => ({ ...l, errorCode: E.UNKNOWN_MEMBER_ID })) };
  }
  if (group.state === 'Dead') return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
  const members = leaving.map((l) => ({ ...l, errorCode: leaveOne(sm, group, l) }));
  return { errorCode: E.NONE, members };
}

function leaveOne(sm: GroupStateMachine, group: ClassicGroup, l: LeavingMember): number {
  if (l.groupInstanceId !== null) {
    const current = group.staticMembers.get(l.groupInstanceId);
    if (current === undefined) return E.UNKNOWN_MEMBER_ID;
    if (l.memberId !== '' && l.memberId !== current) return E.FENCED_INSTANCE_ID;
    sm.removeMemberAndUpdateGroup(group, group.members.get(current)!);
    return E.NONE;
  }
  const pending = group.pendingMembers.get(l.memberId);
  if (pending) {
    pending.cancel();
    group.pendingMembers.delete(l.memberId);
    sm.maybeCompleteJoin(group);
    return E.NONE;
  }
  const m = group.members.get(l.memberId);
  if (!m) return E.UNKNOWN_MEMBER_ID;
  sm.removeMemberAndUpdateGroup(group, m);
  return E.NONE;
}
