/**
 * Classic-protocol members of a consumer group (KIP-848's online migration): JoinGroup, SyncGroup,
 * Heartbeat and LeaveGroup sent to a consumer group, as GroupMetadataManager's
 * classicGroup*ToConsumerGroup. Such a member is a consumer group member like the others — the
 * server-side assignor decides its partitions, it reconciles through the same steps — whose
 * subscription and owned partitions come from its JoinGroup metadata, and which is told to rejoin
 * (REBALANCE_IN_PROGRESS) where a consumer-protocol member would get a new assignment in its
 * heartbeat answer.
 */
import {
  type JoinGroupArgs,
  type JoinGroupResult,
  joinError,
  type LeaveGroupResult,
  type LeavingMember,
  type SyncGroupArgs,
  type SyncGroupResult,
} from '../group-classic/types.js';
import { type ConsumerGroup, ConsumerMember } from './consumer-group.js';
import { type CoordinatorSteps, newMemberId, Refusal, sameMetadata } from './coordinator-steps.js';
import {
  MalformedConsumerProtocol,
  ownedPartitionsOf,
  serializeAssignment,
  subscriptionOf,
} from './migration.js';
import { ConsumerGroupErrors as E } from './types.js';

export class ClassicMembers {
  constructor(private readonly steps: CoordinatorSteps) {}

  /**
   * Where a classic JoinGroup goes (GroupMetadataManager.classicGroupJoin): undefined when the
   * classic coordinator takes it — no consumer group of that id, or an Empty one, which gives its id
   * to a classic group (maybeDeleteEmptyConsumerGroup; the committed offsets stay). The session
   * timeout is checked first, as GroupCoordinatorService.joinGroup does before any group is looked at.
   *
   * Else classicGroupJoinToConsumerGroup: the member joins (or rejoins) like a consumer-protocol
   * member whose subscription and owned partitions come from its JoinGroup metadata, and is answered
   * at once: the generation is its member epoch, no leader, no member list — the assignment is the
   * server-side assignor's, handed out by SyncGroup.
   */
  join(a: JoinGroupArgs): JoinGroupResult | undefined {
    const refused = (errorCode: number, memberId = a.memberId) => joinError(errorCode, memberId);
    const group = this.steps.group(a.groupId);
    if (!group) return undefined;
    if (this.steps.stopped) return refused(E.COORDINATOR_NOT_AVAILABLE);
    if (
      a.sessionTimeoutMs < this.steps.config.classicMinSessionTimeoutMs ||
      a.sessionTimeoutMs > this.steps.config.classicMaxSessionTimeoutMs
    ) {
      return refused(E.INVALID_SESSION_TIMEOUT);
    }
    if (group.members.size === 0) {
      this.steps.forgetGroup(a.groupId);
      return undefined;
    }
    const isUnknownMember = a.memberId === '';
    const memberId = isUnknownMember ? newMemberId() : a.memberId;
    try {
      if (!group.members.has(memberId) && group.members.size >= this.steps.config.maxSize) {
        throw new Refusal(
          E.GROUP_MAX_SIZE_REACHED,
          `The consumer group has reached its maximum capacity of ${this.steps.config.maxSize} members.`,
        );
      }
      if (!group.supportsClassicProtocols(a.protocolType, new Set(a.protocols.map((p) => p.name)))) {
        throw new Refusal(E.INCONSISTENT_GROUP_PROTOCOL, `Member ${memberId}'s protocols are not supported.`);
      }
      // KIP-394: a new dynamic member first gets its id (nothing is remembered: the next JoinGroup creates it).
      if (a.requireKnownMemberId && a.groupInstanceId === null && isUnknownMember) {
        return refused(E.MEMBER_ID_REQUIRED, memberId);
      }
      let subscription: ReturnType<typeof subscriptionOf>;
      try {
        subscription = subscriptionOf(a.protocols);
      } catch (e) {
        if (!(e instanceof MalformedConsumerProtocol)) throw e;
        throw new Refusal(E.INCONSISTENT_GROUP_PROTOCOL, `Member ${memberId}'s protocols are not supported.`);
      }
      const { member, isNew } = this.memberFor(group, memberId, isUnknownMember, a.groupInstanceId);

      let bump = isNew;
      const oldNames = member.subscribedTopicNames.join('\0');
      if (subscription.rackId) member.rackId = subscription.rackId;
      member.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
      member.subscribedTopicNames = [...new Set(subscription.topics)].sort();
      member.clientId = a.clientId;
      member.clientHost = a.clientHost;
      member.classic = { sessionTimeoutMs: a.sessionTimeoutMs, protocols: a.protocols };
      if (oldNames !== member.subscribedTopicNames.join('\0')) bump = true;
      if (isNew) {
        group.members.set(member.memberId, member);
        if (member.instanceId !== null) group.staticMembers.set(member.instanceId, member.memberId);
      }
      const metadata = this.steps.subscriptionMetadata(group);
      if (!sameMetadata(metadata, group.subscriptionMetadata)) {
        group.subscriptionMetadata = metadata;
        bump = true;
      }
      if (bump) group.groupEpoch++;
      if (group.groupEpoch > group.assignmentEpoch) this.steps.computeTargetAssignment(group);
      // An eager member rejoins owning nothing; a cooperative one names what it kept.
      this.steps.maybeReconcile(
        group,
        member,
        ownedPartitionsOf(subscription, this.steps.topics),
        'classic JoinGroup',
      );

      // The member now has its rebalance timeout to send SyncGroup, and its session timeout runs.
      member.joinTimer?.cancel();
      member.joinTimer = undefined;
      this.steps.scheduleSessionTimeout(group, member);
      this.scheduleDeadline(group, member, 'sync', a.rebalanceTimeoutMs);
      return {
        errorCode: E.NONE,
        generationId: member.memberEpoch,
        protocolType: 'consumer',
        protocolName: member.classic.protocols[0].name,
        leader: '',
        skipAssignment: false,
        memberId: member.memberId,
        members: [],
      };
    } catch (e) {
      if (e instanceof Refusal) return refused(e.errorCode);
      throw e;
    }
  }

  /** getOrMaybeSubscribe{Dynamic,Static}ConsumerGroupMember for a classic JoinGroup. */
  private memberFor(
    group: ConsumerGroup,
    memberId: string,
    isUnknownMember: boolean,
    instanceId: string | null,
  ): { member: ConsumerMember; isNew: boolean } {
    if (instanceId === null) {
      const existing = group.members.get(memberId);
      return existing
        ? { member: existing, isNew: false }
        : { member: new ConsumerMember(memberId, null), isNew: true };
    }
    const existing = group.staticMember(instanceId);
    if (!existing) return { member: new ConsumerMember(memberId, instanceId), isNew: true };
    if (existing.memberId === memberId) return { member: existing, isNew: false };
    if (!isUnknownMember) {
      throw new Refusal(
        E.FENCED_INSTANCE_ID,
        `Static member ${memberId} with instance id ${instanceId} was fenced by member ${existing.memberId}.`,
      );
    }
    // The new incarnation keeps the old one's assignment and starts from epoch 0.
    return { member: group.replaceStaticMember(existing, memberId), isNew: false };
  }

  /** validateConsumerGroupMember + throwIfMemberDoesNotUseClassicProtocol. */
  private memberOf(group: ConsumerGroup, memberId: string, instanceId: string | null): ConsumerMember {
    let member: ConsumerMember | undefined;
    if (instanceId === null) {
      member = group.members.get(memberId);
      if (!member)
        throw new Refusal(
          E.UNKNOWN_MEMBER_ID,
          `Member ${memberId} is not a member of group ${group.groupId}.`,
        );
    } else {
      member = group.staticMember(instanceId);
      if (!member) {
        throw new Refusal(
          E.UNKNOWN_MEMBER_ID,
          `Member with instance id ${instanceId} is not a member of group ${group.groupId}.`,
        );
      }
      if (member.memberId !== memberId) {
        throw new Refusal(
          E.FENCED_INSTANCE_ID,
          `Static member ${memberId} with instance id ${instanceId} was fenced by member ${member.memberId}.`,
        );
      }
    }
    if (member.classic === null)
      throw new Refusal(E.UNKNOWN_MEMBER_ID, `Member ${member.memberId} does not use the classic protocol.`);
    return member;
  }

  /**
   * classicGroupSyncToConsumerGroup: the member gets its current assignment (what it may own now,
   * without what it must still revoke) in the consumer protocol; REBALANCE_IN_PROGRESS when the
   * group moved on since its JoinGroup and it has nothing left to revoke.
   */
  sync(a: SyncGroupArgs): SyncGroupResult {
    const refused = (errorCode: number): SyncGroupResult => ({
      errorCode,
      protocolType: null,
      protocolName: null,
      assignment: new Uint8Array(0),
    });
    if (this.steps.stopped) return refused(E.COORDINATOR_NOT_AVAILABLE);
    const group = this.steps.group(a.groupId);
    if (!group) return refused(E.UNKNOWN_MEMBER_ID);
    try {
      const member = this.memberOf(group, a.memberId, a.groupInstanceId);
      const classic = member.classic!;
      if (a.generationId !== member.memberEpoch) throw new Refusal(E.ILLEGAL_GENERATION, 'generation');
      if (a.protocolType !== null && a.protocolType !== 'consumer')
        throw new Refusal(E.INCONSISTENT_GROUP_PROTOCOL, 'protocol type');
      if (a.protocolName !== null && a.protocolName !== classic.protocols[0].name)
        throw new Refusal(E.INCONSISTENT_GROUP_PROTOCOL, 'protocol name');
      if (group.groupEpoch > member.memberEpoch && member.state !== 'UNREVOKED_PARTITIONS') {
        this.scheduleDeadline(group, member, 'join', member.rebalanceTimeoutMs, true);
        throw new Refusal(E.REBALANCE_IN_PROGRESS, 'rejoin');
      }
      member.syncTimer?.cancel();
      member.syncTimer = undefined;
      this.steps.scheduleSessionTimeout(group, member);
      return {
        errorCode: E.NONE,
        protocolType: a.protocolType,
        protocolName: a.protocolName,
        assignment: serializeAssignment(member.assigned, classic, this.steps.topics),
      };
    } catch (e) {
      if (e instanceof Refusal) return refused(e.errorCode);
      throw e;
    }
  }

  /**
   * classicGroupHeartbeatToConsumerGroup: keeps the session; REBALANCE_IN_PROGRESS tells the member
   * to rejoin when the group epoch moved past it, when it has partitions to revoke, or when the
   * partitions it waited for are free now.
   */
  heartbeat(a: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupInstanceId: string | null;
  }): number {
    if (this.steps.stopped) return E.COORDINATOR_NOT_AVAILABLE;
    const group = this.steps.group(a.groupId);
    if (!group) return E.UNKNOWN_MEMBER_ID;
    try {
      const member = this.memberOf(group, a.memberId, a.groupInstanceId);
      if (a.generationId !== member.memberEpoch) return E.ILLEGAL_GENERATION;
      this.steps.scheduleSessionTimeout(group, member);
      if (
        member.memberEpoch < group.groupEpoch ||
        member.state === 'UNREVOKED_PARTITIONS' ||
        (member.state === 'UNRELEASED_PARTITIONS' && !group.waitingOnUnreleasedPartition(member))
      ) {
        this.scheduleDeadline(group, member, 'join', member.rebalanceTimeoutMs, true);
        return E.REBALANCE_IN_PROGRESS;
      }
      return E.NONE;
    } catch (e) {
      if (e instanceof Refusal) return e.errorCode;
      throw e;
    }
  }

  /** classicGroupLeaveToConsumerGroup: the members that may leave are fenced together (one epoch bump, or a downgrade). */
  leave(groupId: string, leaving: readonly LeavingMember[]): LeaveGroupResult {
    if (this.steps.stopped) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
    const group = this.steps.group(groupId);
    if (!group) return { errorCode: E.UNKNOWN_MEMBER_ID, members: [] };
    const out: LeaveGroupResult['members'] = [];
    const valid: ConsumerMember[] = [];
    for (const l of leaving) {
      try {
        let member: ConsumerMember | undefined;
        if (l.groupInstanceId === null) {
          member = group.members.get(l.memberId);
          if (!member) throw new Refusal(E.UNKNOWN_MEMBER_ID, 'unknown');
        } else {
          member = group.staticMember(l.groupInstanceId);
          if (!member) throw new Refusal(E.UNKNOWN_MEMBER_ID, 'unknown instance');
          // Admin removal by instance id comes without a member id.
          if (l.memberId !== '' && l.memberId !== member.memberId)
            throw new Refusal(E.FENCED_INSTANCE_ID, 'fenced');
        }
        if (member.classic === null) throw new Refusal(E.UNKNOWN_MEMBER_ID, 'not classic');
        out.push({ memberId: member.memberId, groupInstanceId: l.groupInstanceId, errorCode: E.NONE });
        if (!valid.includes(member)) valid.push(member);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        out.push({ memberId: l.memberId, groupInstanceId: l.groupInstanceId, errorCode: e.errorCode });
      }
    }
    this.steps.fenceMembers(group, valid, 'LEFT', 'left the group (LeaveGroup)');
    return { errorCode: E.NONE, members: out };
  }

  /**
   * scheduleConsumerGroupJoinTimeoutIfAbsent / scheduleConsumerGroupSyncTimeout: a classic member
   * told to rejoin must send JoinGroup, and one that joined must send SyncGroup, within its
   * rebalance timeout — else it is fenced.
   */
  private scheduleDeadline(
    group: ConsumerGroup,
    member: ConsumerMember,
    kind: 'join' | 'sync',
    timeoutMs: number,
    ifAbsent = false,
  ): void {
    const key = kind === 'join' ? 'joinTimer' : 'syncTimer';
    if (ifAbsent && member[key]) return;
    member[key]?.cancel();
    member[key] = this.steps.clock.schedule(Math.max(0, timeoutMs), () => {
      member[key] = undefined;
      if (group.members.get(member.memberId) !== member || this.steps.group(group.groupId) !== group) return;
      this.steps.fence(
        group,
        member,
        'FENCED',
        kind === 'join'
          ? `the classic member did not rejoin within ${timeoutMs}ms`
          : `the classic member did not send SyncGroup within ${timeoutMs}ms`,
      );
    });
  }
}
