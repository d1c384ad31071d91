/**
 * `emulator.inspectState()`: a read-only snapshot of the broker's state for a viewer (the browser
 * inspector's state tables): every topic's partitions with their log start offset, high watermark,
 * last stable offset and log end, every group (classic and KIP-848) with its members, and every
 * transactional id. Plain data, copied out: nothing a viewer does reaches the state, and the
 * snapshot goes only through the domains' own views (describe/list), the ones the admin APIs use.
 */
import type { Cluster } from './cluster.js';
import { groupsOf } from './state/group-classic/wiring.js';
import { consumerGroupsOf } from './state/group-consumer/wiring.js';
import { transactionsOf } from './state/transactions/wiring.js';

export interface PartitionState {
  partition: number;
  logStartOffset: number;
  highWatermark: number;
  lastStableOffset: number;
  logEndOffset: number;
  sizeInBytes: number;
}

export interface TopicState {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: PartitionState[];
}

export interface GroupMemberState {
  memberId: string;
  instanceId: string | null;
  clientId: string;
  clientHost: string;
  /** KIP-848 members: their epoch and assigned partitions (`topic-0,topic-1`). */
  memberEpoch?: number;
  assigned?: string[];
}

export interface GroupState {
  groupId: string;
  type: 'classic' | 'consumer';
  state: string;
  /** The classic protocol's generation, or the consumer group's epoch. */
  generationOrEpoch: number;
  protocol: string;
  members: GroupMemberState[];
}

export interface TransactionState {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: string;
  timeoutMs: number;
  partitions: string[];
}

export interface EmulatorState {
  takenAt: number;
  topics: TopicState[];
  groups: GroupState[];
  transactions: TransactionState[];
}

export function inspectState(cluster: Cluster): EmulatorState {
  const topics = cluster.topics
    .list()
    .map((t) => ({
      name: t.name,
      topicId: t.id,
      internal: t.isInternal,
      partitions: t.partitions.map((log, partition) => ({
        partition,
        logStartOffset: log.logStartOffset,
        highWatermark: log.highWatermark,
        lastStableOffset: log.lastStableOffset,
        logEndOffset: log.logEndOffset,
        sizeInBytes: log.sizeInBytes,
      })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const classic = groupsOf(cluster);
  const groups: GroupState[] = classic.listGroups().map((g) => {
    const d = classic.describeGroup(g.groupId);
    const snapshot = classic.stateOf(g.groupId);
    return {
      groupId: g.groupId,
      type: 'classic',
      state: d.groupState,
      generationOrEpoch: snapshot?.generationId ?? 0,
      protocol: [d.protocolType, d.protocolData].filter((x) => x !== '').join(' / '),
      members: d.members.map((m) => ({
        memberId: m.memberId,
        instanceId: m.groupInstanceId ?? null,
        clientId: m.clientId,
        clientHost: m.clientHost,
      })),
    };
  });
  const consumer = consumerGroupsOf(cluster);
  for (const g of consumer.list()) {
    const d = consumer.describe(g.groupId);
    groups.push({
      groupId: g.groupId,
      type: 'consumer',
      state: d.groupState,
      generationOrEpoch: d.groupEpoch,
      protocol: `consumer / ${d.assignorName}`,
      members: d.members.map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberEpoch: m.memberEpoch,
        assigned: m.assignment.topicPartitions.flatMap((t) => t.partitions.map((p) => `${t.topicName}-${p}`)),
      })),
    });
  }
  groups.sort((a, b) => a.groupId.localeCompare(b.groupId));
  const transactions = transactionsOf(cluster)
    .list()
    .map((t) => ({
      transactionalId: t.transactionalId,
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      state: t.state,
      timeoutMs: t.transactionTimeoutMs,
      partitions: t.partitions.map((p) => `${p.topic}-${p.partition}`),
    }))
    .sort((a, b) => a.transactionalId.localeCompare(b.transactionalId));
  return { takenAt: cluster.now(), topics, groups, transactions };
}
