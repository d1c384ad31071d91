/**
 * Ending a transaction in its partitions: one COMMIT or ABORT control batch per partition (what
 * Kafka's coordinator asks each partition leader to write with WriteTxnMarkers), after which the
 * producer's transaction is no longer open there and the last stable offset moves past it.
 *
 * The marker is a transactional control batch with one control record: key (version 0, type 0
 * ABORT / 1 COMMIT), value (version 0, coordinator epoch). The coordinator epoch is the leader
 * epoch of the __transaction_state partition; one broker that never changes leader has epoch 0.
 */
import { encodeControlBatch } from '../../../protocol/records/index.js';
import type { PartitionLog } from '../partition-log.js';
import type { TransactionMetadata } from './types.js';

export const COORDINATOR_EPOCH = 0;

/** Writes the markers of `meta`'s transaction; partitions `logOf` does not know are skipped. */
export function writeMarkers(
  meta: TransactionMetadata,
  commit: boolean,
  now: number,
  logOf: (topic: string, partition: number) => PartitionLog | undefined,
): void {
  for (const tp of meta.partitions.values()) {
    const log = logOf(tp.topic, tp.partition);
    if (!log) continue;
    const bytes = encodeControlBatch({
      type: commit ? 'commit' : 'abort',
      producerId: BigInt(meta.producerId),
      producerEpoch: meta.producerEpoch,
      coordinatorEpoch: COORDINATOR_EPOCH,
      timestamp: now,
    });
    // The transaction ends at the marker's offset before the append, so that a read_committed
    // Fetch parked on this log, woken by the append, already sees the new last stable offset.
    log.endTransaction(meta.producerId, !commit, log.logEndOffset);
    log.append({ bytes, recordCount: 1, maxTimestamp: now, maxTimestampDelta: 0 });
  }
}
