/** Shapes the consumer hands to applications and takes from them. */
import type { RecordHeader } from '../../protocol/records/index.js';
import type { TopicPartitions } from '../assignors/index.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  offset: bigint;
}

/** One record as the application sees it. */
export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: bigint;
  /** CreateTime (or LogAppendTime if the topic uses it), ms since the epoch. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Records of one partition from one fetch, in offset order. */
export interface RecordBatchOfPartition {
  topic: string;
  partition: number;
  records: ConsumerRecord[];
  /** The partition's high watermark when the broker answered: lag = highWatermark − next offset. */
  highWatermark: bigint;
}

/**
 * Kafka's auto.offset.reset: where to start when the group has no committed offset (or the committed
 * one is out of range). `none` raises NoOffsetForPartitionError instead.
 */
export type OffsetResetStrategy = 'earliest' | 'latest' | 'none';

/** ConsumerRebalanceListener: called between batches, never while the application holds records. */
export interface RebalanceListener {
  /** Before partitions are given up: commit here if you commit by hand (auto-commit already did). */
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  /** After a rebalance gave this member new partitions (cooperative: only the new ones). */
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
  /** Partitions lost without an orderly revoke (session expired, fenced): do not commit them. */
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Group `TopicPartition`s by topic, topics and partitions sorted (the consumer protocol's shape). */
export function groupByTopic(list: Iterable<TopicPartition>): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of list) {
    let ps = byTopic.get(topic);
    if (!ps) {
      ps = [];
      byTopic.set(topic, ps);
    }
    if (!ps.includes(partition)) ps.push(partition);
  }
  return [...byTopic.keys()]
    .sort()
    .map((topic) => ({ topic, partitions: byTopic.get(topic)!.sort((a, b) => a - b) }));
}

export function flatten(list: readonly TopicPartitions[]): TopicPartition[] {
  return list.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));
}
