/**
 * Committed offsets: what OffsetCommit stores and OffsetFetch reads, keyed by (group, topic,
 * partition) — never by member — so they outlive member churn, generation bumps and the group going
 * Empty (broker-behaviour §2 G6). Whether a commit is *accepted* depends on the group's membership and
 * is decided in groups.ts; this module only knows the per-partition rules and the storage.
 *
 * Expiry (offsets.retention.minutes) is decided in offsets-expiry.ts from each group's rules; this
 * store keeps what it needs: when each offset was committed, and the explicit expiry an
 * OffsetCommit v2-4 retentionTimeMs asked for.
 */

/** offset.metadata.max.bytes: Kafka compares the Java String length, i.e. UTF-16 code units, as JS does. */
export const OFFSET_METADATA_MAX_BYTES = 4096;

const NONE = 0;
const OFFSET_METADATA_TOO_LARGE = 12;
const UNKNOWN_TOPIC_OR_PARTITION = 3;

export interface CommittedOffset {
  offset: bigint;
  /** -1 when the client did not send one (OffsetCommit < v6). */
  leaderEpoch: number;
  /** A null metadata is stored as '' (Kafka's OffsetAndMetadata.NO_METADATA). */
  metadata: string;
  /** Milliseconds since the epoch at which the broker stored it. */
  commitTimestamp: number;
  /**
   * OffsetCommit v2-4's retentionTimeMs, as Kafka keeps it: commit time + retention, after which the
   * offset expires whatever its group does; null when the request left it at -1 (the usual case).
   */
  expireTimestamp: number | null;
}

export interface PartitionCommit {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface TopicCommit {
  name: string;
  partitions: readonly PartitionCommit[];
}

export interface TopicCommitResult {
  name: string;
  partitions: { partitionIndex: number; errorCode: number }[];
}

export interface FetchedPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface FetchedTopic {
  name: string;
  partitions: FetchedPartition[];
}

export interface CommitOptions {
  now: number;
  /**
   * When given, partitions it rejects get UNKNOWN_TOPIC_OR_PARTITION (KafkaApis checks the metadata
   * cache before handing a commit to the coordinator).
   */
  partitionExists?: (topic: string, partition: number) => boolean;
  /** OffsetCommit v2-4's retentionTimeMs; -1 (the default) for none. */
  retentionTimeMs?: number;
}

/** One change of the store, as a listener that mirrors it sees it. */
export type OffsetChange =
  | { kind: 'commit'; groupId: string; topic: string; partition: number; value: CommittedOffset }
  | { kind: 'delete-partition'; groupId: string; topic: string; partition: number }
  | { kind: 'delete-group'; groupId: string }
  | { kind: 'delete-topic'; topic: string };

export class OffsetStore {
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  /**
   * Told about every change right after it is made, before the request that made it is answered: a
   * data dir journals commits there, so an answered commit survives a crash (persistence/).
   */
  onChange: ((change: OffsetChange) => void) | undefined;

  /** Stores every partition that passes the per-partition checks; answers a code per partition. */
  commit(groupId: string, topics: readonly TopicCommit[], options: CommitOptions): TopicCommitResult[] {
    return topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => {
        const metadata = p.committedMetadata ?? '';
        if (metadata.length > OFFSET_METADATA_MAX_BYTES) {
          return { partitionIndex: p.partitionIndex, errorCode: OFFSET_METADATA_TOO_LARGE };
        }
        if (options.partitionExists && !options.partitionExists(topic.name, p.partitionIndex)) {
          return { partitionIndex: p.partitionIndex, errorCode: UNKNOWN_TOPIC_OR_PARTITION };
        }
        this.put(groupId, topic.name, p.partitionIndex, {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata,
          commitTimestamp: options.now,
          expireTimestamp:
            options.retentionTimeMs === undefined || options.retentionTimeMs === -1
              ? null
              : options.now + options.retentionTimeMs,
        });
        return { partitionIndex: p.partitionIndex, errorCode: NONE };
      }),
    }));
  }

  /**
   * The committed offsets of a group. `topics` null means every partition the group has committed
   * (OffsetFetch v2+); a partition with nothing committed answers offset -1, epoch -1, metadata ''.
   */
  fetch(
    groupId: string,
    topics: readonly { name: string; partitionIndexes: readonly number[] }[] | null,
  ): FetchedTopic[] {
    const group = this.byGroup.get(groupId);
    if (topics === null) {
      if (!group) return [];
      return [...group].map(([name, partitions]) => ({
        name,
        partitions: [...partitions].map(([index, c]) => fetched(index, c)),
      }));
    }
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((index) => fetched(index, group?.get(t.name)?.get(index))),
    }));
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  /** Every committed offset of a group, topic by topic (a snapshot: deleting while iterating is safe). */
  entries(groupId: string): { topic: string; partition: number; offset: CommittedOffset }[] {
    const out: { topic: string; partition: number; offset: CommittedOffset }[] = [];
    for (const [topic, partitions] of this.byGroup.get(groupId) ?? [])
      for (const [partition, offset] of partitions) out.push({ topic, partition, offset });
    return out;
  }

  hasOffsets(groupId: string): boolean {
    return this.byGroup.has(groupId);
  }

  groupIds(): string[] {
    return [...this.byGroup.keys()];
  }

  deleteGroup(groupId: string): void {
    if (this.byGroup.delete(groupId)) this.onChange?.({ kind: 'delete-group', groupId });
  }

  /** OffsetDelete: forgets one partition's committed offset (a no-op when there is none). */
  deletePartition(groupId: string, topic: string, partition: number): void {
    const topics = this.byGroup.get(groupId);
    const partitions = topics?.get(topic);
    if (!topics || !partitions) return;
    if (partitions.delete(partition))
      this.onChange?.({ kind: 'delete-partition', groupId, topic, partition });
    if (partitions.size === 0) topics.delete(topic);
    // The group stays known to the coordinator; only its offsets map goes once it is empty.
    if (topics.size === 0) this.byGroup.delete(groupId);
  }

  /** DeleteTopics removes the topic's committed offsets from every group, as Kafka's coordinator does. */
  topicDeleted(topic: string): void {
    for (const [groupId, topics] of this.byGroup) {
      topics.delete(topic);
      if (topics.size === 0) this.byGroup.delete(groupId);
    }
    this.onChange?.({ kind: 'delete-topic', topic });
  }

  private put(groupId: string, topic: string, partition: number, value: CommittedOffset): void {
    let topics = this.byGroup.get(groupId);
    if (!topics) {
      topics = new Map();
      this.byGroup.set(groupId, topics);
    }
    let partitions = topics.get(topic);
    if (!partitions) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    partitions.set(partition, value);
    this.onChange?.({ kind: 'commit', groupId, topic, partition, value });
  }
}

function fetched(partitionIndex: number, c: CommittedOffset | undefined): FetchedPartition {
  if (!c)
    return { partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: NONE };
  return {
    partitionIndex,
    committedOffset: c.offset,
    committedLeaderEpoch: c.leaderEpoch,
    metadata: c.metadata,
    errorCode: NONE,
  };
}
