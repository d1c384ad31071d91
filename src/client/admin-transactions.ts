/**
 * Transactions as an administrator sees them (KIP-664): ListTransactions asks every broker (each
 * lists the transactional ids it coordinates), DescribeTransactions asks the coordinator of each id,
 * DescribeProducers asks each partition's leader (or a named broker) for the producers with state
 * there, and abortTransaction sends that leader a WriteTxnMarkers ABORT for one producer — what
 * Java's Admin.describeProducers / abortTransaction do and kafka-transactions.sh prints.
 */
import { WriteTxnMarkers } from '../protocol/messages/27-write-txn-markers.js';
import { DescribeProducers } from '../protocol/messages/61-describe-producers.js';
import { DescribeTransactions } from '../protocol/messages/65-describe-transactions.js';
import { ListTransactions } from '../protocol/messages/66-list-transactions.js';
import type { Cluster } from './cluster.js';
import { findCoordinator } from './consumer/coordinator.js';
import { KafkaProtocolError } from './errors.js';

export interface TransactionListing {
  transactionalId: string;
  /** The broker that coordinates it (the one that listed it). */
  coordinatorId: number;
  producerId: bigint;
  /** Kafka's name for the state: Empty, Ongoing, PrepareCommit, CompleteAbort, ... */
  state: string;
}

export interface TransactionDescription {
  transactionalId: string;
  coordinatorId: number;
  state: string;
  producerId: bigint;
  producerEpoch: number;
  transactionTimeoutMs: number;
  /** -1 when no transaction is open. */
  transactionStartTimeMs: bigint;
  topicPartitions: { topic: string; partition: number }[];
}

/** Every transactional id the cluster's coordinators know, optionally only those in `states`. */
export async function listTransactions(
  cluster: Cluster,
  filter: { states?: string[]; producerIds?: bigint[] } = {},
): Promise<TransactionListing[]> {
  await cluster.connect();
  const out: TransactionListing[] = [];
  for (const nodeId of [...cluster.brokers.keys()].sort((a, b) => a - b)) {
    const res = await cluster.withRetries(() =>
      cluster.requestTo(nodeId, ListTransactions, {
        stateFilters: filter.states ?? [],
        producerIdFilters: filter.producerIds ?? [],
      }),
    );
    if (res.errorCode !== 0)
      throw new KafkaProtocolError(res.errorCode, { api: 'ListTransactions', broker: String(nodeId) });
    for (const t of res.transactionStates)
      out.push({
        transactionalId: t.transactionalId,
        coordinatorId: nodeId,
        producerId: t.producerId,
        state: t.transactionState,
      });
  }
  return out;
}

/** One transactional id's state at its coordinator; TRANSACTIONAL_ID_NOT_FOUND when it has none. */
export async function describeTransaction(
  cluster: Cluster,
  transactionalId: string,
): Promise<TransactionDescription> {
  return cluster.withRetries(async () => {
    const node = await findCoordinator(cluster, transactionalId, 1);
    const res = await cluster.requestTo(node.nodeId, DescribeTransactions, {
      transactionalIds: [transactionalId],
    });
    const t = res.transactionStates.find((s) => s.transactionalId === transactionalId);
    if (!t) throw new KafkaProtocolError(105, { api: 'DescribeTransactions', resource: transactionalId });
    if (t.errorCode !== 0)
      throw new KafkaProtocolError(t.errorCode, {
        api: 'DescribeTransactions',
        resource: transactionalId,
        broker: String(node.nodeId),
      });
    return {
      transactionalId,
      coordinatorId: node.nodeId,
      state: t.transactionState,
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      transactionTimeoutMs: t.transactionTimeoutMs,
      transactionStartTimeMs: t.transactionStartTimeMs,
      topicPartitions: t.topics.flatMap((x) =>
        x.partitions.map((partition) => ({ topic: x.topic, partition })),
      ),
    };
  });
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

/** One producer's state in a partition (Java's org.apache.kafka.clients.admin.ProducerState). */
export interface ProducerState {
  producerId: bigint;
  producerEpoch: number;
  /** -1 when the partition retains no batch of this epoch. */
  lastSequence: number;
  lastTimestamp: bigint;
  /** The coordinator epoch of the producer's last marker there; null before one (the wire's -1). */
  coordinatorEpoch: number | null;
  /** Where the producer's open transaction starts in the partition; null when none. */
  currentTransactionStartOffset: bigint | null;
}

export interface PartitionProducerState extends TopicPartitionRef {
  /** The broker that answered: the leader, or the one asked for. */
  brokerId: number;
  activeProducers: ProducerState[];
}

/**
 * The producers with state in each partition, asked of its leader (DescribeProducersOptions without
 * brokerId) or of `brokerId`. A partition's error becomes a KafkaProtocolError naming it; a stale
 * leader (NOT_LEADER_OR_FOLLOWER) is retried after a metadata refresh when no broker was named.
 */
export async function describeProducers(
  cluster: Cluster,
  partitions: readonly TopicPartitionRef[],
  options: { brokerId?: number } = {},
): Promise<PartitionProducerState[]> {
  await cluster.connect();
  return cluster.withRetries(async () => {
    const byBroker = new Map<number, TopicPartitionRef[]>();
    for (const tp of partitions) {
      const node = options.brokerId ?? (await cluster.leaderFor(tp.topic, tp.partition));
      if (node < 0)
        throw new KafkaProtocolError(5, {
          api: 'DescribeProducers',
          topic: tp.topic,
          partition: tp.partition,
        });
      byBroker.set(node, [...(byBroker.get(node) ?? []), tp]);
    }
    const found = new Map<string, PartitionProducerState>();
    for (const [nodeId, tps] of byBroker) {
      const topics = new Map<string, number[]>();
      for (const tp of tps) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
      const res = await cluster.requestTo(nodeId, DescribeProducers, {
        topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
      });
      for (const t of res.topics)
        for (const p of t.partitions) {
          if (p.errorCode !== 0)
            throw new KafkaProtocolError(
              p.errorCode,
              {
                api: 'DescribeProducers',
                topic: t.name,
                partition: p.partitionIndex,
                broker: String(nodeId),
              },
              p.errorMessage,
            );
          found.set(`${t.name}\u0000${p.partitionIndex}`, {
            topic: t.name,
            partition: p.partitionIndex,
            brokerId: nodeId,
            activeProducers: p.activeProducers.map((s) => ({
              producerId: s.producerId,
              producerEpoch: s.producerEpoch,
              lastSequence: s.lastSequence,
              lastTimestamp: s.lastTimestamp,
              coordinatorEpoch: s.coordinatorEpoch < 0 ? null : s.coordinatorEpoch,
              currentTransactionStartOffset: s.currentTxnStartOffset < 0n ? null : s.currentTxnStartOffset,
            })),
          });
        }
    }
    return partitions.map((tp) => {
      const r = found.get(`${tp.topic}\u0000${tp.partition}`);
      if (!r)
        throw new KafkaProtocolError(3, {
          api: 'DescribeProducers',
          topic: tp.topic,
          partition: tp.partition,
        });
      return r;
    });
  });
}

/** What abortTransaction ends (Java's AbortTransactionSpec). */
export interface AbortTransactionSpec extends TopicPartitionRef {
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
}

/**
 * Ends a hanging transaction in one partition: a WriteTxnMarkers ABORT for the producer, sent to the
 * partition's leader (Admin.abortTransaction, KIP-664). The transaction coordinator is not asked;
 * use it only for a transaction the coordinator no longer knows about.
 */
export async function abortTransaction(cluster: Cluster, spec: AbortTransactionSpec): Promise<void> {
  await cluster.connect();
  await cluster.withRetries(async () => {
    const leader = await cluster.leaderFor(spec.topic, spec.partition);
    if (leader < 0)
      throw new KafkaProtocolError(5, {
        api: 'WriteTxnMarkers',
        topic: spec.topic,
        partition: spec.partition,
      });
    const res = await cluster.requestTo(leader, WriteTxnMarkers, {
      markers: [
        {
          producerId: spec.producerId,
          producerEpoch: spec.producerEpoch,
          transactionResult: false,
          topics: [{ name: spec.topic, partitionIndexes: [spec.partition] }],
          coordinatorEpoch: spec.coordinatorEpoch,
        },
      ],
    });
    for (const m of res.markers)
      for (const t of m.topics)
        for (const p of t.partitions)
          if (p.errorCode !== 0)
            throw new KafkaProtocolError(p.errorCode, {
              api: 'WriteTxnMarkers',
              topic: t.name,
              partition: p.partitionIndex,
              broker: String(leader),
            });
  });
}
