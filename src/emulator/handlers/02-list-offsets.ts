/**
 * ListOffsets: v0-10
 *
 * Behaviour:
 * - timestamp -1 LATEST → the high watermark, or with isolationLevel 1 (read_committed, v2+) the last
 *   stable offset; a timestamp or MAX_TIMESTAMP lookup that lands at or past that offset answers -1
 *   (Partition.fetchOffsetForTimestamp's lastFetchableOffset); -2 EARLIEST and
 *   -4 EARLIEST_LOCAL (KIP-405) → the log start offset; -3 MAX_TIMESTAMP (KIP-734) → the record with
 *   the largest timestamp; -5 LATEST_TIERED → -1 (no tiered storage); these answer timestamp -1
 *   except MAX_TIMESTAMP.
 * - timestamp ≥ 0 → the first record whose timestamp is ≥ it, with that timestamp; none → offset -1.
 * - Unknown topic/partition → UNKNOWN_TOPIC_OR_PARTITION (3); currentLeaderEpoch older than the
 *   partition's → FENCED_LEADER_EPOCH (74), newer → UNKNOWN_LEADER_EPOCH (75) (cluster/leadership.ts).
 * - leaderEpoch (v4+): the epoch the found offset was written in, from the leader-epoch cache.
 *
 * Version notes:
 * - v0 answers a list (oldStyleOffsets) instead of one offset; v1+ offset + timestamp; v2 isolation
 *   level; v4 leader epochs; v6+ flexible; v7 MAX_TIMESTAMP; v8 EARLIEST_LOCAL; v9 LATEST_TIERED; v10 timeoutMs.
 * - A timestamp search opens the batch (decompressing it when needed) and lands on the exact record.
 */

import { ListOffsets } from '../../protocol/messages/02-list-offsets.js';
import { epochOfOffset, leaderEpochError, NOT_LEADER_OR_FOLLOWER, notLeader } from '../cluster/leadership.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { findOffsetByTimestamp } from '../record-batch.js';
import { authorize, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import type { PartitionLog } from '../state/partition-log.js';

type PartitionResponse = NonNullable<
  NonNullable<ResponseOf<typeof ListOffsets>['topics']>[number]['partitions']
>[number];

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;

function lookup(log: PartitionLog, ts: number, lastFetchable: number): { offset: number; timestamp: number } {
  if (ts === MAX_TIMESTAMP || ts >= 0) {
    const found = lookupRecord(log, ts);
    return found.offset >= lastFetchable ? { offset: -1, timestamp: -1 } : found;
  }
  switch (ts) {
    case LATEST:
      return { offset: lastFetchable, timestamp: -1 };
    case EARLIEST:
    case EARLIEST_LOCAL:
      return { offset: log.logStartOffset, timestamp: -1 };
    case LATEST_TIERED:
      return { offset: -1, timestamp: -1 };
  }
  return { offset: -1, timestamp: -1 };
}

/** MAX_TIMESTAMP, or the first record at or after a timestamp. */
function lookupRecord(log: PartitionLog, ts: number): { offset: number; timestamp: number } {
  if (ts === MAX_TIMESTAMP) {
    const b = log.maxTimestamp();
    return b ? { offset: b.maxTimestampOffset, timestamp: b.maxTimestamp } : { offset: -1, timestamp: -1 };
  }
  const batch = log.firstBatchAtOrAfterTimestamp(ts);
  if (!batch) return { offset: -1, timestamp: -1 };
  // The exact record, compressed batches included (record-batch.ts decompresses like Kafka does).
  const hit = findOffsetByTimestamp(batch.bytes, ts);
  if (hit) return hit;
  return { offset: batch.baseOffset, timestamp: batch.maxTimestamp };
}

export default defineHandler({
  api: ListOffsets,
  versions: declaredVersions(ListOffsets),
  handle(request, ctx) {
    const topics = request.topics.map((t) => {
      const topic = ctx.cluster.topics.get(t.name);
      // ACLs (KafkaApis.handleListOffsetRequest): DESCRIBE on the topic, before it is looked up.
      const refused = !authorize(ctx, 'DESCRIBE', 'TOPIC', t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p): PartitionResponse => {
          const log = topic?.partitions[p.partitionIndex];
          const base = { partitionIndex: p.partitionIndex, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
          if (refused) return { ...base, errorCode: TOPIC_AUTHORIZATION_FAILED };
          if (!log) return { ...base, errorCode: UNKNOWN_TOPIC_OR_PARTITION };
          // Only the leader answers offsets (issue 16); ListOffsets has no KIP-951 hint.
          if (topic && notLeader(ctx, topic, p.partitionIndex))
            return { ...base, errorCode: NOT_LEADER_OR_FOLLOWER };
          const epochError = topic ? leaderEpochError(ctx, topic, p.partitionIndex, p.currentLeaderEpoch) : 0;
          if (epochError !== 0) return { ...base, errorCode: epochError };
          const committedOnly = ctx.version >= 2 && request.isolationLevel === 1;
          const found = lookup(
            log,
            Number(p.timestamp),
            committedOnly ? log.lastStableOffset : log.highWatermark,
          );
          return {
            partitionIndex: p.partitionIndex,
            errorCode: 0,
            // v0 answers a list of offsets; from v1 on, one offset and its timestamp.
            ...(ctx.version === 0
              ? { oldStyleOffsets: found.offset >= 0 ? [BigInt(found.offset)] : [] }
              : {
                  timestamp: BigInt(found.timestamp),
                  offset: BigInt(found.offset),
                  // No record at/after the time: Kafka answers offset -1 with no epoch (-1), as
                  // Apache Kafka 4.1.1 does in conformance/scenarios/list-offsets.ts.
                  leaderEpoch:
                    ctx.version >= 4 && found.offset >= 0 && topic
                      ? epochOfOffset(ctx, topic, p.partitionIndex, found.offset)
                      : -1,
                }),
          };
        }),
      };
    });
    return { throttleTimeMs: 0, topics };
  },
});
