/**
 * One consumer group's data (Kafka's ConsumerGroup and ConsumerGroupMember): the group epoch (bumped
 * when membership or subscriptions change), the target assignment and its epoch, each member's epoch
 * and current assignment, and who owns each partition right now.
 */
import type { Timer } from '../../clock.js';
import type { Assignment, AssignorName, ConsumerGroupState, MemberState, TopicInfo } from './types.js';

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
  sessionTimer?: Timer;
  rebalanceTimer?: Timer;

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

  removeMember(member: ConsumerMember): void {
    member.cancelTimers();
    this.members.delete(member.memberId);
    this.targetAssignment.delete(member.memberId);
    if (member.instanceId !== null && this.staticMembers.get(member.instanceId) === member.memberId) {
      this.staticMembers.delete(member.instanceId);
    }
  }
}
