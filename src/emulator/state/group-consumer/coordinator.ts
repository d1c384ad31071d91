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
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../../clock.js';
import type { ExpiringGroup } from '../offsets-expiry.js';
import { assign } from './assignors.js';
import { ConsumerGroup, ConsumerMember } from './consumer-group.js';
import { compileTopicRegex, Re2SyntaxError, type TopicRegex } from './re2j.js';
import { reconcile, sameAssignment, toTopicPartitions } from './reconcile.js';
import {
  type Assignment,
  type AssignorName,
  type ClassicGroupsView,
  type ConsumerGroupConfig,
  type ConsumerGroupState,
  type ConsumerGroupTransition,
  DEFAULT_CONSUMER_GROUP_CONFIG,
  ConsumerGroupErrors as E,
  type HeartbeatArgs,
  type HeartbeatResult,
  JOIN_GROUP_MEMBER_EPOCH,
  KNOWN_ASSIGNORS,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  type TopicInfo,
  type TopicPartitions,
  type TopicsView,
} from './types.js';

/** GroupMetadataManager.REGEX_BATCHING_INTERVAL_MS: at most one resolution of a group's regexes per 10 s. */
const REGEX_BATCHING_INTERVAL_MS = 10_000;

export interface ConsumerGroupsOptions {
  clock?: Clock;
  config?: Partial<ConsumerGroupConfig>;
  topics: TopicsView;
  classic?: ClassicGroupsView;
}

/** A refusal: Kafka's ApiException, as an error code and its message. */
class Refusal extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DescribedConsumerMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  assignment: { topicPartitions: { topicId: string; topicName: string; partitions: number[] }[] };
  targetAssignment: { topicPartitions: { topicId: string; topicName: string; partitions: number[] }[] };
  /** 1: the consumer protocol (0 would be a classic member of a consumer group, not emulated). */
  memberType: number;
}

export interface DescribedConsumerGroup {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: DescribedConsumerMember[];
}

export interface ListedConsumerGroup {
  groupId: string;
  protocolType: string;
  groupState: ConsumerGroupState;
  groupType: 'consumer';
}

/** A member as tests and the CLI see it. */
export interface ConsumerMemberSnapshot {
  memberId: string;
  instanceId: string | null;
  memberEpoch: number;
  state: string;
  assigned: TopicPartitions[];
  pendingRevocation: TopicPartitions[];
  target: TopicPartitions[];
}

export interface ConsumerGroupSnapshot {
  state: ConsumerGroupState;
  groupEpoch: number;
  assignmentEpoch: number;
  assignor: AssignorName;
  members: ConsumerMemberSnapshot[];
}

export class ConsumerGroups {
  readonly config: ConsumerGroupConfig;
  /** Told about every member state change; the coordinator never depends on it. */
  onTransition: ((t: ConsumerGroupTransition) => void) | undefined;
  private readonly clock: Clock;
  private readonly topics: TopicsView;
  private readonly classic: ClassicGroupsView | undefined;
  private readonly groups = new Map<string, ConsumerGroup>();
  private stopped = false;

  constructor(options: ConsumerGroupsOptions) {
    this.config = { ...DEFAULT_CONSUMER_GROUP_CONFIG, ...options.config };
    this.clock = options.clock ?? systemClock;
    this.topics = options.topics;
    this.classic = options.classic;
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

  /** getOrMaybeCreateConsumerGroup: an Empty classic group gives way; a live one is not converted here. */
  private groupForJoin(groupId: string, create: boolean): ConsumerGroup {
    const group = this.groups.get(groupId);
    if (group) return group;
    if (!create) return this.existingGroup(groupId);
    const classicKind = this.classic?.kind(groupId) ?? 'none';
    // KIP-848's online upgrade of a live classic group (group.consumer.migration.policy) is not
    // emulated: such a group answers as one that is not a consumer group (SKIPPED.md).
    if (classicKind === 'active')
      throw new Refusal(E.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group`);
    return new ConsumerGroup(groupId);
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
      this.numSubscribedMembers(group, newRegex) === 0
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
    if (this.maybeUpdateRegularExpressions(group, oldRegex, member.subscribedTopicRegex)) bump = true;
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
      existing.cancelTimers();
      group.replaceMemberId(existing, memberId);
      existing.memberEpoch = 0;
      existing.previousMemberEpoch = 0;
      existing.state = 'STABLE';
      return { member: existing, isNew: false };
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

  /** consumerGroupFenceMember: the member is removed and the group epoch bumped for a new assignment. */
  private fence(group: ConsumerGroup, member: ConsumerMember, how: 'LEFT' | 'FENCED', reason: string): void {
    group.removeMember(member);
    group.subscriptionMetadata = this.subscriptionMetadata(group);
    group.groupEpoch++;
    this.emit(group, member, how, reason);
  }

  private scheduleSessionTimeout(group: ConsumerGroup, member: ConsumerMember): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.clock.schedule(this.config.sessionTimeoutMs, () => {
      member.sessionTimer = undefined;
      if (group.members.get(member.memberId) !== member) return;
      this.fence(group, member, 'FENCED', 'the member session expired');
    });
  }

  private maybeReconcile(
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

  private computeTargetAssignment(group: ConsumerGroup): void {
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

  private defaultAssignor(): AssignorName {
    return this.config.assignors[0] ?? 'uniform';
  }

  /** ConsumerGroup.numSubscribedMembers(regex). */
  private numSubscribedMembers(group: ConsumerGroup, regex: string): number {
    let n = 0;
    for (const m of group.members.values()) if (m.subscribedTopicRegex === regex) n++;
    return n;
  }

  /**
   * GroupMetadataManager.maybeUpdateRegularExpressions (Kafka 4.1.1, read from the jar's bytecode).
   * Kafka resolves regexes off the heartbeat path, batched: a heartbeat schedules a resolution of
   * every regex of the group when one is not already running, the last one started more than 10 s
   * ago (REGEX_BATCHING_INTERVAL_MS), and there is a reason — a regex no resolution has seen yet,
   * topics created since the last one, or group.consumer.regex.refresh.interval.ms (10 min) passed.
   * The resolution's result bumps the group epoch when it differs (handled in resolveNow); a member
   * moving to a regex the group has already resolved bumps it at once (the return value).
   * The resolution runs on the cluster's clock at 0 ms: the next heartbeat sees its epoch.
   */
  private maybeUpdateRegularExpressions(
    group: ConsumerGroup,
    oldRegex: string | null,
    newRegex: string | null,
  ): boolean {
    const now = this.clock.now();
    let bump = false;
    let requireRefresh = false;
    if (oldRegex !== newRegex) {
      // The last member of a regex leaving it takes its resolution away (Kafka writes a tombstone).
      if (oldRegex !== null && this.numSubscribedMembers(group, oldRegex) === 0) {
        group.resolvedRegex.delete(oldRegex);
      }
      if (newRegex !== null) {
        if (this.numSubscribedMembers(group, newRegex) === 1) requireRefresh = true;
        else bump = group.resolvedRegex.has(newRegex);
      }
    }
    const regexes = new Set<string>();
    for (const m of group.members.values())
      if (m.subscribedTopicRegex !== null) regexes.add(m.subscribedTopicRegex);
    if (!requireRefresh && regexes.size === 0) return bump;
    if (group.regexRefreshPending) return bump;
    const last = group.lastRegexRefreshMs;
    if (last !== undefined && now <= last + REGEX_BATCHING_INTERVAL_MS) return bump;
    requireRefresh ||=
      regexes.size !== group.resolvedRegex.size ||
      this.topicsCreatedSince(group) ||
      last === undefined ||
      now > last + this.config.regexRefreshIntervalMs;
    if (!requireRefresh || regexes.size === 0) return bump;
    group.regexRefreshPending = true;
    this.clock.schedule(0, () => this.resolveNow(group, now));
    return bump;
  }

  /** A topic exists that the last resolution did not see (Kafka: lastMetadataImageWithNewTopics). */
  private topicsCreatedSince(group: ConsumerGroup): boolean {
    for (const t of this.topics.all()) if (!group.regexTopicIds.has(t.id)) return true;
    return false;
  }

  /** The resolution's completion: new results bump the group epoch (and so a new target assignment). */
  private resolveNow(group: ConsumerGroup, startedMs: number): void {
    group.regexRefreshPending = false;
    if (this.stopped || this.groups.get(group.groupId) !== group) return;
    const resolved = this.resolveRegexes(group);
    let changed = resolved.size !== group.resolvedRegex.size;
    for (const [regex, names] of resolved) {
      if (group.resolvedRegex.get(regex)?.join('\0') !== names.join('\0')) changed = true;
    }
    group.resolvedRegex.clear();
    for (const [regex, names] of resolved) group.resolvedRegex.set(regex, names);
    group.lastRegexRefreshMs = startedMs;
    group.regexTopicIds = new Set(this.topics.all().map((t) => t.id));
    const metadata = this.subscriptionMetadata(group);
    if (changed || !sameMetadata(metadata, group.subscriptionMetadata)) {
      group.subscriptionMetadata = metadata;
      group.groupEpoch++;
    }
  }

  /** Every regex the members use, resolved against the topics that exist now (full match, sorted). */
  private resolveRegexes(group: ConsumerGroup): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const m of group.members.values()) {
      const regex = m.subscribedTopicRegex;
      if (regex === null || out.has(regex)) continue;
      // Kafka logs a regex it cannot compile and leaves it unresolved; one that got in was valid.
      let re: TopicRegex;
      try {
        re = compileTopicRegex(regex);
      } catch {
        continue;
      }
      out.set(
        regex,
        this.topics
          .all()
          .map((t) => t.name)
          .filter((n) => re.matches(n))
          .sort(),
      );
    }
    return out;
  }

  private subscriptionMetadata(group: ConsumerGroup): Map<string, TopicInfo> {
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
    if (!a.transactional && a.apiVersion < 9) return { errorCode: E.UNSUPPORTED_VERSION };
    if (a.memberEpoch !== member.memberEpoch) return { errorCode: E.STALE_MEMBER_EPOCH };
    return { errorCode: E.NONE };
  }

  validateOffsetFetch(a: { groupId: string; memberId: string | null; memberEpoch: number }): number {
    const group = this.groups.get(a.groupId);
    if (!group || (a.memberId === null && a.memberEpoch < 0)) return E.NONE;
    const member = a.memberId === null ? undefined : group.members.get(a.memberId);
    if (!member) return E.UNKNOWN_MEMBER_ID;
    if (a.memberEpoch !== member.memberEpoch) return E.STALE_MEMBER_EPOCH;
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
  // Admin views

  describe(groupId: string): DescribedConsumerGroup {
    const group = this.groups.get(groupId);
    if (!group || this.stopped) {
      const classic = this.classic && this.classic.kind(groupId) !== 'none';
      return {
        errorCode: this.stopped ? E.COORDINATOR_NOT_AVAILABLE : E.GROUP_ID_NOT_FOUND,
        errorMessage: this.stopped
          ? null
          : classic
            ? `Group ${groupId} is not a consumer group.`
            : `Group ${groupId} not found.`,
        groupId,
        // Kafka answers a group it cannot describe with the response's defaults.
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        assignorName: '',
        members: [],
      };
    }
    const named = (a: Assignment) =>
      toTopicPartitions(a).map((t) => ({
        topicId: t.topicId,
        topicName: this.topics.byId(t.topicId)?.name ?? '',
        partitions: t.partitions,
      }));
    return {
      errorCode: E.NONE,
      errorMessage: null,
      groupId,
      groupState: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      assignorName: group.assignorName(this.defaultAssignor()),
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        rackId: m.rackId,
        memberEpoch: m.memberEpoch,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: m.subscribedTopicNames,
        // Kafka's describe gives '' for a member without a regex.
        subscribedTopicRegex: m.subscribedTopicRegex ?? '',
        assignment: { topicPartitions: named(m.assigned) },
        targetAssignment: { topicPartitions: named(group.targetAssignment.get(m.memberId) ?? new Map()) },
        memberType: 1,
      })),
    };
  }

  list(filter: { states?: readonly string[]; types?: readonly string[] } = {}): ListedConsumerGroup[] {
    const states = new Set((filter.states ?? []).map((s) => s.toLowerCase()));
    const types = new Set((filter.types ?? []).map((s) => s.toLowerCase()));
    if (types.size > 0 && !types.has('consumer')) return [];
    const out: ListedConsumerGroup[] = [];
    for (const g of this.groups.values()) {
      if (states.size > 0 && !states.has(g.state.toLowerCase())) continue;
      out.push({ groupId: g.groupId, protocolType: 'consumer', groupState: g.state, groupType: 'consumer' });
    }
    return out;
  }

  snapshot(groupId: string): ConsumerGroupSnapshot | undefined {
    const g = this.groups.get(groupId);
    if (!g) return undefined;
    return {
      state: g.state,
      groupEpoch: g.groupEpoch,
      assignmentEpoch: g.assignmentEpoch,
      assignor: g.assignorName(this.defaultAssignor()),
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        memberEpoch: m.memberEpoch,
        state: m.state,
        assigned: toTopicPartitions(m.assigned),
        pendingRevocation: toTopicPartitions(m.pendingRevocation),
        target: toTopicPartitions(g.targetAssignment.get(m.memberId) ?? new Map()),
      })),
    };
  }

  /** Cancels every timer; later requests answer COORDINATOR_NOT_AVAILABLE. */
  stop(): void {
    this.stopped = true;
    for (const g of this.groups.values()) for (const m of g.members.values()) m.cancelTimers();
  }

  /** Nothing to do: a deleted topic leaves the subscription metadata, and the next heartbeat reassigns. */
  topicDeleted(_topic: string): void {}
}

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

function sameMetadata(a: Map<string, TopicInfo>, b: Map<string, TopicInfo>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, t] of a) {
    const o = b.get(name);
    if (!o || o.id !== t.id || o.numPartitions !== t.numPartitions) return false;
  }
  return true;
}

/** Utils.throwIfRegularExpressionIsInvalid: RE2/J's description in Kafka's message. */
function compileRegex(source: string): TopicRegex {
  try {
    return compileTopicRegex(source);
  } catch (e) {
    if (!(e instanceof Re2SyntaxError)) throw e;
    throw new Refusal(
      E.INVALID_REGULAR_EXPRESSION,
      `SubscribedTopicRegex \`${source}\` is not a valid regular expression: ${e.description}.`,
    );
  }
}

/** Kafka's Uuid.randomUuid().toString(): 16 random bytes, base64url without padding. */
function newMemberId(): string {
  return randomBytes(16).toString('base64url');
}
