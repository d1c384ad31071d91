/** The membership half of OffsetCommit's acceptance rules (ClassicGroup.validateOffsetCommit). */
import type { OffsetStore, TopicCommit, TopicCommitResult } from '../offsets.js';
import { ClassicGroup } from './classic-group.js';
import { scheduleHeartbeat } from './session.js';
import type { GroupStateMachine } from './state-machine.js';
import { GroupErrors as E } from './types.js';

export interface OffsetCommitArgs {
  groupId: string;
  /** -1 for a simple/admin commit (and OffsetCommit v0, which has no generation). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v9+ answers GROUP_ID_NOT_FOUND where older versions answer ILLEGAL_GENERATION. */
  groupIdNotFoundSupported: boolean;
  topics: readonly TopicCommit[];
  partitionExists?: (topic: string, partition: number) => boolean;
  /** OffsetCommit v2-4's retentionTimeMs (-1 or absent: none). */
  retentionTimeMs?: number;
}

/**
 * Whether a commit is accepted: a current-generation member may commit while Stable and also while
 * PreparingRebalance (commit-on-revoke), never while CompletingRebalance; without member and
 * generation only an Empty or unknown group accepts it, and an unknown group then becomes a
 * "simple" Empty group.
 */
export function validateOffsetCommit(
  sm: GroupStateMachine,
  a: Omit<OffsetCommitArgs, 'topics' | 'partitionExists'>,
): number {
  if (sm.stopped) return E.COORDINATOR_NOT_AVAILABLE;
  const group = sm.groups.get(a.groupId);
  if (!group) {
    if (a.generationId < 0) {
      sm.groups.set(a.groupId, new ClassicGroup(a.groupId, sm.clock.now()));
      return E.NONE;
    }
    return a.groupIdNotFoundSupported ? E.GROUP_ID_NOT_FOUND : E.ILLEGAL_GENERATION;
  }
  if (group.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE;
  if (a.generationId >= 0 || a.memberId !== '' || a.groupInstanceId !== null) {
    const invalid = group.validateMember(a.memberId, a.groupInstanceId);
    if (invalid !== E.NONE) return invalid;
    if (a.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
  } else if (group.state !== 'Empty') {
    return E.UNKNOWN_MEMBER_ID;
  }
  if (group.state === 'CompletingRebalance') return E.REBALANCE_IN_PROGRESS;
  const member = group.members.get(a.memberId);
  if (member) scheduleHeartbeat(sm, group, member);
  return E.NONE;
}

/** OffsetCommit: one group-level decision, then per-partition storage. */
export function commitOffsets(
  sm: GroupStateMachine,
  offsets: OffsetStore,
  a: OffsetCommitArgs,
): TopicCommitResult[] {
  const errorCode = validateOffsetCommit(sm, a);
  if (errorCode !== E.NONE) {
    return a.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    }));
  }
  return offsets.commit(a.groupId, a.topics, {
    now: sm.clock.now(),
    partitionExists: a.partitionExists,
    retentionTimeMs: a.retentionTimeMs,
  });
}
