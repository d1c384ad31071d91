/**
 * Transactions as an administrator sees them (KIP-664): ListTransactions asks every broker (each
 * lists the transactional ids it coordinates), DescribeTransactions asks the coordinator of each id.
 * What kafka-transactions.sh's list and describe commands print.
 */
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
