/**
 * The cluster's log manager (Kafka's LogManager): the background tasks that act on every partition
 * log, on the cluster's clock so a test steps time instead of sleeping —
 * - the retention check every log.retention.check.interval.ms (retention.ts);
 * - the cleaner every log.cleaner.backoff.ms for compacted logs (cleaner.ts).
 * Both can be run now (`runRetention()`, `runCleaner()`): a test or a learner need not wait.
 *
 * Kafka starts both after log.initial.task.delay.ms (30 s); here the first run is one interval after
 * start, the same rhythm without the extra delay.
 */
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

export class LogManager implements StateDomain {
  private retentionTimer: Timer | undefined;
  private cleanerTimer: Timer | undefined;
  private stopped = false;

  constructor(private readonly cluster: Cluster) {
    this.scheduleRetention();
    this.scheduleCleaner();
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
      const r = deleteOldSegments(log, log.env.config(), now);
      run.segmentsDeleted += r.logStartOffset.length + r.retentionBytes.length + r.retentionMs.length;
      if (log.logStartOffset !== before)
        run.logs.push({ topic: log.topic, partition: log.partition, logStartOffset: log.logStartOffset });
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
    for (const log of this.logs()) if (log.env.config().compact) cleaned += cleanLog(log, now, options);
    return cleaned;
  }

  stop(): void {
    this.stopped = true;
    this.retentionTimer?.cancel();
    this.cleanerTimer?.cancel();
  }

  topicDeleted(): void {}
}

export function logManagerOf(cluster: Cluster): LogManager {
  return cluster.domain('log-manager', (c) => new LogManager(c));
}
