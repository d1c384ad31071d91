/**
 * One consumer group's data (Kafka's ConsumerGroup and ConsumerGroupMember): the group epoch (bumped
 * when membership or subscriptions change), the target assignment and its epoch, each member's epoch
 * and current assignment, and who owns each partition right now.
 */
import type { Timer } from '../../clock.js';
import type {
  Assignment,
  AssignorName,
  ClassicProtocol,
  ConsumerGroupState,
  MemberState,
  TopicInfo,
} from './types.js';

/**
 * ConsumerGroupMemberMetadataValue.ClassicMemberMetadata: a member that speaks JoinGroup/SyncGroup/
 * Heartbeat inside a consumer group (KIP-848's online migration) — its session timeout and the
 * protocols it joined with, in its order of preference.
 */
export interface ClassicMemberMetadata {
  sessionTimeoutMs: number;
  protocols: readonly ClassicProtocol[];
}

export class ConsumerMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null = null;
  memberEpoch = 0;
  previousMemberEpoch = 0;
  state: MemberState = 'STABLE';
  rebalanceTimeoutMs = -1;
  clientId = '';
  clientHost = '';
  subscribedTopicNames: string[] = [];
  subscribedTopicRegex: string | null = null;
  serverAssignor: string | null = null;
  assigned: Assignment = new Map();
  pendingRevocation: Assignment = new Map();
  /** Set for a member using the classic protocol (ConsumerGroupMember.useClassicProtocol). */
  classic: ClassicMemberMetadata | null = null;
  sessionTimer?: Timer;
  rebalanceTimer?: Timer;
  /** A classic member told to rejoin (or just joined) must send JoinGroup (SyncGroup) within its rebalance timeout. */
  joinTimer?: Timer;
  syncTimer?: Timer;

  constructor(memberId: string, instanceId: string | null) {
    this.memberId = memberId;
    this.instanceId = instanceId;
  }

  isReconciledTo(epoch: number): boolean {
    return this.state === 'STABLE' && this.memberEpoch === epoch;
  }

  cancelTimers(): void {
    this.sessionTimer?.cancel();
    this.sessionTimer = undefined;
    this.rebalanceTimer?.cancel();
    this.rebalanceTimer = undefined;
    this.joinTimer?.cancel();
    this.joinTimer = undefined;
    this.syncTimer?.cancel();
    this.syncTimer = undefined;
  }
}

export class ConsumerGroup {
  readonly groupId: string;
  groupEpoch = 0;
  assignmentEpoch = 0;
  /** In join order: the uniform assignor hands out extra partitions in this order. */
  readonly members = new Map<string, ConsumerMember>();
  /** instance id → member id. */
  readonly staticMembers = new Map<string, string>();
  /** member id → its target assignment at assignmentEpoch. */
  targetAssignment = new Map<string, Assignment>();
  /** The subscribed topics as last seen (name → id and partitions): a change bumps the group epoch. */
  subscriptionMetadata = new Map<string, TopicInfo>();
  /** Which regex resolved to which topic names, as of the last resolution. */
  readonly resolvedRegex = new Map<string, string[]>();
  /** A regex resolution is scheduled (coordinator.maybeUpdateRegularExpressions). */
  regexRefreshPending = false;
  /** When the last resolution started (Kafka's lastResolvedRegularExpressionRefreshTimeMs); never yet: undefined. */
  lastRegexRefreshMs: number | undefined;
  /** The topic ids the last resolution saw: a topic not among them is new and calls for another. */
  regexTopicIds = new Set<string>();

  constructor(groupId: string) {
    this.groupId = groupId;
  }

  get state(): ConsumerGroupState {
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) if (!m.isReconciledTo(this.assignmentEpoch)) return 'Reconciling';
    return 'Stable';
  }

  /** ConsumerGroup.allMembersUseClassicProtocolExcept: what an online downgrade asks. */
  allMembersUseClassicProtocolExcept(except: ReadonlySet<string>): boolean {
    for (const m of this.members.values()) if (!except.has(m.memberId) && m.classic === null) return false;
    return true;
  }

  /**
   * ConsumerGroup.supportsClassicProtocols: a classic member may join when its protocol type is
   * `consumer` and, if the group has classic members, it shares a protocol name with all of them.
   */
  supportsClassicProtocols(protocolType: string, names: ReadonlySet<string>): boolean {
    if (protocolType !== 'consumer' || names.size === 0) return false;
    const classic = [...this.members.values()].filter((m) => m.classic !== null);
    if (classic.length === 0) return true;
    for (const name of names)
      if (classic.every((m) => m.classic!.protocols.some((p) => p.name === name))) return true;
    return false;
  }

  /** ConsumerGroup.waitingOnUnreleasedPartition: a partition of the member's target still owned by another. */
  waitingOnUnreleasedPartition(member: ConsumerMember): boolean {
    if (member.state !== 'UNRELEASED_PARTITIONS') return false;
    const target = this.targetAssignment.get(member.memberId);
    if (!target) return false;
    for (const [topicId, partitions] of target) {
      for (const p of partitions) {
        if (member.assigned.get(topicId)?.has(p)) continue;
        if (this.ownedByOther(member.memberId, topicId, p)) return true;
      }
    }
    return false;
  }

  staticMember(instanceId: string): ConsumerMember | undefined {
    const id = this.staticMembers.get(instanceId);
    return id === undefined ? undefined : this.members.get(id);
  }

  /** The member (other than `except`) that owns the partition — assigned or still revoking it. */
  ownedByOther(except: string, topicId: string, partition: number): boolean {
    for (const m of this.members.values()) {
      if (m.memberId === except) continue;
      if (m.assigned.get(topicId)?.has(partition) || m.pendingRevocation.get(topicId)?.has(partition))
        return true;
    }
    return false;
  }

  /** The assignor the group uses: the one most members asked for, else the broker's default. */
  assignorName(defaultName: AssignorName): AssignorName {
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      if (m.serverAssignor !== null) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name;
    return (best as AssignorName | undefined) ?? defaultName;
  }

  /** Every topic name some member subscribes to, by name or through its regex. */
  subscribedTopicNames(): Set<string> {
    const out = new Set<string>();
    for (const m of this.members.values()) {
      for (const t of m.subscribedTopicNames) out.add(t);
      if (m.subscribedTopicRegex !== null)
        for (const t of this.resolvedRegex.get(m.subscribedTopicRegex) ?? []) out.add(t);
    }
    return out;
  }

  replaceMemberId(member: ConsumerMember, newId: string): void {
    const target = this.targetAssignment.get(member.memberId);
    this.members.delete(member.memberId);
    this.targetAssignment.delete(member.memberId);
    member.memberId = newId;
    this.members.set(newId, member);
    if (target) this.targetAssignment.set(newId, target);
    if (member.instanceId !== null) this.staticMembers.set(member.instanceId, newId);
  }

  /**
   * A new incarnation of a static member takes the old one's place (getOrMaybeSubscribeStatic…):
   * same instance id and assignment, the new member id, from epoch 0 and STABLE.
   */
  replaceStaticMember(existing: ConsumerMember, newId: string): ConsumerMember {
    existing.cancelTimers();
    this.replaceMemberId(existing, newId);
    existing.memberEpoch = 0;
    existing.previousMemberEpoch = 0;
    existing.state = 'STABLE';
    return existing;
  }

  removeMember(member: ConsumerMember): void {
    member.cancelTimers();
    this.members.delete(member.memberId);
    this.targetAssignment.delete(member.memberId);
    if (member.instanceId !== null && this.staticMembers.get(member.instanceId) === member.memberId) {
      this.staticMembers.delete(member.instanceId);
    }
  }
}
