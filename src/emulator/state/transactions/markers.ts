/**
 * Ending a transaction in its partitions: one COMMIT or ABORT control batch per partition (what
 * Kafka's coordinator asks each partition leader to write with WriteTxnMarkers), after which the
 * producer's transaction is no longer open there and the last stable offset moves past it.
 *
 * The marker is a transactional control batch with one control record: key (version 0, type 0
 * ABORT / 1 COMMIT), value (version 0, coordinator epoch). The coordinator epoch is the leader
 * epoch of the __transaction_state partition; one broker that never changes leader has epoch 0.
 *
 * The same append serves the coordinator's EndTxn and a WriteTxnMarkers request from outside
 * (kafka-transactions.sh abort, KIP-664): the partition's producer state takes the marker's epoch,
 * coordinator epoch and timestamp (ProducerAppendInfo.appendEndTxnMarker).
 */
import { encodeControlBatch } from '../../../protocol/records/index.js';
import type { PartitionLog } from '../partition-log.js';
import type { TransactionMetadata } from './types.js';

export const COORDINATOR_EPOCH = 0;

/** The partitions' producer state, told about every marker (the cluster's ProducerIds). */
export interface MarkerProducerState {
  markerAppended(
    producerId: number,
    epoch: number,
    topic: string,
    partition: number,
    marker: { coordinatorEpoch: number; timestamp: number },
  ): void;
}

export interface MarkerSpec {
  producerId: number;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
  timestamp: number;
}

/** Appends one COMMIT/ABORT marker to `log`; returns its offset. */
export function appendMarker(
  log: PartitionLog,
  m: MarkerSpec,
  producers: MarkerProducerState | undefined,
): number {
  const bytes = encodeControlBatch({
    type: m.commit ? 'commit' : 'abort',
    producerId: BigInt(m.producerId),
    producerEpoch: m.producerEpoch,
    coordinatorEpoch: m.coordinatorEpoch,
    timestamp: m.timestamp,
  });
  // The transaction ends at the marker's offset before the append, so that a read_committed
  // Fetch parked on this log, woken by the append, already sees the new last stable offset. A
  // marker for a producer with nothing open here still lands in the log (Kafka appends it too)
  // but an abort of nothing adds no aborted-transaction entry (CompletedTxn only when one was open).
  const offset = log.logEndOffset;
  if (log.ongoingTransactions.has(m.producerId)) log.endTransaction(m.producerId, !m.commit, offset);
  log.append({ bytes, recordCount: 1, maxTimestamp: m.timestamp, maxTimestampDelta: 0 });
  producers?.markerAppended(m.producerId, m.producerEpoch, log.topic, log.partition, {
    coordinatorEpoch: m.coordinatorEpoch,
    timestamp: m.timestamp,
  });
  return offset;
}

/** A marker as written: where, and the partition's last stable offset right after it. */
export interface WrittenMarker {
  topic: string;
  partition: number;
  offset: number;
  coordinatorEpoch: number;
  lastStableOffset: number;
}

/**
 * Writes the markers of `meta`'s transaction; partitions `logOf` does not know are skipped. Returns
 * what was written, for the trace's story of the transaction.
 */
export function writeMarkers(
  meta: TransactionMetadata,
  commit: boolean,
  now: number,
  logOf: (topic: string, partition: number) => PartitionLog | undefined,
  producers?: MarkerProducerState,
): WrittenMarker[] {
  const written: WrittenMarker[] = [];
  for (const tp of meta.partitions.values()) {
    const log = logOf(tp.topic, tp.partition);
    if (!log) continue;
    const offset = appendMarker(
      log,
      {
        producerId: meta.producerId,
        producerEpoch: meta.producerEpoch,
        commit,
        coordinatorEpoch: COORDINATOR_EPOCH,
        timestamp: now,
      },
      producers,
    );
    written.push({
      topic: tp.topic,
      partition: tp.partition,
      offset,
      coordinatorEpoch: COORDINATOR_EPOCH,
      lastStableOffset: log.lastStableOffset,
    });
  }
  return written;
}
