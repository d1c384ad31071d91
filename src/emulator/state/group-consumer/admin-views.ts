/**
 * What admins and tests see of the consumer groups: ConsumerGroupDescribe's answer (Kafka's
 * ConsumerGroup.asDescribedGroup), ListGroups' consumer-group rows, and a snapshot for the CLI,
 * the inspector and tests.
 */
import type { CoordinatorSteps } from './coordinator-steps.js';
import { toTopicPartitions } from './reconcile.js';
import {
  type Assignment,
  type AssignorName,
  type ClassicGroupsView,
  type ConsumerGroupState,
  ConsumerGroupErrors as E,
  type TopicPartitions,
} from './types.js';

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
  /** 1: the consumer protocol, 0: a classic-protocol member (KIP-848's online migration). */
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
  /** True for a member that speaks JoinGroup/SyncGroup/Heartbeat (online migration). */
  classic: boolean;
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

export class ConsumerGroupViews {
  constructor(
    private readonly steps: CoordinatorSteps,
    private readonly classic: ClassicGroupsView | undefined,
  ) {}

  describe(groupId: string): DescribedConsumerGroup {
    const group = this.steps.group(groupId);
    if (!group || this.steps.stopped) {
      const classic = this.classic && this.classic.kind(groupId) !== 'none';
      return {
        errorCode: this.steps.stopped ? E.COORDINATOR_NOT_AVAILABLE : E.GROUP_ID_NOT_FOUND,
        errorMessage: this.steps.stopped
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
        topicName: this.steps.topics.byId(t.topicId)?.name ?? '',
        partitions: t.partitions,
      }));
    return {
      errorCode: E.NONE,
      errorMessage: null,
      groupId,
      groupState: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      assignorName: group.assignorName(this.steps.defaultAssignor()),
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
        memberType: m.classic === null ? 1 : 0,
      })),
    };
  }

  list(filter: { states?: readonly string[]; types?: readonly string[] } = {}): ListedConsumerGroup[] {
    const states = new Set((filter.states ?? []).map((s) => s.toLowerCase()));
    const types = new Set((filter.types ?? []).map((s) => s.toLowerCase()));
    if (types.size > 0 && !types.has('consumer')) return [];
    const out: ListedConsumerGroup[] = [];
    for (const g of this.steps.allGroups()) {
      if (states.size > 0 && !states.has(g.state.toLowerCase())) continue;
      out.push({ groupId: g.groupId, protocolType: 'consumer', groupState: g.state, groupType: 'consumer' });
    }
    return out;
  }

  snapshot(groupId: string): ConsumerGroupSnapshot | undefined {
    const g = this.steps.group(groupId);
    if (!g) return undefined;
    return {
      state: g.state,
      groupEpoch: g.groupEpoch,
      assignmentEpoch: g.assignmentEpoch,
      assignor: g.assignorName(this.steps.defaultAssignor()),
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        memberEpoch: m.memberEpoch,
        state: m.state,
        classic: m.classic !== null,
        assigned: toTopicPartitions(m.assigned),
        pendingRevocation: toTopicPartitions(m.pendingRevocation),
        target: toTopicPartitions(g.targetAssignment.get(m.memberId) ?? new Map()),
      })),
    };
  }
}
