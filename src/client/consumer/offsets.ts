/**
 * Offsets: committing and reading a group's committed offsets (OffsetCommit / OffsetFetch at the
 * coordinator) and looking up a partition's earliest or latest offset (ListOffsets at its leader).
 * Shared by the consumer and the group admin.
 */
import { ListOffsets, OffsetCommit, OffsetFetch } from '../../protocol/messages/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaProtocolError } from '../errors.js';
import type { Coordinator } from './coordinator.js';
import { groupByTopic, type TopicPartition, type TopicPartitionOffset, tpKey } from './types.js';

/** ListOffsets timestamps with a special meaning (Kafka's ListOffsetsRequest constants). */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;

export interface CommitOptions {
  groupId: string;
  /** -1 with an empty member id: a commit from outside the group (assign mode, admin). */
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  offsets: readonly TopicPartitionOffset[];
}

/** OffsetCommit; throws the first per-partition or group error, typed. */
export async function commitOffsets(coordinator: Coordinator, options: CommitOptions): Promise<void> {
  if (options.offsets.length === 0) return;
  const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint }[]>();
  for (const o of options.offsets) {
    let list = byTopic.get(o.topic);
    if (!list) {
      list = [];
      byTopic.set(o.topic, list);
    }
    list.push({ partitionIndex: o.partition, committedOffset: o.offset });
  }
  const { response } = await coordinator.request(
    OffsetCommit,
    {
      groupId: options.groupId,
      generationIdOrMemberEpoch: options.generationId,
      memberId: options.memberId,
      groupInstanceId: options.groupInstanceId ?? null,
      topics: [...byTopic].map(([name, partitions]) => ({
        name,
        partitions: partitions.map((p) => ({ ...p, committedMetadata: '', commitTimestamp: -1n })),
      })),
    },
    {
      // The group-level errors (coordinator moved) show up in every partition: look at the first.
      errorCodeOf: (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0,
    },
  );
  for (const t of response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) {
        throw new KafkaProtocolError(p.errorCode, {
          api: 'OffsetCommit',
          topic: t.name,
          partition: p.partitionIndex,
          resource: options.groupId,
        });
      }
    }
  }
}

/**
 * The group's committed offsets. `partitions` undefined asks for all the group has (v2+). A partition
 * without a commit is absent from the result (Kafka answers -1 for it).
 */
export async function fetchCommittedOffsets(
  coordinator: Coordinator,
  groupId: string,
  partitions: readonly TopicPartition[] | undefined,
  options: {
    /**
     * A KIP-848 member asks as itself (OffsetFetch v9+, as Java's consumer does): the coordinator
     * answers STALE_MEMBER_EPOCH / UNKNOWN_MEMBER_ID when that is not who it knows. Absent: an admin
     * fetch (member id null, epoch -1), which a consumer group always accepts.
     */
    member?: { memberId: string; memberEpoch: number };
    /**
     * KIP-447 (v7+): a partition whose offset an open transaction is moving answers
     * UNSTABLE_OFFSET_COMMIT (retriable) instead of the older committed offset.
     */
    requireStable?: boolean;
  } = {},
): Promise<Map<string, TopicPartitionOffset>> {
  const { member } = options;
  const requireStable = options.requireStable ?? false;
  const topics = partitions
    ? groupByTopic(partitions).map((tp) => ({ name: tp.topic, partitionIndexes: tp.partitions }))
    : null;
  const { response, version } = await coordinator.request(
    OffsetFetch,
    (v) =>
      v >= 8
        ? {
            groups: [
              {
                groupId,
                memberId: v >= 9 && member ? member.memberId : null,
                memberEpoch: v >= 9 && member ? member.memberEpoch : -1,
                topics,
              },
            ],
            requireStable,
          }
        : // Before v7 a broker has no stable-offset check: as Java's consumer, ask without it.
          { groupId, topics, requireStable: requireStable && v >= 7 },
    {
      minVersion: partitions ? 1 : 2,
      errorCodeOf: (r) => (r.groups?.[0]?.errorCode ?? 0) || (r.errorCode ?? 0),
    },
  );
  const group = version >= 8 ? response.groups.find((g) => g.groupId === groupId) : response;
  if (!group) throw new KafkaProtocolError(16, { api: 'OffsetFetch', resource: groupId });
  if (group.errorCode)
    throw new KafkaProtocolError(group.errorCode, { api: 'OffsetFetch', resource: groupId });
  const out = new Map<string, TopicPartitionOffset>();
  for (const t of group.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) {
        // UNKNOWN_TOPIC_OR_PARTITION for a partition never committed by older brokers: no offset.
        if (p.errorCode === 3) continue;
        throw new KafkaProtocolError(p.errorCode, {
          api: 'OffsetFetch',
          topic: t.name,
          partition: p.partitionIndex,
          resource: groupId,
        });
      }
      if (p.committedOffset < 0n) continue;
      out.set(tpKey(t.name, p.partitionIndex), {
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
      });
    }
  }
  return out;
}

/**
 * ListOffsets for each partition at its leader (EARLIEST_TIMESTAMP, LATEST_TIMESTAMP or a time in ms):
 * the first offset whose timestamp is at or after it. Requests go out per leader, in parallel.
 * `isolationLevel` 1 (read_committed) makes LATEST the last stable offset instead of the high
 * watermark, as a read_committed KafkaConsumer asks it (OffsetFetcher sends its isolation level).
 */
export async function listOffsets(
  cluster: Cluster,
  partitions: readonly TopicPartition[],
  timestamp: bigint,
  isolationLevel: 0 | 1 = 0,
): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  if (partitions.length === 0) return out;
  await cluster.withRetries(async () => {
    const byLeader = new Map<number, TopicPartition[]>();
    for (const tp of partitions) {
      if (out.has(tpKey(tp.topic, tp.partition))) continue;
      const leader = await cluster.leaderFor(tp.topic, tp.partition);
      if (leader < 0) throw new KafkaProtocolError(5, { api: 'ListOffsets', ...tp });
      let list = byLeader.get(leader);
      if (!list) {
        list = [];
        byLeader.set(leader, list);
      }
      list.push(tp);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const response = await cluster.requestTo(
          leader,
          ListOffsets,
          {
            replicaId: -1,
            isolationLevel,
            timeoutMs: 30_000,
            topics: groupByTopic(list).map((tp) => ({
              name: tp.topic,
              partitions: tp.partitions.map((p) => ({
                partitionIndex: p,
                timestamp,
                currentLeaderEpoch: -1,
              })),
            })),
          },
          { minVersion: 1 },
        );
        for (const t of response.topics) {
          for (const p of t.partitions) {
            if (p.errorCode !== 0) {
              throw new KafkaProtocolError(p.errorCode, {
                api: 'ListOffsets',
                topic: t.name,
                partition: p.partitionIndex,
              });
            }
            out.set(tpKey(t.name, p.partitionIndex), p.offset);
          }
        }
      }),
    );
  });
  return out;
}
