/** How the transaction coordinator sits in a cluster: the 'transactions' domain. */
import type { Cluster } from '../../cluster.js';
import { offsetsOf } from '../group-classic/wiring.js';
import { TransactionCoordinator } from './coordinator.js';
import type { PendingOffset } from './types.js';

export function transactionsOf(cluster: Cluster): TransactionCoordinator {
  return cluster.domain(
    'transactions',
    (c) =>
      new TransactionCoordinator({
        // The cluster's clock: a test's ManualClock drives transaction timeouts too.
        clock: c.clock,
        config: {
          offsetsTopicPartitions: c.config.offsetsTopicNumPartitions,
          maxTimeoutMs: c.config.transactionMaxTimeoutMs,
          transactionalIdExpirationMs: c.config.transactionalIdExpirationMs,
          removeExpiredIntervalMs: c.config.transactionRemoveExpiredTransactionCleanupIntervalMs,
        },
        allocateProducerId: () => c.producerIds.allocate().producerId,
        partitionLog: (topic, partition) => c.topics.get(topic)?.partitions[partition],
        producerState: c.producerIds,
        commitOffsets: (groupId, offsets, now) => {
          const byTopic = new Map<string, PendingOffset[]>();
          for (const o of offsets) {
            const list = byTopic.get(o.topic);
            if (list) list.push(o);
            else byTopic.set(o.topic, [o]);
          }
          offsetsOf(c).commit(
            groupId,
            [...byTopic].map(([name, list]) => ({
              name,
              partitions: list.map((o) => ({
                partitionIndex: o.partition,
                committedOffset: o.offset,
                committedLeaderEpoch: o.leaderEpoch,
                committedMetadata: o.metadata,
              })),
            })),
            { now },
          );
        },
      }),
  );
}
