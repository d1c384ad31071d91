/**
 * The consumer group coordinator (KIP-848), shaped after Kafka's GroupMetadataManager
 * .consumerGroupHeartbeat. One heartbeat does three things, in this order:
 *  1. the member is created or updated; a new member or a changed subscription (topics, regex,
 *     assignor) or changed topic metadata bumps the group epoch;
 *  2. when the group epoch is ahead of the target assignment epoch, the assignor computes a new
 *     target assignment for every member, at the group epoch;
 *  3. the member reconciles one step towards its target (reconcile.ts): revoke first, then get what
 *     its previous owner has released.
 * Timers run on the cluster's clock: the session timeout (group.consumer.session.timeout.ms) fences
 * a silent member, the rebalance timeout (the member's own) fences one that does not revoke in time.
 * Kafka writes records to __consumer_offsets for each change; here the in-memory state is the log.
 */
import { type Clock, systemClock } from '../../clock.js';
import type { ExpiringGroup } from '../offsets-expiry.js';
import {
  type ConsumerGroupSnapshot,
  ConsumerGroupViews,
  type DescribedConsumerGroup,
  type ListedConsumerGroup,
} from './admin-views.js';
import { assign } from './assignors.js';
import { ClassicMembers } from './classic-members.js';
import { ConsumerGroup, ConsumerMember } from './consumer-group.js';
import { type CoordinatorSteps, newMemberId, Refusal, sameMetadata } from './coordinator-steps.js';
import { classicMembersOf, consumerGroupFromClassic, MalformedConsumerProtocol } from './migration.js';
import { reconcile, sameAssignment, toTopicPartitions } from './reconcile.js';
import { compileRegex, numSubscribedMembers, RegexResolution } from './regex-resolution.js';
import {
  type Assignment,
  type AssignorName,
  type ClassicGroupsView,
  type ConsumerGroupConfig,
  type ConsumerGroupTransition,
  DEFAULT_CONSUMER_GROUP_CONFIG,
  ConsumerGroupErrors as E,
  type HeartbeatArgs,
  type HeartbeatResult,
  isDowngradeEnabled,
  isUpgradeEnabled,
  JOIN_GROUP_MEMBER_EPOCH,
  KNOWN_ASSIGNORS,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  type TopicInfo,
  type TopicPartitions,
  type TopicsView,
} from './types.js';

export interface ConsumerGroupsOptions {
  clock?: Clock;
  config?: Partial<ConsumerGroupConfig>;
  topics: TopicsView;
  classic?: ClassicGroupsView;
}

/**
 * The face handlers call. The heartbeat path and the steps every path shares are here; the
 * classic-protocol members (classic-members.ts), regex resolution (regex-resolution.ts) and the
 * admin views (admin-views.ts) are parts of their own that use those steps (CoordinatorSteps).
 */
export class ConsumerGroups implements CoordinatorSteps {
  readonly config: ConsumerGroupConfig;
  /** Told about every member state change; the coordinator never depends on it. */
  onTransition: ((t: ConsumerGroupTransition) => void) | undefined;
  readonly clock: Clock;
  readonly topics: TopicsView;
  private readonly classic: ClassicGroupsView | undefined;
  private readonly groups = new Map<string, ConsumerGroup>();
  /** JoinGroup/SyncGroup/Heartbeat/LeaveGroup of classic-protocol members of a consumer group. */
  readonly classicMembers: ClassicMembers;
  private readonly regexes: RegexResolution;
  private readonly views: ConsumerGroupViews;
  private isStopped = false;

  constructor(options: ConsumerGroupsOptions) {
    this.config = { ...DEFAULT_CONSUMER_GROUP_CONFIG, ...options.config };
    this.clock = options.clock ?? systemClock;
    this.topics = options.topics;
    this.classic = options.classic;
    this.classicMembers = new ClassicMembers(this);
    this.regexes = new RegexResolution(this);
    this.views = new ConsumerGroupViews(this, this.classic);
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  allGroups(): IterableIterator<ConsumerGroup> {
    return this.groups.values();
  }

  forgetGroup(groupId: string): void {
    this.groups.delete(groupId);
  }

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  // -------------------------------------------------------------------------------------------------
  // ConsumerGroupHeartbeat

  heartbeat(a: HeartbeatArgs): HeartbeatResult {
    if (this.stopped) return errorResult(E.COORDINATOR_NOT_AVAILABLE, null);
    try {
      this.validateRequest(a);
      if (a.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || a.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        return this.leave(a);
      }
      return this.join(a);
    } catch (e) {
      if (e instanceof Refusal) return errorResult(e.errorCode, e.message);
      throw e;
    }
  }

  /** GroupCoordinatorService.throwIfConsumerGroupHeartbeatRequestIsInvalid, with Kafka's messages. */
  private validateRequest(a: HeartbeatArgs): void {
    const invalid = (message: string) => new Refusal(E.INVALID_REQUEST, message);
    // KIP-1082: from v1 the member generates its own id, also when joining.
    if (a.apiVersion >= 1 || a.memberEpoch > 0 || a.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
      if (a.memberId.trim() === '') throw invalid("MemberId can't be empty.");
    }
    if (a.groupId.trim() === '') throw invalid("GroupId can't be empty.");
    if (a.instanceId !== null && a.instanceId.trim() === '') throw invalid("InstanceId can't be empty.");
    if (a.rackId !== null && a.rackId.trim() === '') throw invalid("RackId can't be empty.");
    if (a.memberEpoch === JOIN_GROUP_MEMBER_EPOCH) {
      if (a.rebalanceTimeoutMs === -1) throw invalid('RebalanceTimeoutMs must be provided in first request.');
      if (a.topicPartitions === null || a.topicPartitions.length > 0) {
        throw invalid('TopicPartitions must be empty when (re-)joining.');
      }
      if (a.subscribedTopicNames === null && a.subscribedTopicRegex === null) {
        throw invalid(
          'Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.',
        );
      }
    } else if (a.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      if (a.instanceId === null) throw invalid("InstanceId can't be null.");
    } else if (a.memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      throw invalid('MemberEpoch is invalid.');
    }
    if (a.serverAssignor !== null && !this.config.assignors.includes(a.serverAssignor as AssignorName)) {
      throw new Refusal(
        E.UNSUPPORTED_ASSIGNOR,
        `ServerAssignor ${a.serverAssignor} is not supported. Supported assignors: ${this.config.assignors.join(', ')}.`,
      );
    }
  }

  private existingGroup(groupId: string): ConsumerGroup {
    const group = this.groups.get(groupId);
    if (group) return group;
    if (this.classic && this.classic.kind(groupId) !== 'none') {
      throw new Refusal(E.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`);
    }
    throw new Refusal(E.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`);
  }

  /**
   * getOrMaybeCreateConsumerGroup: an Empty classic group gives way; a live one is converted
   * (the online upgrade) when validateOnlineUpgrade allows it, else GROUP_ID_NOT_FOUND.
   */
  private groupForJoin(groupId: string, create: boolean): ConsumerGroup {
    const group = this.groups.get(groupId);
    if (group) return group;
    if (!create) return this.existingGroup(groupId);
    const classicKind = this.classic?.kind(groupId) ?? 'none';
    if (classicKind === 'active' && this.classic) return this.convertToConsumerGroup(groupId, this.classic);
    return new ConsumerGroup(groupId);
  }

  /**
   * GroupMetadataManager.validateOnlineUpgrade + convertToConsumerGroup (Kafka 4.1.1's messages):
   * the policy must allow upgrades, the group must use the consumer embedded protocol and fit in
   * group.consumer.max.size. Its members become classic-protocol members of the consumer group.
   */
  private convertToConsumerGroup(groupId: string, classic: ClassicGroupsView): ConsumerGroup {
    const live = classic.describeLive?.(groupId);
    const refuse = (why: string) =>
      new Refusal(
        E.GROUP_ID_NOT_FOUND,
        `Cannot upgrade classic group ${groupId} to consumer group because ${why}.`,
      );
    if (!live || !classic.takeForUpgrade)
      throw new Refusal(E.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`);
    if (!isUpgradeEnabled(this.config.migrationPolicy)) throw refuse('online upgrade is disabled');
    if (live.protocolType !== 'consumer')
      throw refuse('the group does not use the consumer embedded protocol');
    if (live.members > this.config.maxSize)
      throw refuse('the group size exceeds the consumer group maximum size');
    let group: ConsumerGroup;
    const image = classic.takeForUpgrade(groupId);
    try {
      group = consumerGroupFromClassic(groupId, image, this.topics);
    } catch (e) {
      if (!(e instanceof MalformedConsumerProtocol)) throw e;
      throw new Refusal(
        E.GROUP_ID_NOT_FOUND,
        `Cannot upgrade the classic group ${groupId} to consumer group because the embedded consumer protocol is malformed.`,
      );
    }
    this.groups.set(groupId, group);
    for (const m of group.members.values()) {
      this.scheduleSessionTimeout(group, m);
      this.emit(group, m, m.state, 'converted from the classic group (online upgrade)');
    }
    return group;
  }

  private join(a: HeartbeatArgs): HeartbeatResult {
    const joining = a.memberEpoch === JOIN_GROUP_MEMBER_EPOCH;
    const group = this.groupForJoin(a.groupId, joining);
    if (group.members.size >= this.config.maxSize && (a.memberId === '' || !group.members.has(a.memberId))) {
      throw new Refusal(
        E.GROUP_MAX_SIZE_REACHED,
        `The consumer group has reached its maximum capacity of ${this.config.maxSize} members.`,
      );
    }
    const memberId = a.memberId === '' ? newMemberId() : a.memberId;
    const { member, isNew } =
      a.instanceId === null
        ? this.dynamicMember(group, memberId, a)
        : this.staticMember(group, memberId, a.instanceId, a);
    const before = { assigned: member.assigned, epoch: member.memberEpoch };
    // Utils.throwIfRegularExpressionIsInvalid, from maybeUpdateRegularExpressions: a regex the member
    // changes to and no other member uses is compiled (RE2/J) — after the member and epoch checks,
    // before anything changes.
    const newRegex = a.subscribedTopicRegex === '' ? null : a.subscribedTopicRegex;
    if (
      a.subscribedTopicRegex !== null &&
      newRegex !== null &&
      newRegex !== member.subscribedTopicRegex &&
      numSubscribedMembers(group, newRegex) === 0
    ) {
      compileRegex(newRegex);
    }

    // 1. The member's subscription; what changes it bumps the group epoch.
    let bump = isNew;
    const oldNames = [...member.subscribedTopicNames];
    const oldRegex = member.subscribedTopicRegex;
    const oldAssignor = member.serverAssignor;
    if (a.rackId !== null) member.rackId = a.rackId;
    if (a.rebalanceTimeoutMs !== -1) member.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
    if (a.serverAssignor !== null) member.serverAssignor = a.serverAssignor;
    if (a.subscribedTopicNames !== null)
      member.subscribedTopicNames = [...new Set(a.subscribedTopicNames)].sort();
    if (a.subscribedTopicRegex !== null) {
      member.subscribedTopicRegex = a.subscribedTopicRegex === '' ? null : a.subscribedTopicRegex;
    }
    member.clientId = a.clientId;
    member.clientHost = a.clientHost;
    // hasMemberSubscriptionChanged compares the names only; a new regex bumps the epoch through
    // maybeUpdateRegularExpressions (now when the group already resolved it, else when resolved).
    if (
      oldNames.join('\0') !== member.subscribedTopicNames.join('\0') ||
      oldAssignor !== member.serverAssignor
    ) {
      bump = true;
    }

    if (isNew) {
      if (!this.groups.has(group.groupId)) {
        if (this.classic?.kind(group.groupId) === 'empty') this.classic.removeEmpty(group.groupId);
        this.groups.set(group.groupId, group);
      }
      group.members.set(member.memberId, member);
      if (member.instanceId !== null) group.staticMembers.set(member.instanceId, member.memberId);
    }
    if (
      this.regexes.maybeUpdateRegularExpressions(
        group,
        oldRegex,
        member.subscribedTopicRegex,
        a.canDescribeTopic,
      )
    )
      bump = true;
    const metadata = this.subscriptionMetadata(group);
    if (!sameMetadata(metadata, group.subscriptionMetadata)) {
      group.subscriptionMetadata = metadata;
      bump = true;
    }
    if (bump) group.groupEpoch++;

    // 2. A new target assignment when the group epoch moved past it.
    if (group.groupEpoch > group.assignmentEpoch) this.computeTargetAssignment(group);

    // 3. One reconciliation step.
    this.maybeReconcile(group, member, a.topicPartitions, 'heartbeat');
    this.scheduleSessionTimeout(group, member);

    // Kafka 4.1's test for a full request: a rebalance timeout, a subscription (names or regex: a
    // member subscribed by regex sends no names) and the owned partitions.
    const full =
      joining ||
      (a.rebalanceTimeoutMs !== -1 &&
        (a.subscribedTopicNames !== null || a.subscribedTopicRegex !== null) &&
        a.topicPartitions !== null);
    const changed = !sameAssignment(before.assigned, member.assigned);
    return {
      errorCode: E.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      assignment: full || changed ? { topicPartitions: toTopicPartitions(member.assigned) } : null,
    };
  }

  private dynamicMember(
    group: ConsumerGroup,
    memberId: string,
    a: HeartbeatArgs,
  ): { member: ConsumerMember; isNew: boolean } {
    const existing = group.members.get(memberId);
    if (!existing) {
      if (a.memberEpoch !== JOIN_GROUP_MEMBER_EPOCH) {
        throw new Refusal(
          E.UNKNOWN_MEMBER_ID,
          `Member ${memberId} is not a member of group ${group.groupId}.`,
        );
      }
      return { member: new ConsumerMember(memberId, null), isNew: true };
    }
    if (a.memberEpoch !== JOIN_GROUP_MEMBER_EPOCH)
      checkMemberEpoch(existing, a.memberEpoch, a.topicPartitions);
    return { member: existing, isNew: false };
  }

  /** getOrMaybeSubscribeStaticConsumerGroupMember: a returning instance takes over a member that left with -2. */
  private staticMember(
    group: ConsumerGroup,
    memberId: string,
    instanceId: string,
    a: HeartbeatArgs,
  ): { member: ConsumerMember; isNew: boolean } {
    const existing = group.staticMember(instanceId);
    if (a.memberEpoch === JOIN_GROUP_MEMBER_EPOCH) {
      if (!existing) return { member: new ConsumerMember(memberId, instanceId), isNew: true };
      if (existing.memberId === memberId) return { member: existing, isNew: false };
      if (existing.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        throw new Refusal(
          E.UNRELEASED_INSTANCE_ID,
          `Static member ${memberId} with instance id ${instanceId} cannot join the group because the instance id is owned by ${existing.memberId} member.`,
        );
      }
      // The new incarnation keeps the old one's assignment and starts from epoch 0.
      return { member: group.replaceStaticMember(existing, memberId), isNew: false };
    }
    if (!existing) throw new Refusal(E.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`);
    if (existing.memberId !== memberId) {
      throw new Refusal(
        E.FENCED_INSTANCE_ID,
        `Static member ${memberId} with instance id ${instanceId} was fenced by member ${existing.memberId}.`,
      );
    }
    checkMemberEpoch(existing, a.memberEpoch, a.topicPartitions);
    return { member: existing, isNew: false };
  }

  private leave(a: HeartbeatArgs): HeartbeatResult {
    const group = this.existingGroup(a.groupId);
    const result = (epoch: number, memberId: string): HeartbeatResult => ({
      errorCode: E.NONE,
      errorMessage: null,
      memberId,
      memberEpoch: epoch,
      heartbeatIntervalMs: 0,
      assignment: null,
    });
    if (a.instanceId === null) {
      const member = group.members.get(a.memberId);
      if (!member) {
        throw new Refusal(
          E.UNKNOWN_MEMBER_ID,
          `Member ${a.memberId} is not a member of group ${group.groupId}.`,
        );
      }
      this.fence(group, member, 'LEFT', 'left the group');
      return result(a.memberEpoch, a.memberId);
    }
    const member = group.staticMember(a.instanceId);
    if (!member) throw new Refusal(E.UNKNOWN_MEMBER_ID, `Instance id ${a.instanceId} is unknown.`);
    if (member.memberId !== a.memberId) {
      throw new Refusal(
        E.FENCED_INSTANCE_ID,
        `Static member ${a.memberId} with instance id ${a.instanceId} was fenced by member ${member.memberId}.`,
      );
    }
    if (a.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      // Temporarily gone: it keeps its partitions (no rebalance) until its session times out.
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
      member.pendingRevocation = new Map();
      this.emit(group, member, member.state, 'static member left temporarily');
      return result(LEAVE_GROUP_STATIC_MEMBER_EPOCH, member.memberId);
    }
    this.fence(group, member, 'LEFT', 'static member left the group');
    return result(a.memberEpoch, a.memberId);
  }

  /**
   * consumerGroupFenceMembers: the members are removed and the group epoch bumped for a new
   * assignment — unless only classic-protocol members would remain, and the policy allows a
   * downgrade: then the group becomes a classic one (validateOnlineDowngradeWithFencedMembers).
   */
  fence(group: ConsumerGroup, member: ConsumerMember, how: 'LEFT' | 'FENCED', reason: string): void {
    this.fenceMembers(group, [member], how, reason);
  }

  fenceMembers(
    group: ConsumerGroup,
    members: readonly ConsumerMember[],
    how: 'LEFT' | 'FENCED',
    reason: string,
  ): void {
    if (members.length === 0) return;
    if (this.validateOnlineDowngrade(group, members)) {
      this.convertToClassicGroup(group, members, how, reason);
      return;
    }
    for (const m of members) group.removeMember(m);
    group.subscriptionMetadata = this.subscriptionMetadata(group);
    group.groupEpoch++;
    for (const m of members) this.emit(group, m, how, reason);
  }

  private validateOnlineDowngrade(group: ConsumerGroup, leaving: readonly ConsumerMember[]): boolean {
    const ids = new Set(leaving.map((m) => m.memberId));
    if (!this.classic?.installDowngraded || !group.allMembersUseClassicProtocolExcept(ids)) return false;
    const remaining = group.members.size - ids.size;
    if (remaining <= 0) return false;
    if (!isDowngradeEnabled(this.config.migrationPolicy)) return false;
    return remaining <= this.config.classicMaxSize;
  }

  /**
   * convertToClassicGroup: the consumer group is gone (its offsets stay), a classic group takes its
   * members, Stable at the group epoch with their target assignments, and prepares a rebalance
   * ("Downgrade group … from consumer to classic for member leaving").
   */
  private convertToClassicGroup(
    group: ConsumerGroup,
    leaving: readonly ConsumerMember[],
    how: 'LEFT' | 'FENCED',
    reason: string,
  ): void {
    const ids = new Set(leaving.map((m) => m.memberId));
    const members = classicMembersOf(group, ids, this.topics);
    for (const m of group.members.values()) m.cancelTimers();
    this.groups.delete(group.groupId);
    for (const m of leaving)
      this.emit(group, m, how, `${reason}; the group is downgraded to a classic group`);
    this.classic!.installDowngraded!(group.groupId, group.groupEpoch, members);
  }

  /** A classic-protocol member keeps the session timeout of its JoinGroup (classicProtocolSessionTimeout). */
  scheduleSessionTimeout(group: ConsumerGroup, member: ConsumerMember): void {
    member.sessionTimer?.cancel();
    const timeoutMs = member.classic?.sessionTimeoutMs ?? this.config.sessionTimeoutMs;
    member.sessionTimer = this.clock.schedule(timeoutMs, () => {
      member.sessionTimer = undefined;
      if (group.members.get(member.memberId) !== member) return;
      this.fence(group, member, 'FENCED', 'the member session expired');
    });
  }

  maybeReconcile(
    group: ConsumerGroup,
    member: ConsumerMember,
    owned: readonly TopicPartitions[] | null,
    reason: string,
  ): void {
    if (member.isReconciledTo(group.assignmentEpoch)) return;
    const out = reconcile({
      state: member.state,
      memberEpoch: member.memberEpoch,
      assigned: member.assigned,
      pendingRevocation: member.pendingRevocation,
      targetEpoch: group.assignmentEpoch,
      target: group.targetAssignment.get(member.memberId) ?? new Map(),
      owned,
      ownedByOther: (topicId, p) => group.ownedByOther(member.memberId, topicId, p),
    });
    const changed =
      out.state !== member.state ||
      out.memberEpoch !== member.memberEpoch ||
      !sameAssignment(out.assigned, member.assigned) ||
      !sameAssignment(out.pendingRevocation, member.pendingRevocation);
    if (!changed) return;
    if (out.memberEpoch !== member.memberEpoch) member.previousMemberEpoch = member.memberEpoch;
    member.memberEpoch = out.memberEpoch;
    member.state = out.state;
    member.assigned = out.assigned;
    member.pendingRevocation = out.pendingRevocation;
    if (member.state === 'UNREVOKED_PARTITIONS') {
      // The member has its own rebalance timeout to give the partitions up, or it is fenced.
      member.rebalanceTimer?.cancel();
      const epoch = member.memberEpoch;
      member.rebalanceTimer = this.clock.schedule(Math.max(0, member.rebalanceTimeoutMs), () => {
        member.rebalanceTimer = undefined;
        if (group.members.get(member.memberId) !== member || member.memberEpoch !== epoch) return;
        this.fence(
          group,
          member,
          'FENCED',
          `it failed to transition from epoch ${epoch} within ${member.rebalanceTimeoutMs}ms`,
        );
      });
    } else {
      member.rebalanceTimer?.cancel();
      member.rebalanceTimer = undefined;
    }
    this.emit(group, member, member.state, reason);
  }

  computeTargetAssignment(group: ConsumerGroup): void {
    const topics = new Map<string, TopicInfo>();
    for (const t of group.subscriptionMetadata.values()) topics.set(t.id, t);
    const byName = group.subscriptionMetadata;
    const members = [...group.members.values()].map((m) => {
      const names = new Set(m.subscribedTopicNames);
      if (m.subscribedTopicRegex !== null)
        for (const n of group.resolvedRegex.get(m.subscribedTopicRegex) ?? []) names.add(n);
      const ids = new Set<string>();
      for (const n of names) {
        const t = byName.get(n);
        if (t) ids.add(t.id);
      }
      return {
        memberId: m.memberId,
        instanceId: m.instanceId,
        subscribedTopicIds: ids,
        target: group.targetAssignment.get(m.memberId) ?? new Map(),
      };
    });
    group.targetAssignment = assign(group.assignorName(this.defaultAssignor()), { members, topics });
    group.assignmentEpoch = group.groupEpoch;
  }

  defaultAssignor(): AssignorName {
    return this.config.assignors[0] ?? 'uniform';
  }

  subscriptionMetadata(group: ConsumerGroup): Map<string, TopicInfo> {
    const out = new Map<string, TopicInfo>();
    for (const name of [...group.subscribedTopicNames()].sort()) {
      const t = this.topics.byName(name);
      if (t) out.set(name, t);
    }
    return out;
  }

  private emit(
    group: ConsumerGroup,
    member: ConsumerMember,
    memberState: ConsumerGroupTransition['memberState'],
    reason: string,
  ): void {
    if (!this.onTransition) return;
    const gone = memberState === 'LEFT' || memberState === 'FENCED';
    this.onTransition({
      groupId: group.groupId,
      memberId: member.memberId,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      memberEpoch: member.memberEpoch,
      memberState,
      reason,
      assigned: gone ? [] : this.partitionNames(member.assigned),
      revoking: gone ? [] : this.partitionNames(member.pendingRevocation),
      target: gone ? [] : this.partitionNames(group.targetAssignment.get(member.memberId) ?? new Map()),
    });
  }

  /** `orders-0` for each partition of an assignment kept by topic id, sorted (for --trace). */
  private partitionNames(assignment: ReadonlyMap<string, ReadonlySet<number>>): string[] {
    const out: string[] = [];
    for (const [topicId, partitions] of assignment) {
      const name = this.topics.byId(topicId)?.name ?? topicId;
      for (const p of [...partitions].sort((a, b) => a - b)) out.push(`${name}-${p}`);
    }
    return out.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  // -------------------------------------------------------------------------------------------------
  // Offsets (ConsumerGroup.validateOffsetCommit / validateOffsetFetch)

  /**
   * undefined when the group is not a consumer group (the classic coordinator decides then).
   * `transactional`: a TxnOffsetCommit, which any version may send (only OffsetCommit needs v9).
   */
  validateOffsetCommit(a: {
    groupId: string;
    memberId: string;
    memberEpoch: number;
    apiVersion: number;
    transactional?: boolean;
  }): { errorCode: number } | undefined {
    const group = this.groups.get(a.groupId);
    if (!group) return undefined;
    if (this.stopped) return { errorCode: E.COORDINATOR_NOT_AVAILABLE };
    // Without an epoch: an admin or a consumer without group management, allowed while Empty.
    if (a.memberEpoch < 0 && group.members.size === 0) return { errorCode: E.NONE };
    const member = group.members.get(a.memberId);
    if (!member) return { errorCode: E.UNKNOWN_MEMBER_ID };
    // A classic-protocol member commits with its generation (= member epoch) at any version.
    if (!a.transactional && member.classic === null && a.apiVersion < 9)
      return { errorCode: E.UNSUPPORTED_VERSION };
    if (a.memberEpoch !== member.memberEpoch)
      return { errorCode: member.classic === null ? E.STALE_MEMBER_EPOCH : E.ILLEGAL_GENERATION };
    return { errorCode: E.NONE };
  }

  validateOffsetFetch(a: { groupId: string; memberId: string | null; memberEpoch: number }): number {
    const group = this.groups.get(a.groupId);
    if (!group || (a.memberId === null && a.memberEpoch < 0)) return E.NONE;
    const member = a.memberId === null ? undefined : group.members.get(a.memberId);
    if (!member) return E.UNKNOWN_MEMBER_ID;
    if (a.memberEpoch !== member.memberEpoch)
      return member.classic === null ? E.STALE_MEMBER_EPOCH : E.ILLEGAL_GENERATION;
    return E.NONE;
  }

  // -------------------------------------------------------------------------------------------------
  // DeleteGroups (ConsumerGroup.validateDeleteGroup)

  /**
   * undefined when the group is not a consumer group (the classic coordinator decides then); a group
   * with members — also a static member that left temporarily — answers NON_EMPTY_GROUP; an Empty one
   * is forgotten here, and the caller deletes its committed offsets as part of the same request.
   */
  deleteGroup(groupId: string): number | undefined {
    const group = this.groups.get(groupId);
    if (!group) return undefined;
    if (this.stopped) return E.COORDINATOR_NOT_AVAILABLE;
    if (group.state !== 'Empty') return E.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    return E.NONE;
  }

  // -------------------------------------------------------------------------------------------------
  // Offset expiry (ConsumerGroup.offsetExpirationCondition, isSubscribedToTopic)

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  /**
   * A consumer group's offsets age from their commit, members or not; only topics no member is
   * subscribed to (by name or through a resolved regex) can expire.
   */
  expiringGroup(groupId: string): ExpiringGroup | undefined {
    const group = this.groups.get(groupId);
    if (!group) return undefined;
    const subscribed = group.subscribedTopicNames();
    return {
      baseTimestamp: (o) => o.commitTimestamp,
      isSubscribedToTopic: (t) => subscribed.has(t),
      isEmpty: group.members.size === 0,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Admin views: admin-views.ts

  describe(groupId: string): DescribedConsumerGroup {
    return this.views.describe(groupId);
  }

  list(filter: { states?: readonly string[]; types?: readonly string[] } = {}): ListedConsumerGroup[] {
    return this.views.list(filter);
  }

  snapshot(groupId: string): ConsumerGroupSnapshot | undefined {
    return this.views.snapshot(groupId);
  }

  /** Cancels every timer; later requests answer COORDINATOR_NOT_AVAILABLE. */
  stop(): void {
    this.isStopped = true;
    for (const g of this.groups.values()) for (const m of g.members.values()) m.cancelTimers();
  }

  /** Nothing to do: a deleted topic leaves the subscription metadata, and the next heartbeat reassigns. */
  topicDeleted(_topic: string): void {}
}

export type {
  ConsumerGroupSnapshot,
  ConsumerMemberSnapshot,
  DescribedConsumerGroup,
  DescribedConsumerMember,
  ListedConsumerGroup,
} from './admin-views.js';
export { KNOWN_ASSIGNORS };

function errorResult(errorCode: number, errorMessage: string | null): HeartbeatResult {
  return {
    errorCode,
    errorMessage,
    memberId: null,
    memberEpoch: 0,
    heartbeatIntervalMs: 0,
    assignment: null,
  };
}

/** throwIfConsumerGroupMemberEpochIsInvalid: a lost response (previous epoch, owning a subset) is forgiven. */
function checkMemberEpoch(
  member: ConsumerMember,
  received: number,
  owned: readonly TopicPartitions[] | null,
): void {
  if (received > member.memberEpoch) {
    throw new Refusal(
      E.FENCED_MEMBER_EPOCH,
      `The consumer group member has a greater member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
    );
  }
  if (received < member.memberEpoch) {
    if (received !== member.previousMemberEpoch || !isSubset(owned, member.assigned)) {
      throw new Refusal(
        E.FENCED_MEMBER_EPOCH,
        `The consumer group member has a smaller member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
      );
    }
  }
}

function isSubset(owned: readonly TopicPartitions[] | null, assigned: Assignment): boolean {
  if (owned === null) return false;
  return owned.every((t) => t.partitions.every((p) => assigned.get(t.topicId)?.has(p)));
}
