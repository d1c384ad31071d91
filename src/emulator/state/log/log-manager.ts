/**
 * The cluster's log manager (Kafka's LogManager): the background tasks that act on every partition
 * log, on the cluster's clock so a test steps time instead of sleeping —
 * - the retention check every log.retention.check.interval.ms (retention.ts);
 * - the producer-state expiry every producer.id.expiration.check.interval.ms (../producer-ids.ts);
 * - the cleaner every log.cleaner.backoff.ms for compacted logs (cleaner.ts).
 * Both can be run now (`runRetention()`, `runCleaner()`): a test or a learner need not wait.
 *
 * Kafka starts both after log.initial.task.delay.ms (30 s); here the first run is one interval after
 * start, the same rhythm without the extra delay.
 */
import { OFF } from '../../../protocol/records/batch-header.js';
import type { Timer } from '../../clock.js';
import type { Cluster, StateDomain } from '../../cluster.js';
import type { PartitionLog } from '../partition-log.js';
import { cleanLog } from './cleaner.js';
import { deleteOldSegments } from './retention.js';

export interface RetentionRun {
  /** Segments deleted, over every log. */
  segmentsDeleted: number;
  /** Logs whose log start offset moved. */
  logs: { topic: string; partition: number; logStartOffset: number }[];
}

/** A segment as a log event names it: the offsets it held. */
export interface SegmentRange {
  baseOffset: number;
  /** The offset after its last record. */
  nextOffset: number;
}

/**
 * What a retention check or a cleaner pass did to one log — what Kafka's broker writes to its
 * server.log at INFO (UnifiedLog's segment deletions, LogCleaner's "cleaned log"), for the
 * emulator's output: a learner sees old segments go.
 */
export type LogEvent =
  | {
      kind: 'segments-deleted';
      topic: string;
      partition: number;
      /** Which of the three passes (retention.ts) deleted them, and its limit. */
      reason: 'log-start-offset' | 'retention.bytes' | 'retention.ms';
      limit: number;
      segments: SegmentRange[];
      logStartOffset: number;
    }
  | {
      kind: 'cleaned';
      topic: string;
      partition: number;
      /** Records in the log before and after the pass. */
      recordsBefore: number;
      recordsAfter: number;
    };

export class LogManager implements StateDomain {
  /** Told about each log a retention check or a cleaner pass changed (the CLI prints it). */
  onEvent: ((event: LogEvent) => void) | undefined;
  private retentionTimer: Timer | undefined;
  private cleanerTimer: Timer | undefined;
  private producerExpiryTimer: Timer | undefined;
  private stopped = false;

  constructor(private readonly cluster: Cluster) {
    this.scheduleRetention();
    this.scheduleCleaner();
    this.scheduleProducerExpiry();
  }

  /** Kafka's PeriodicProducerExpirationCheck: every producer.id.expiration.check.interval.ms. */
  private scheduleProducerExpiry(): void {
    if (this.stopped) return;
    this.producerExpiryTimer = this.cluster.clock.schedule(
      this.cluster.config.producerIdExpirationCheckIntervalMs,
      () => {
        this.removeExpiredProducers();
        this.scheduleProducerExpiry();
      },
    );
  }

  /** Forgets idle producers' state in every log now (producer.id.expiration.ms); how many went. */
  removeExpiredProducers(): number {
    const topics = this.cluster.topics;
    return this.cluster.producerIds.removeExpired(
      this.cluster.now(),
      this.cluster.config.producerIdExpirationMs,
      (producerId, topic, partition) =>
        topics.get(topic)?.partitions[partition]?.ongoingTransactions.has(producerId) ?? false,
    );
  }

  private *logs(): Generator<PartitionLog> {
    for (const t of this.cluster.topics.list()) yield* t.partitions;
  }

  private scheduleRetention(): void {
    if (this.stopped) return;
    this.retentionTimer = this.cluster.clock.schedule(this.cluster.config.logRetentionCheckIntervalMs, () => {
      this.runRetention();
      this.scheduleRetention();
    });
  }

  private scheduleCleaner(): void {
    if (this.stopped) return;
    this.cleanerTimer = this.cluster.clock.schedule(
      Math.max(1, this.cluster.config.logCleanerBackoffMs),
      () => {
        this.runCleaner();
        this.scheduleCleaner();
      },
    );
  }

  /** One retention check over every log now (LogManager.cleanupLogs). */
  runRetention(): RetentionRun {
    const now = this.cluster.now();
    const run: RetentionRun = { segmentsDeleted: 0, logs: [] };
    for (const log of this.logs()) {
      const before = log.logStartOffset;
      const config = log.env.config();
      const r = deleteOldSegments(log, config, now);
      run.segmentsDeleted += r.logStartOffset.length + r.retentionBytes.length + r.retentionMs.length;
      if (log.logStartOffset !== before)
        run.logs.push({ topic: log.topic, partition: log.partition, logStartOffset: log.logStartOffset });
      if (!this.onEvent) continue;
      const passes = [
        ['log-start-offset', r.logStartOffset, before],
        ['retention.bytes', r.retentionBytes, config.retentionBytes],
        ['retention.ms', r.retentionMs, config.retentionMs],
      ] as const;
      for (const [reason, segments, limit] of passes)
        if (segments.length > 0)
          this.onEvent({
            kind: 'segments-deleted',
            topic: log.topic,
            partition: log.partition,
            reason,
            limit,
            segments: segments.map((s) => ({ baseOffset: s.baseOffset, nextOffset: s.nextOffset })),
            logStartOffset: log.logStartOffset,
          });
    }
    return run;
  }

  /**
   * One cleaner pass over every compacted log now; answers how many logs it cleaned. `force` cleans
   * a log whatever its dirty ratio (min.compaction.lag.ms and open transactions still hold).
   */
  runCleaner(options: { force?: boolean } = {}): number {
    const now = this.cluster.now();
    let cleaned = 0;
    for (const log of this.logs()) {
      if (!log.env.config().compact) continue;
      const recordsBefore = this.onEvent ? recordsIn(log) : 0;
      const n = cleanLog(log, now, options);
      cleaned += n;
      if (n > 0 && this.onEvent)
        this.onEvent({
          kind: 'cleaned',
          topic: log.topic,
          partition: log.partition,
          recordsBefore,
          recordsAfter: recordsIn(log),
        });
    }
    return cleaned;
  }

  stop(): void {
    this.stopped = true;
    this.retentionTimer?.cancel();
    this.cleanerTimer?.cancel();
    this.producerExpiryTimer?.cancel();
  }

  topicDeleted(): void {}
}

/** Records held by a log (each v2 batch header's record count). */
function recordsIn(log: PartitionLog): number {
  let n = 0;
  for (const s of log.segments) for (const b of s.batches) n += b.bytes.readInt32BE(OFF.recordsCount);
  return n;
}

export function logManagerOf(cluster: Cluster): LogManager {
  return cluster.domain('log-manager', (c) => new LogManager(c));
}
