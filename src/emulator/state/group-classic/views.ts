/** The admin side: DescribeGroups, ListGroups, DeleteGroups, and a group's state for tests and the CLI. */
import type { OffsetStore } from '../offsets.js';
import { deleteEmptyGroup } from './expiry.js';
import type { GroupStateMachine } from './state-machine.js';
import {
  type DescribedGroup,
  GroupErrors as E,
  EMPTY_BYTES,
  type GroupState,
  type ListedGroup,
} from './types.js';

export function describeGroup(sm: GroupStateMachine, groupId: string): DescribedGroup {
  const group = sm.groups.get(groupId);
  if (!group) {
    // Kafka answers an unknown group as Dead with no error (DescribeGroups v0-5).
    return {
      errorCode: E.NONE,
      groupId,
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    };
  }
  const stable = group.state === 'Stable';
  return {
    errorCode: E.NONE,
    groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? (group.protocolName ?? '') : '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadataFor(group.protocolName) : EMPTY_BYTES,
      // ClassicGroupMember.describeNoMetadata keeps the assignment in every state (a group
      // preparing a rebalance from Stable still shows what each member holds).
      memberAssignment: m.assignment,
    })),
  };
}

/** ListGroups; filters compare case-insensitively as Kafka parses them, an empty filter keeps all. */
export function listGroups(
  sm: GroupStateMachine,
  filter: { states?: readonly string[]; types?: readonly string[] } = {},
): ListedGroup[] {
  const states = new Set((filter.states ?? []).map((s) => s.toLowerCase()));
  const types = new Set((filter.types ?? []).map((s) => s.toLowerCase()));
  const out: ListedGroup[] = [];
  for (const g of sm.groups.values()) {
    if (states.size > 0 && !states.has(g.state.toLowerCase())) continue;
    if (types.size > 0 && !types.has('classic')) continue;
    out.push({
      groupId: g.groupId,
      protocolType: g.protocolType ?? '',
      groupState: g.state,
      groupType: 'classic',
    });
  }
  return out;
}

/** DeleteGroups: only a group without members can go; its committed offsets go with it. */
export function deleteGroups(
  sm: GroupStateMachine,
  offsets: OffsetStore,
  groupIds: readonly string[],
): { groupId: string; errorCode: number }[] {
  return groupIds.map((groupId) => {
    if (sm.stopped) return { groupId, errorCode: E.COORDINATOR_NOT_AVAILABLE };
    const group = sm.groups.get(groupId);
    if (!group) {
      if (!offsets.hasOffsets(groupId)) return { groupId, errorCode: E.GROUP_ID_NOT_FOUND };
    } else if (group.state !== 'Empty') {
      return { groupId, errorCode: E.NON_EMPTY_GROUP };
    } else {
      deleteEmptyGroup(sm, groupId);
    }
    offsets.deleteGroup(groupId);
    return { groupId, errorCode: E.NONE };
  });
}

export interface GroupSnapshot {
  state: GroupState;
  generationId: number;
  leaderId: string | null;
  memberIds: string[];
  /** Members whose JoinGroup is parked until the join phase completes. */
  awaitingJoin: string[];
}

/** The current state of a group, or undefined when it does not exist (tests and the CLI). */
export function stateOf(sm: GroupStateMachine, groupId: string): GroupSnapshot | undefined {
  const g = sm.groups.get(groupId);
  if (!g) return undefined;
  return {
    state: g.state,
    generationId: g.generationId,
    leaderId: g.leaderId,
    memberIds: [...g.members.keys()],
    awaitingJoin: [...g.members.values()].filter((m) => m.joinWaiter).map((m) => m.memberId),
  };
}
