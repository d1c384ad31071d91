/**
 * Retention: which old segments a retention check deletes (UnifiedLog.deleteOldSegments), in
 * Kafka's order —
 *   1. segments wholly below the log start offset (moved by DeleteRecords), whatever the policy;
 *   2. with cleanup.policy delete, retention.bytes: the oldest segments while the log stays at or
 *      above retention.bytes without them;
 *   3. then retention.ms: the oldest segments whose largest timestamp is more than retention.ms
 *      before the clock.
 * Each pass stops at the first segment it keeps. The active segment goes too once it qualifies (a new
 * empty one is rolled first, as Kafka's deleteSegments does), never an empty active segment.
 */
import type { PartitionLog } from '../partition-log.js';
import type { LogConfig } from './log-config.js';
import type { LogSegment } from './segment.js';

export interface RetentionResult {
  /** Segments deleted by each pass. */
  logStartOffset: LogSegment[];
  retentionBytes: LogSegment[];
  retentionMs: LogSegment[];
}

export function deleteOldSegments(log: PartitionLog, config: LogConfig, now: number): RetentionResult {
  const result: RetentionResult = {
    logStartOffset: log.deleteOldSegments(
      (_s, next) => next !== undefined && next.baseOffset <= log.logStartOffset,
    ),
    retentionBytes: [],
    retentionMs: [],
  };
  if (!config.delete) return result;
  const size = log.sizeInBytes;
  if (config.retentionBytes >= 0 && size >= config.retentionBytes) {
    let over = size - config.retentionBytes;
    result.retentionBytes = log.deleteOldSegments((s) => {
      if (over - s.size < 0) return false;
      over -= s.size;
      return true;
    });
  }
  if (config.retentionMs >= 0) {
    result.retentionMs = log.deleteOldSegments((s) => now - s.largestTimestamp() > config.retentionMs);
  }
  return result;
}
