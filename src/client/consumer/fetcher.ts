/**
 * Fetch: one request per partition leader for every partition that has a position, decoded into
 * records. Full fetches (no KIP-227 session). What the consumer must do with the answer:
 * - skip a partial last batch (the broker cuts the log by bytes; decodeRecordBatches leaves it out);
 * - skip control batches (transaction markers) and records below the fetch position (a batch is
 *   returned whole even when the position is in its middle);
 * - move the position past every whole batch seen, even one with nothing to deliver, or it would
 *   fetch the same control batch forever.
 */
import { Fetch } from '../../protocol/messages/index.js';
import { decodeRecordBatchesWith } from '../../protocol/records/batch-decoder.js';
import type { Cluster } from '../cluster.js';
import { KafkaProtocolError } from '../errors.js';
import {
  type ConsumerRecord,
  groupByTopic,
  type RecordBatchOfPartition,
  type TopicPartition,
  tpKey,
} from './types.js';

export interface FetchSettings {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  maxPartitionBytes: number;
  checkCrcs: boolean;
}

export interface FetchTarget extends TopicPartition {
  offset: bigint;
}

export interface FetchedPartition {
  topic: string;
  partition: number;
  /** The position the request asked from. */
  fetchOffset: bigint;
  /** Where the next fetch should start. */
  nextOffset: bigint;
  batch: RecordBatchOfPartition;
  /** A per-partition error code (OFFSET_OUT_OF_RANGE is for the consumer to act on). */
  errorCode: number;
}

const OFFSET_OUT_OF_RANGE = 1;

export async function fetchOnce(
  cluster: Cluster,
  targets: readonly FetchTarget[],
  settings: FetchSettings,
): Promise<FetchedPartition[]> {
  const byLeader = new Map<number, FetchTarget[]>();
  for (const t of targets) {
    const leader = await cluster.leaderFor(t.topic, t.partition);
    if (leader < 0) continue;
    let list = byLeader.get(leader);
    if (!list) {
      list = [];
      byLeader.set(leader, list);
    }
    list.push(t);
  }
  const results = await Promise.all(
    [...byLeader].map(([leader, list]) => fetchFromLeader(cluster, leader, list, settings)),
  );
  return results.flat();
}

async function fetchFromLeader(
  cluster: Cluster,
  leader: number,
  targets: FetchTarget[],
  settings: FetchSettings,
): Promise<FetchedPartition[]> {
  const offsets = new Map(targets.map((t) => [tpKey(t.topic, t.partition), t.offset]));
  const topics = cluster.topics();
  const idToName = new Map<string, string>();
  for (const tp of groupByTopic(targets)) {
    const info = topics.get(tp.topic);
    if (info) idToName.set(info.topicId, tp.topic);
  }
  const conn = await cluster.connectionTo(leader);
  // v4+: record batches v2 and the isolation level. Topic ids (v13+) only when Metadata gave us ids.
  const zeroId = 'AAAAAAAAAAAAAAAAAAAAAA';
  const haveIds = groupByTopic(targets).every((tp) => (topics.get(tp.topic)?.topicId ?? zeroId) !== zeroId);
  const version = conn.versionFor(Fetch, { minVersion: 4, maxVersion: haveIds ? undefined : 12 });
  const response = await conn.request(
    Fetch,
    {
      replicaId: -1,
      maxWaitMs: settings.maxWaitMs,
      minBytes: settings.minBytes,
      maxBytes: settings.maxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: groupByTopic(targets).map((tp) => ({
        topic: tp.topic,
        topicId: topics.get(tp.topic)?.topicId ?? zeroId,
        partitions: tp.partitions.map((p) => ({
          partition: p,
          currentLeaderEpoch: -1,
          fetchOffset: offsets.get(tpKey(tp.topic, p))!,
          lastFetchedEpoch: -1,
          logStartOffset: -1n,
          partitionMaxBytes: settings.maxPartitionBytes,
        })),
      })),
      forgottenTopicsData: [],
      rackId: '',
    },
    // The broker may hold the request for maxWaitMs before answering.
    { version, timeoutMs: settings.maxWaitMs + conn.requestTimeoutMs },
  );
  if (response.errorCode)
    throw new KafkaProtocolError(response.errorCode, { api: 'Fetch', broker: conn.address });
  const out: FetchedPartition[] = [];
  for (const t of response.responses) {
    const topic = version >= 13 ? idToName.get(t.topicId) : t.topic;
    if (topic === undefined) continue;
    for (const p of t.partitions) {
      const key = tpKey(topic, p.partitionIndex);
      const fetchOffset = offsets.get(key);
      if (fetchOffset === undefined) continue;
      const batch: RecordBatchOfPartition = {
        topic,
        partition: p.partitionIndex,
        records: [],
        highWatermark: p.highWatermark,
      };
      if (p.errorCode !== 0) {
        const err = new KafkaProtocolError(p.errorCode, { api: 'Fetch', topic, partition: p.partitionIndex });
        if (err.staleMetadata) cluster.invalidate();
        else if (p.errorCode !== OFFSET_OUT_OF_RANGE && !err.retriable) throw err;
        out.push({
          topic,
          partition: p.partitionIndex,
          fetchOffset,
          nextOffset: fetchOffset,
          batch,
          errorCode: p.errorCode,
        });
        continue;
      }
      let next = fetchOffset;
      if (p.records && p.records.length > 0) {
        const partition = p.partitionIndex;
        // The decoder builds each ConsumerRecord directly (no intermediate Record to copy from).
        const { batches } = decodeRecordBatchesWith(
          p.records,
          { verifyCrc: settings.checkCrcs },
          (offset, timestamp, key, value, headers): ConsumerRecord => ({
            topic,
            partition,
            offset,
            timestamp,
            key,
            value,
            headers,
          }),
        );
        const records = batch.records;
        for (const b of batches) {
          const after = b.baseOffset + BigInt(b.lastOffsetDelta) + 1n;
          if (after <= next) continue;
          if (!b.attributes.isControl) {
            // Only a batch that starts before the position holds records to skip.
            const skipBelow = b.baseOffset < next;
            for (const r of b.records) {
              if (skipBelow && r.offset < next) continue;
              records.push(r);
            }
          }
          next = after;
        }
      }
      out.push({ topic, partition: p.partitionIndex, fetchOffset, nextOffset: next, batch, errorCode: 0 });
    }
  }
  return out;
}
