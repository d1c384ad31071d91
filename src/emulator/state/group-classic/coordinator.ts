/**
 * The classic group coordinator's public face: one method per request kind, each delegating to the
 * module of its concept (join, sync, session, leave, offset-commit, views) over one state machine.
 */
import { type Clock, systemClock } from '../../clock.js';
import type { ClassicGroupImage, ClassicMemberImage } from '../group-consumer/types.js';
import { OffsetStore, type TopicCommitResult } from '../offsets.js';
import type { ExpiringGroup } from '../offsets-expiry.js';
import { ClassicGroup } from './classic-group.js';
import { deleteEmptyGroup, expiringGroup, type SubscriptionTopics } from './expiry.js';
import { joinGroup } from './join.js';
import { leaveGroup } from './leave.js';
import { Member } from './member.js';
import { commitOffsets, type OffsetCommitArgs, validateOffsetCommit } from './offset-commit.js';
import { heartbeat, scheduleHeartbeat } from './session.js';
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

  /** A live (not Empty, not Dead) group's protocol type and size: what an online upgrade checks. */
  describeLive(groupId: string): { protocolType: string | null; members: number } | undefined {
    const group = this.sm.groups.get(groupId);
    if (!group || group.state === 'Empty' || group.state === 'Dead') return undefined;
    return { protocolType: group.protocolType, members: group.members.size };
  }

  /**
   * KIP-848 online upgrade (GroupMetadataManager.convertToConsumerGroup): the group leaves this
   * coordinator. Parked JoinGroup/SyncGroup requests get REBALANCE_IN_PROGRESS, so those members
   * rejoin — and find a consumer group that takes them as classic-protocol members.
   */
  takeForUpgrade(groupId: string): ClassicGroupImage {
    const group = this.sm.groups.get(groupId);
    if (!group) throw new Error(`takeForUpgrade: no classic group ${groupId}`);
    group.joinTimer?.cancel();
    group.syncTimer?.cancel();
    for (const t of group.pendingMembers.values()) t.cancel();
    this.sm.groups.delete(groupId);
    const members: ClassicMemberImage[] = [];
    for (const m of group.members.values()) {
      m.heartbeatTimer?.cancel();
      m.joinWaiter?.(joinError(E.REBALANCE_IN_PROGRESS, m.memberId));
      m.joinWaiter = undefined;
      m.syncWaiter?.(syncError(E.REBALANCE_IN_PROGRESS));
      m.syncWaiter = undefined;
      members.push({
        memberId: m.memberId,
        instanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        protocols: m.protocols,
        assignment: m.assignment,
      });
    }
    return { generationId: group.generationId, protocolName: group.protocolName, members };
  }

  /**
   * KIP-848 online downgrade (ClassicGroup.fromConsumerGroup, then prepareRebalance): a Stable
   * group at the consumer group's epoch whose members keep their assignments, and which at once
   * prepares a rebalance — its members learn it from their next Heartbeat (REBALANCE_IN_PROGRESS).
   */
  installDowngraded(groupId: string, generationId: number, members: readonly ClassicMemberImage[]): void {
    const group = new ClassicGroup(groupId, this.sm.clock.now());
    group.generationId = generationId;
    group.protocolType = 'consumer';
    for (const image of members) {
      const m = new Member(image.memberId, {
        groupId,
        memberId: image.memberId,
        groupInstanceId: image.instanceId,
        clientId: image.clientId,
        clientHost: image.clientHost,
        sessionTimeoutMs: image.sessionTimeoutMs,
        rebalanceTimeoutMs: image.rebalanceTimeoutMs,
        protocolType: 'consumer',
        protocols: image.protocols,
        requireKnownMemberId: false,
        skipAssignmentSupported: false,
      });
      m.assignment = image.assignment;
      group.members.set(m.memberId, m);
      if (m.groupInstanceId !== null) group.staticMembers.set(m.groupInstanceId, m.memberId);
      group.leaderId ??= m.memberId;
    }
    group.protocolName = this.sm.selectProtocol(group);
    this.sm.groups.set(groupId, group);
    this.sm.setState(group, 'Stable');
    for (const m of group.members.values()) scheduleHeartbeat(this.sm, group, m);
    this.sm.prepareRebalance(group);
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
