/**
 * The topic configs a partition log acts on, resolved to numbers (Kafka's LogConfig), and the
 * environment a log lives in: the cluster's clock and its config in force at this moment.
 *
 * A log asks its environment each time instead of keeping a copy, so an AlterConfigs on the topic or
 * on the broker takes effect at the next append or retention check, as Kafka's LogManager pushes
 * the new LogConfig into every log of the topic.
 */

export interface LogConfig {
  /** segment.bytes: a segment is rolled when the next batch would take it past this. */
  segmentBytes: number;
  /** segment.ms: a segment is rolled when its first and the next batch's timestamps are this far apart. */
  segmentMs: number;
  /** segment.jitter.ms: each segment takes a random share of it off segment.ms. */
  segmentJitterMs: number;
  /** retention.ms (-1: no limit). */
  retentionMs: number;
  /** retention.bytes (-1: no limit). */
  retentionBytes: number;
  /** cleanup.policy includes delete: retention applies. */
  delete: boolean;
  /** cleanup.policy includes compact: the cleaner keeps the last record per key. */
  compact: boolean;
  /** delete.retention.ms: how long a tombstone outlives the cleaning that reached it. */
  deleteRetentionMs: number;
  /** min.cleanable.dirty.ratio: the dirty share of the log at which cleaning starts. */
  minCleanableDirtyRatio: number;
  /** min.compaction.lag.ms: records younger than this are never compacted. */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms: a log with dirty records older than this is cleaned whatever its ratio. */
  maxCompactionLagMs: number;
}

/** Kafka's defaults (LogConfig / ServerLogConfigs), for a log made outside a cluster (unit tests). */
export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1_073_741_824,
  segmentMs: 604_800_000,
  segmentJitterMs: 0,
  retentionMs: 604_800_000,
  retentionBytes: -1,
  delete: true,
  compact: false,
  deleteRetentionMs: 86_400_000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
};

export interface LogEnvironment {
  /** The cluster's clock (a ManualClock in tests). */
  now(): number;
  /** The config in force now. */
  config(): LogConfig;
}

export const DEFAULT_LOG_ENVIRONMENT: LogEnvironment = {
  now: () => Date.now(),
  config: () => DEFAULT_LOG_CONFIG,
};

/** A LogConfig from configs by Kafka's names (each value as DescribeConfigs would show it). */
export function logConfigFrom(value: (name: string) => string): LogConfig {
  const policy = value('cleanup.policy')
    .split(',')
    .map((s) => s.trim());
  // Longs up to Long.MAX_VALUE: a JS number compares them correctly for every value that matters here.
  const n = (name: string) => Number(value(name));
  return {
    segmentBytes: n('segment.bytes'),
    segmentMs: n('segment.ms'),
    segmentJitterMs: n('segment.jitter.ms'),
    retentionMs: n('retention.ms'),
    retentionBytes: n('retention.bytes'),
    delete: policy.includes('delete'),
    compact: policy.includes('compact'),
    deleteRetentionMs: n('delete.retention.ms'),
    minCleanableDirtyRatio: n('min.cleanable.dirty.ratio'),
    minCompactionLagMs: n('min.compaction.lag.ms'),
    maxCompactionLagMs: n('max.compaction.lag.ms'),
  };
}
