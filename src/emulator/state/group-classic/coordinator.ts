/**
 * The classic group coordinator's public face: one method per request kind, each delegating to the
 * module of its concept (join, sync, session, leave, offset-commit, views) over one state machine.
 */
import { type Clock, systemClock } from '../../clock.js';
import { OffsetStore, type TopicCommitResult } from '../offsets.js';
import type { ExpiringGroup } from '../offsets-expiry.js';
import { deleteEmptyGroup, expiringGroup, type SubscriptionTopics } from './expiry.js';
import { joinGroup } from './join.js';
import { leaveGroup } from './leave.js';
import { commitOffsets, type OffsetCommitArgs, validateOffsetCommit } from './offset-commit.js';
import { heartbeat } from './session.js';
import { GroupStateMachine } from './state-machine.js';
import { syncGroup } from './sync.js';
import {
  DEFAULT_GROUP_CONFIG,
  type DescribedGroup,
  GroupErrors as E,
  type GroupConfig,
  type GroupTransition,
  type HeartbeatArgs,
  type JoinGroupArgs,
  type JoinGroupResult,
  joinError,
  type LeaveGroupResult,
  type LeavingMember,
  type ListedGroup,
  type SyncGroupArgs,
  type SyncGroupResult,
  syncError,
} from './types.js';
import { deleteGroups, describeGroup, type GroupSnapshot, listGroups, stateOf } from './views.js';

export interface GroupsOptions {
  clock?: Clock;
  config?: Partial<GroupConfig>;
  offsets?: OffsetStore;
}

export class Groups {
  readonly config: GroupConfig;
  readonly offsets: OffsetStore;
  private readonly sm: GroupStateMachine;

  constructor(options: GroupsOptions = {}) {
    this.config = { ...DEFAULT_GROUP_CONFIG, ...options.config };
    this.offsets = options.offsets ?? new OffsetStore();
    this.sm = new GroupStateMachine(options.clock ?? systemClock, this.config);
  }

  /** Told about every state change; the state machine never depends on it. */
  get onTransition(): ((t: GroupTransition) => void) | undefined {
    return this.sm.onTransition;
  }

  set onTransition(listener: ((t: GroupTransition) => void) | undefined) {
    this.sm.onTransition = listener;
  }

  joinGroup(a: JoinGroupArgs): Promise<JoinGroupResult> {
    return joinGroup(this.sm, a);
  }

  syncGroup(a: SyncGroupArgs): Promise<SyncGroupResult> {
    return syncGroup(this.sm, a);
  }

  heartbeat(a: HeartbeatArgs): number {
    return heartbeat(this.sm, a);
  }

  leaveGroup(groupId: string, leaving: readonly LeavingMember[]): LeaveGroupResult {
    return leaveGroup(this.sm, groupId, leaving);
  }

  validateOffsetCommit(a: Omit<OffsetCommitArgs, 'topics' | 'partitionExists'>): number {
    return validateOffsetCommit(this.sm, a);
  }

  commitOffsets(a: OffsetCommitArgs): TopicCommitResult[] {
    return commitOffsets(this.sm, this.offsets, a);
  }

  describeGroup(groupId: string): DescribedGroup {
    return describeGroup(this.sm, groupId);
  }

  listGroups(filter: { states?: readonly string[]; types?: readonly string[] } = {}): ListedGroup[] {
    return listGroups(this.sm, filter);
  }

  deleteGroups(groupIds: readonly string[]): { groupId: string; errorCode: number }[] {
    return deleteGroups(this.sm, this.offsets, groupIds);
  }

  stateOf(groupId: string): GroupSnapshot | undefined {
    return stateOf(this.sm, groupId);
  }

  /** Every group id this coordinator knows (offset cleanup). */
  groupIds(): string[] {
    return [...this.sm.groups.keys()];
  }

  /** What the offset cleanup asks of a group (undefined: no such classic group). */
  expiringGroup(groupId: string, topicsOf: SubscriptionTopics): ExpiringGroup | undefined {
    return expiringGroup(this.sm, groupId, topicsOf);
  }

  /** The offset cleanup found an Empty group without offsets: it goes, as Kafka's maybeDeleteGroup. */
  deleteEmptyGroup(groupId: string): boolean {
    return deleteEmptyGroup(this.sm, groupId);
  }

  /**
   * Hook for the consumer group coordinator (KIP-848): an Empty classic group gives its id to a
   * consumer group that is joining (Kafka's maybeDeleteEmptyClassicGroup); committed offsets stay.
   */
  removeEmptyGroup(groupId: string): boolean {
    const group = this.sm.groups.get(groupId);
    if (group?.state !== 'Empty') return false;
    for (const t of group.pendingMembers.values()) t.cancel();
    group.joinTimer?.cancel();
    this.sm.groups.delete(groupId);
    return true;
  }

  /** Cancels every timer and answers every parked JoinGroup/SyncGroup with COORDINATOR_NOT_AVAILABLE. */
  stop(): void {
    if (this.sm.stopped) return;
    this.sm.stopped = true;
    for (const g of this.sm.groups.values()) {
      g.joinTimer?.cancel();
      g.syncTimer?.cancel();
      for (const t of g.pendingMembers.values()) t.cancel();
      for (const m of g.members.values()) {
        m.heartbeatTimer?.cancel();
        m.joinWaiter?.(joinError(E.COORDINATOR_NOT_AVAILABLE, m.memberId));
        m.joinWaiter = undefined;
        m.syncWaiter?.(syncError(E.COORDINATOR_NOT_AVAILABLE));
        m.syncWaiter = undefined;
      }
    }
  }
}
