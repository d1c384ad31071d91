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
import type { Cluster, TopicInfo } from './cluster.js';
import { findCoordinator } from './consumer/coordinator.js';
import { KafkaClientError, KafkaProtocolError } from './errors.js';

const TRANSACTIONAL_ID_NOT_FOUND = 105;

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

/** An open transaction in one partition: the producer that has it open there. */
export interface OpenTransaction extends TopicPartitionRef {
  producer: ProducerState;
}

export interface HangingSearch {
  /** Search the partitions with a replica on this broker, and ask it (not the leaders) for producers. */
  brokerId?: number;
  /** Only this topic (every partition, or `partition`). Without it: every topic, internal ones too. */
  topic?: string;
  partition?: number;
  /** Open for longer than this (now − the producer's last timestamp there) to be a candidate. */
  maxTransactionTimeoutMs: number;
  now?: () => number;
}

export interface HangingSearchResult {
  /** The partitions searched, in the order they were found. */
  partitions: TopicPartitionRef[];
  /** Open transactions older than the timeout, hanging or not. */
  candidates: OpenTransaction[];
  /** Candidates that no coordinator will finish. */
  hanging: OpenTransaction[];
}

/** Which step of the search failed (kafka-transactions find-hanging names each in its error). */
export type HangingSearchStep =
  | 'describe-topics'
  | 'describe-producers'
  | 'list-transactions'
  | 'describe-transactions';

export class HangingSearchError extends KafkaClientError {
  override name = 'HangingSearchError';

  constructor(
    readonly step: HangingSearchStep,
    /** How many topics, partitions, producers or transactional ids the failed step asked about. */
    readonly count: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { retriable: false, cause });
  }
}

/**
 * kafka-transactions find-hanging's search (KIP-664): every open transaction in the partitions
 * searched whose producer's last write there is older than the max transaction timeout is a
 * candidate; it hangs when no coordinator lists its producer id (ListTransactions), the
 * transactional id is not found (DescribeTransactions), or the coordinator's transaction does not
 * hold that partition — a coordinator in Ongoing, PrepareCommit or PrepareAbort still lists the
 * partitions it will write markers to, so those are not hanging.
 */
export async function findHangingTransactions(
  cluster: Cluster,
  search: HangingSearch,
): Promise<HangingSearchResult> {
  await cluster.connect();
  const partitions = await partitionsToSearch(cluster, search);
  const candidates: OpenTransaction[] = [];
  // As the tool: at most 500 partitions per DescribeProducers round.
  for (let i = 0; i < partitions.length; i += 500) {
    const batch = partitions.slice(i, i + 500);
    const states = await describeProducers(cluster, batch, { brokerId: search.brokerId }).catch((err) => {
      throw new HangingSearchError('describe-producers', batch.length, err);
    });
    const now = BigInt((search.now ?? Date.now)());
    for (const state of states)
      for (const producer of state.activeProducers)
        if (
          producer.currentTransactionStartOffset !== null &&
          now - producer.lastTimestamp > BigInt(search.maxTransactionTimeoutMs)
        )
          candidates.push({ topic: state.topic, partition: state.partition, producer });
  }
  if (candidates.length === 0) return { partitions, candidates, hanging: [] };

  const producerIds = [...new Set(candidates.map((c) => c.producer.producerId))];
  const listings = await listTransactions(cluster, { producerIds }).catch((err) => {
    throw new HangingSearchError('list-transactions', producerIds.length, err);
  });
  const transactionalIdOf = new Map<bigint, string>();
  for (const l of listings)
    if (producerIds.includes(l.producerId)) transactionalIdOf.set(l.producerId, l.transactionalId);
  const ids = [...new Set(transactionalIdOf.values())];
  const descriptions = new Map<string, TransactionDescription | null>();
  for (const id of ids) {
    const d = await describeTransaction(cluster, id).catch((err) => {
      if (err instanceof KafkaProtocolError && err.code === TRANSACTIONAL_ID_NOT_FOUND) return null;
      throw new HangingSearchError('describe-transactions', ids.length, err);
    });
    descriptions.set(id, d);
  }
  const hanging = candidates.filter((c) => {
    const id = transactionalIdOf.get(c.producer.producerId);
    const d = id === undefined ? null : (descriptions.get(id) ?? null);
    return (
      d === null || !d.topicPartitions.some((tp) => tp.topic === c.topic && tp.partition === c.partition)
    );
  });
  return { partitions, candidates, hanging };
}

async function partitionsToSearch(cluster: Cluster, search: HangingSearch): Promise<TopicPartitionRef[]> {
  if (search.topic !== undefined && search.partition !== undefined)
    return [{ topic: search.topic, partition: search.partition }];
  let topics: TopicInfo[];
  try {
    // Every topic's metadata, not a request for the one named: that could auto-create it.
    topics = await cluster.fetchAllTopics();
    if (search.topic !== undefined) {
      const info = topics.find((t) => t.name === search.topic);
      if (info === undefined) throw new KafkaProtocolError(3, { api: 'Metadata', topic: search.topic });
      topics = [info];
    }
  } catch (err) {
    throw new HangingSearchError('describe-topics', search.topic === undefined ? 0 : 1, err);
  }
  const out: TopicPartitionRef[] = [];
  for (const t of topics)
    for (const p of t.partitions)
      if (search.brokerId === undefined || p.replicas.includes(search.brokerId))
        out.push({ topic: t.name, partition: p.partition });
  return out;
}
