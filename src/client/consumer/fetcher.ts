/**
 * Fetch: one request per partition leader for every partition that has a position. The answer is
 * kept as bytes: `nextOffset` comes from batch headers alone (offsetAfterWholeBatches), so the
 * consumer can send its next Fetch at once and decode each partition's records only when the
 * application is about to get them (fewer records alive at a time, and the broker works on the next
 * response meanwhile). What decoding must do with the bytes (PartitionRecords):
 * - skip a partial last batch (the broker cuts the log by bytes; the decoder leaves it out);
 * - skip control batches (transaction markers) and records below the fetch position (a batch is
 *   returned whole even when the position is in its middle);
 * - read_committed: skip the batches of aborted transactions. The broker stops at the last stable
 *   offset and lists the aborted transactions that overlap the answer (producer id, first offset);
 *   a transactional batch of a producer whose aborted transaction began at or before the batch's last
 *   offset is skipped, until that producer's ABORT marker (KIP-98; Java's CompletedFetch does this);
 * - the position moves past every whole batch seen, even one with nothing to deliver, or it would
 *   fetch the same control batch forever.
 */
import { Fetch } from '../../protocol/messages/index.js';
import { decodeRecordBatchesWith, type RecordMaker } from '../../protocol/records/batch-decoder.js';
import { LOG_OVERHEAD, OFF } from '../../protocol/records/batch-header.js';
import { offsetAfterWholeBatches } from '../../protocol/records/batch-scan.js';
import type { Cluster } from '../cluster.js';
import { KafkaProtocolError } from '../errors.js';
import { type ConsumerRecord, groupByTopic, type TopicPartition, tpKey } from './types.js';

export interface FetchSettings {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  maxPartitionBytes: number;
  checkCrcs: boolean;
  /** isolation.level: 0 read_uncommitted (Kafka's default), 1 read_committed. */
  isolationLevel?: 0 | 1;
}

/** An aborted transaction as Fetch lists it: its producer and the offset of its first record. */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface FetchTarget extends TopicPartition {
  offset: bigint;
}

export interface FetchedPartition {
  topic: string;
  partition: number;
  /** The position the request asked from. */
  fetchOffset: bigint;
  /** Where the next fetch should start (from batch headers; the records are not decoded yet). */
  nextOffset: bigint;
  /** The partition's record batches as the broker sent them (a view into the response). */
  records: Buffer | null;
  highWatermark: bigint;
  /** A per-partition error code (OFFSET_OUT_OF_RANGE is for the consumer to act on). */
  errorCode: number;
  /** read_committed: the aborted transactions in the answer's range (null when read_uncommitted). */
  abortedTransactions?: readonly AbortedTransaction[] | null;
}

const OFFSET_OUT_OF_RANGE = 1;

export async function fetchOnce(
  cluster: Cluster,
  targets: readonly FetchTarget[],
  settings: FetchSettings,
): Promise<FetchedPartition[]> {
  const byLeader = new Map<number, FetchTarget[]>();
  let noLeader: unknown;
  for (const t of targets) {
    let leader: number;
    try {
      leader = await cluster.leaderFor(t.topic, t.partition);
    } catch (err) {
      // A partition whose leader cannot be told right now (a restarted broker that has the topic with
      // fewer partitions, a topic not created again yet) must not hold up the others: Kafka's fetcher
      // skips it and asks for fresh metadata.
      if (!(err instanceof KafkaProtocolError && err.retriable)) throw err;
      cluster.invalidate();
      noLeader ??= err;
      continue;
    }
    if (leader < 0) continue;
    let list = byLeader.get(leader);
    if (!list) {
      list = [];
      byLeader.set(leader, list);
    }
    list.push(t);
  }
  // Nothing to fetch from anyone: the consumer's loop backs off on this error before trying again.
  if (byLeader.size === 0 && noLeader !== undefined) throw noLeader;
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
      isolationLevel: settings.isolationLevel ?? 0,
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
      if (p.errorCode !== 0) {
        const err = new KafkaProtocolError(p.errorCode, { api: 'Fetch', topic, partition: p.partitionIndex });
        if (err.staleMetadata) cluster.invalidate();
        else if (p.errorCode !== OFFSET_OUT_OF_RANGE && !err.retriable) throw err;
        out.push({
          topic,
          partition: p.partitionIndex,
          fetchOffset,
          nextOffset: fetchOffset,
          records: null,
          highWatermark: p.highWatermark,
          errorCode: p.errorCode,
        });
        continue;
      }
      const records =
        p.records && p.records.length > 0
          ? Buffer.from(p.records.buffer, p.records.byteOffset, p.records.byteLength)
          : null;
      const after = records ? offsetAfterWholeBatches(records) : null;
      out.push({
        topic,
        partition: p.partitionIndex,
        fetchOffset,
        nextOffset: after !== null && after > fetchOffset ? after : fetchOffset,
        records,
        highWatermark: p.highWatermark,
        errorCode: 0,
        abortedTransactions: p.abortedTransactions ?? null,
      });
    }
  }
  return out;
}

const NO_RECORDS: ConsumerRecord[] = [];

/**
 * The records of one fetched partition, decoded one record batch at a time as the application takes
 * them: control batches and records below the fetch position left out, a partial last batch ignored.
 * Decoding lazily keeps only the records in hand alive (a 1 MiB fetch holds ~9,000 small records;
 * all of them at once outlive V8's young generation and cost a full GC).
 *
 * A batch that does not decode (CRC mismatch, malformed bytes) throws DecodeError from take();
 * `nextOffset` then says where the records not yet handed out begin.
 */
export class PartitionRecords {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: bigint;
  /** The offset after the last record handed out (the fetch position before the first). */
  nextOffset: bigint;
  private readonly bytes: Buffer | null;
  private readonly view: DataView | undefined;
  private readonly checkCrcs: boolean;
  /** Builds each ConsumerRecord straight from the decoder (no intermediate Record to copy from). */
  private readonly makeRecord: RecordMaker<ConsumerRecord>;
  /** Byte position of the next batch to decode. */
  private pos = 0;
  private chunk: ConsumerRecord[] = NO_RECORDS;
  private index = 0;
  /** read_committed: aborted transactions by first offset, the next one not yet reached. */
  private readonly aborted: readonly AbortedTransaction[] | undefined;
  private abortedNext = 0;
  /** Producers whose aborted transaction the batches have reached and whose marker they have not. */
  private readonly abortedProducers = new Set<bigint>();

  constructor(f: FetchedPartition, checkCrcs: boolean) {
    this.topic = f.topic;
    this.partition = f.partition;
    this.highWatermark = f.highWatermark;
    this.nextOffset = f.fetchOffset;
    this.bytes = f.records;
    this.view = f.records
      ? new DataView(f.records.buffer, f.records.byteOffset, f.records.byteLength)
      : undefined;
    this.checkCrcs = checkCrcs;
    const aborted = f.abortedTransactions;
    this.aborted =
      aborted && aborted.length > 0
        ? [...aborted].sort((a, b) =>
            a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
          )
        : undefined;
    const { topic, partition } = f;
    this.makeRecord = (offset, timestamp, key, value, headers) => ({
      topic,
      partition,
      offset,
      timestamp,
      key,
      value,
      headers,
    });
  }

  /** Up to `max` (≥ 1) records in offset order; empty when none are left. */
  take(max: number): ConsumerRecord[] {
    if (this.index >= this.chunk.length && !this.decodeNext()) return NO_RECORDS;
    const from = this.index;
    const to = Math.min(this.chunk.length, from + max);
    this.index = to;
    const out = from === 0 && to === this.chunk.length ? this.chunk : this.chunk.slice(from, to);
    this.nextOffset = out[out.length - 1].offset + 1n;
    return out;
  }

  /** The next record, or undefined when none are left. */
  takeOne(): ConsumerRecord | undefined {
    if (this.index >= this.chunk.length && !this.decodeNext()) return undefined;
    const r = this.chunk[this.index++];
    this.nextOffset = r.offset + 1n;
    return r;
  }

  /** Decodes whole batches until one has records to hand out; false when no whole batch is left. */
  private decodeNext(): boolean {
    const bytes = this.bytes;
    const view = this.view;
    if (bytes === null || view === undefined) return false;
    // Each step moves past one whole batch or stops: bounded by the bytes.
    while (bytes.length - this.pos >= LOG_OVERHEAD) {
      const batchEnd = this.pos + LOG_OVERHEAD + view.getInt32(this.pos + OFF.batchLength);
      // A partial last batch (cut by the fetch size limit) is left for the next fetch.
      if (batchEnd > bytes.length) return false;
      const at = this.pos;
      // A length below the minimum (even negative) is the decoder's to report: it gets the 12 bytes.
      const { batches } = decodeRecordBatchesWith(
        bytes.subarray(at, Math.max(batchEnd, at + LOG_OVERHEAD)),
        { verifyCrc: this.checkCrcs },
        this.makeRecord,
      );
      this.pos = batchEnd;
      const b = batches[0];
      if (b === undefined) continue;
      if (this.aborted !== undefined && this.inAbortedTransaction(b)) continue;
      if (b.attributes.isControl) continue;
      // A batch is returned whole even when the position is in its middle.
      let records = b.records;
      if (b.baseOffset < this.nextOffset) records = records.filter((r) => r.offset >= this.nextOffset);
      if (records.length === 0) continue;
      this.chunk = records;
      this.index = 0;
      return true;
    }
    return false;
  }

  /**
   * Whether a batch belongs to an aborted transaction. The transactions that began at or before the
   * batch's last offset are open from here on; a producer's ABORT marker closes its own (the only
   * marker such a producer can have in that range is its abort: a commit would not be listed).
   */
  private inAbortedTransaction(b: {
    baseOffset: bigint;
    lastOffsetDelta: number;
    producerId: bigint;
    attributes: { isTransactional: boolean; isControl: boolean };
  }): boolean {
    const aborted = this.aborted!;
    const last = b.baseOffset + BigInt(b.lastOffsetDelta);
    while (this.abortedNext < aborted.length && aborted[this.abortedNext].firstOffset <= last)
      this.abortedProducers.add(aborted[this.abortedNext++].producerId);
    if (!b.attributes.isTransactional || !this.abortedProducers.has(b.producerId)) return false;
    if (b.attributes.isControl) this.abortedProducers.delete(b.producerId);
    return true;
  }
}
