/**
 * SyncGroup: followers wait for the leader's assignment, which is passed on unchanged; in Stable a
 * member gets its current assignment at once.
 */
import type { ClassicGroup } from './classic-group.js';
import type { Member } from './member.js';
import { scheduleHeartbeat } from './session.js';
import type { GroupStateMachine } from './state-machine.js';
import {
  GroupErrors as E,
  EMPTY_BYTES,
  type SyncGroupArgs,
  type SyncGroupResult,
  syncError,
} from './types.js';

export function syncGroup(sm: GroupStateMachine, a: SyncGroupArgs): Promise<SyncGroupResult> {
  if (sm.stopped) return Promise.resolve(syncError(E.COORDINATOR_NOT_AVAILABLE));
  if (a.groupId === '') return Promise.resolve(syncError(E.INVALID_GROUP_ID));
  const group = sm.groups.get(a.groupId);
  if (!group) return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
  if (group.state === 'Dead') return Promise.resolve(syncError(E.COORDINATOR_NOT_AVAILABLE));
  const invalid = group.validateMember(a.memberId, a.groupInstanceId);
  if (invalid !== E.NONE) return Promise.resolve(syncError(invalid));
  if (a.generationId !== group.generationId) return Promise.resolve(syncError(E.ILLEGAL_GENERATION));
  if (
    (a.protocolType !== null && a.protocolType !== group.protocolType) ||
    (a.protocolName !== null && a.protocolName !== group.protocolName)
  ) {
    return Promise.resolve(syncError(E.INCONSISTENT_GROUP_PROTOCOL));
  }
  const member = group.members.get(a.memberId)!;
  switch (group.state) {
    case 'PreparingRebalance':
      return Promise.resolve(syncError(E.REBALANCE_IN_PROGRESS));
    case 'CompletingRebalance': {
      group.pendingSync.delete(member.memberId);
      scheduleHeartbeat(sm, group, member);
      member.syncWaiter?.(syncError(E.REBALANCE_IN_PROGRESS));
      const waiting = new Promise<SyncGroupResult>((resolve) => {
        member.syncWaiter = resolve;
      });
      if (member.memberId === group.leaderId) applyAssignment(sm, group, a.assignments);
      return waiting;
    }
    case 'Stable':
      group.pendingSync.delete(member.memberId);
      scheduleHeartbeat(sm, group, member);
      return Promise.resolve(syncResultFor(group, member));
    default:
      return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
  }
}

/** The leader's assignment, passed on unchanged; members it left out get an empty one. */
function applyAssignment(
  sm: GroupStateMachine,
  group: ClassicGroup,
  assignments: SyncGroupArgs['assignments'],
): void {
  const byMember = new Map(assignments.map((x) => [x.memberId, x.assignment]));
  for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? EMPTY_BYTES;
  sm.setState(group, 'Stable');
  for (const m of group.members.values()) {
    const resolve = m.syncWaiter;
    m.syncWaiter = undefined;
    resolve?.(syncResultFor(group, m));
  }
}

function syncResultFor(group: ClassicGroup, m: Member): SyncGroupResult {
  return {
    errorCode: E.NONE,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    assignment: m.assignment,
  };
}
