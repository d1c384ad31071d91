/**
 * One partition's log, in memory: a list of segments (log/segment.ts) rolled as Kafka rolls them
 * (segment.bytes, segment.ms on the cluster's clock), each holding record batches exactly as a
 * producer sent them (v2 format) with the broker-assigned base offset written in, plus the offsets
 * Kafka tracks beside them: the log start offset (moved by DeleteRecords, retention and the cleaner's
 * deletions), the log end offset and the high watermark.
 *
 * With a single broker the in-sync replica set is {this node}, so "committed" means "appended": the
 * high watermark is the log end offset, and it moves before the Produce response is sent (G1 in
 * notes/broker-behaviour.md). Offsets are JS numbers here (exact up to 2^53); bigints appear only at
 * the protocol boundary.
 *
 * Batch bytes live in chunks shared by every log (log/batch-pool.ts); retention (log/retention.ts)
 * and compaction (log/cleaner.ts) drop whole segments or replace a segment's batches, which frees
 * the chunks no batch points into any more.
 */
import { type BatchPool, processBatchPool } from './log/batch-pool.js';
import { DEFAULT_LOG_ENVIRONMENT, type LogConfig, type LogEnvironment } from './log/log-config.js';
import { LogSegment, type StoredBatch } from './log/segment.js';

/** Where a v2 batch header keeps partitionLeaderEpoch (after baseOffset and batchLength). */
const PARTITION_LEADER_EPOCH_AT = 12;

export { BatchPool } from './log/batch-pool.js';
export type { StoredBatch } from './log/segment.js';
export { LogSegment } from './log/segment.js';

/** What the caller already validated about a batch before appending it. */
export interface AppendBatch {
  /** The batch as validated; the log copies it, so the caller's buffer may be reused or freed. */
  bytes: Buffer;
  recordCount: number;
  maxTimestamp: number;
  /** Delta (from the batch's first offset) of the record with the largest timestamp, if known. */
  maxTimestampDelta?: number;
}

export interface ReadResult {
  batches: StoredBatch[];
  bytes: number;
}

/** An aborted transaction in this log (Kafka's transaction index entry, AbortedTxn). */
export interface AbortedTransaction {
  producerId: number;
  /** Offset of the transaction's first batch here (its marker's offset if it wrote nothing). */
  firstOffset: number;
  /** Offset of its ABORT marker. */
  lastOffset: number;
}

/**
 * What a persistent store hears from a log (log/persistence.ts); every method is called after the
 * in-memory change is made. A memory-only log has none.
 */
export interface LogStore {
  appended(log: PartitionLog, segment: LogSegment, batch: StoredBatch): void;
  rolled(log: PartitionLog, segment: LogSegment): void;
  segmentsDeleted(log: PartitionLog, segments: readonly LogSegment[]): void;
  /** The cleaner rewrote these segments' batches. */
  segmentsReplaced(log: PartitionLog, segments: readonly LogSegment[]): void;
  logStartOffsetChanged(log: PartitionLog): void;
}

export interface PartitionLogOptions {
  /** Called after every append (Fetch long-polls wake on it). */
  onAppend?: (log: PartitionLog) => void;
  /** Where batch bytes are copied to; the process-wide pool by default. */
  pool?: BatchPool;
  /** The clock and the topic config in force; Kafka's defaults and Date.now by default. */
  env?: LogEnvironment;
  store?: LogStore;
}

/** Kafka's OffsetOutOfRangeException, carried as a value: the log start offset may not pass the HW. */
export interface LogStartOffsetRefusal {
  errorCode: 1;
  message: string;
}

export class PartitionLog {
  /** Oldest first; the last one is the active segment that appends go to. Never empty. */
  readonly segments: LogSegment[];
  /** Offsets below this are gone (DeleteRecords / retention); may point inside a batch (DeleteRecords). */
  logStartOffset = 0;
  /** The next offset to assign. */
  logEndOffset = 0;
  /**
   * The leader epoch every appended batch is stamped with (partitionLeaderEpoch, bytes 12-15, outside
   * the CRC), as Kafka's leader does in LogValidator; the controller sets it at each election
   * (cluster/controller.ts). Consumers read it back for KIP-320's truncation checks.
   */
  leaderEpoch = 0;
  /**
   * Transactions with a batch here and no marker yet: producer id → offset of the first batch
   * (ProducerStateManager's ongoing transactions). The earliest of them is the last stable offset.
   */
  readonly ongoingTransactions = new Map<number, number>();
  /** Aborted transactions in marker order (Kafka's .txnindex): read_committed fetches list them. */
  readonly abortedTransactions: AbortedTransaction[] = [];
  readonly env: LogEnvironment;
  /** Set by a persistent store once it has loaded the log (persistence.ts). */
  store: LogStore | undefined;
  private readonly onAppend: (log: PartitionLog) => void;
  private readonly pool: BatchPool;

  constructor(
    readonly topic: string,
    readonly partition: number,
    options: PartitionLogOptions = {},
  ) {
    this.onAppend = options.onAppend ?? (() => {});
    this.pool = options.pool ?? processBatchPool;
    this.env = options.env ?? DEFAULT_LOG_ENVIRONMENT;
    this.store = options.store;
    this.segments = [this.newSegment(0, this.env.now(), this.env.config())];
  }

  /**
   * The high watermark: the log end offset — every replica shares this log, so the ISR has a record
   * as soon as it is appended — unless a follower in the ISR has stopped fetching (a paused or killed
   * broker not yet fenced): then cluster/replication.ts computes it (the lowest log end offset in
   * the ISR) through `highWatermarkOf`.
   */
  get highWatermark(): number {
    return this.highWatermarkOf ? this.highWatermarkOf(this) : this.logEndOffset;
  }

  /** Set by cluster/replication.ts while a follower of this partition is frozen. */
  highWatermarkOf: ((log: PartitionLog) => number) | undefined;

  /** Tells the append listeners (parked Fetch long-polls) to look again: the high watermark moved. */
  announce(): void {
    this.onAppend(this);
  }

  /** The segment appends go to. */
  get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  /** Bytes held in every segment (DescribeLogDirs' partition size, retention.bytes). */
  get sizeInBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** Every stored batch, oldest first, as a new array (tests and tools; Fetch reads with read()). */
  get batches(): StoredBatch[] {
    return this.segments.flatMap((s) => s.batches);
  }

  /**
   * The last stable offset (KIP-98): below it every transaction has ended, so read_committed reads
   * stop here — the first offset of the earliest open transaction, else the high watermark.
   */
  get lastStableOffset(): number {
    let lso = this.highWatermark;
    for (const first of this.ongoingTransactions.values()) if (first < lso) lso = first;
    return lso;
  }

  /** A transactional batch at `offset`: the producer's transaction is open here from its first batch. */
  beginTransaction(producerId: number, offset: number): void {
    if (!this.ongoingTransactions.has(producerId)) this.ongoingTransactions.set(producerId, offset);
  }

  /** The producer's COMMIT/ABORT marker was appended at `markerOffset`. */
  endTransaction(producerId: number, aborted: boolean, markerOffset: number): void {
    const first = this.ongoingTransactions.get(producerId) ?? markerOffset;
    this.ongoingTransactions.delete(producerId);
    if (aborted) this.abortedTransactions.push({ producerId, firstOffset: first, lastOffset: markerOffset });
  }

  /** Aborted transactions overlapping [from, upTo): what a read_committed fetch of that range needs. */
  abortedTransactionsIn(from: number, upTo: number): AbortedTransaction[] {
    return this.abortedTransactions.filter((t) => t.lastOffset >= from && t.firstOffset < upTo);
  }

  /**
   * Appends a copy of one batch: rolls a new segment first when the active one should roll, assigns
   * the next `recordCount` offsets by rewriting baseOffset in the copy (bytes 0-7, outside the CRC,
   * so the CRC stays valid) and moves the log end offset.
   */
  append(batch: AppendBatch): StoredBatch {
    const now = this.env.now();
    const config = this.env.config();
    let segment = this.activeSegment;
    const roll = segment.shouldRoll({
      maxSegmentBytes: config.segmentBytes,
      maxSegmentMs: config.segmentMs,
      maxTimestampInMessages: batch.maxTimestamp,
      messagesSize: batch.bytes.length,
      now,
    });
    if (roll) segment = this.roll(now, config);
    const baseOffset = this.logEndOffset;
    const bytes = this.pool.copy(batch.bytes);
    bytes.writeBigInt64BE(BigInt(baseOffset), 0);
    bytes.writeInt32BE(this.leaderEpoch, PARTITION_LEADER_EPOCH_AT);
    const lastOffset = baseOffset + batch.recordCount - 1;
    const stored: StoredBatch = {
      baseOffset,
      lastOffset,
      bytes,
      maxTimestamp: batch.maxTimestamp,
      maxTimestampOffset: baseOffset + (batch.maxTimestampDelta ?? batch.recordCount - 1),
    };
    segment.append(stored, now);
    this.logEndOffset = lastOffset + 1;
    this.store?.appended(this, segment, stored);
    this.onAppend(this);
    return stored;
  }

  /**
   * A new active segment at the log end offset (LocalLog.roll). An empty active segment already
   * there is replaced rather than followed by a second one at the same offset, as Kafka does.
   */
  roll(now = this.env.now(), config: LogConfig = this.env.config()): LogSegment {
    const segment = this.newSegment(this.logEndOffset, now, config);
    if (this.activeSegment.size === 0 && this.activeSegment.baseOffset === this.logEndOffset) {
      this.segments[this.segments.length - 1] = segment;
    } else {
      this.segments.push(segment);
    }
    this.store?.rolled(this, segment);
    return segment;
  }

  private newSegment(baseOffset: number, now: number, config: LogConfig): LogSegment {
    // Kafka's LogConfig.randomSegmentJitter: a random share of segment.jitter.ms, below segment.ms.
    const jitter =
      config.segmentJitterMs > 0
        ? Math.floor(Math.random() * Math.min(config.segmentJitterMs, config.segmentMs))
        : 0;
    return new LogSegment(baseOffset, now, jitter);
  }

  /** The segment index and batch index of the first batch whose lastOffset ≥ offset. */
  private locate(offset: number): [number, number] {
    const segs = this.segments;
    // The last segment whose base offset is ≤ offset; the batch may still lie in a later segment
    // when the cleaner left a gap.
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (segs[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    for (let s = lo; s < segs.length; s++) {
      const i = segs[s].indexAtOrAfter(offset);
      if (i < segs[s].batches.length) return [s, i];
    }
    return [segs.length, 0];
  }

  /** Batches from the one holding (or first after) `offset`, oldest first. */
  private *batchesFrom(offset: number): Generator<StoredBatch> {
    const [s0, i0] = this.locate(offset);
    for (let s = s0; s < this.segments.length; s++) {
      const batches = this.segments[s].batches;
      for (let i = s === s0 ? i0 : 0; i < batches.length; i++) yield batches[i];
    }
  }

  /** Whether a consumer may fetch from `offset` (Kafka: OFFSET_OUT_OF_RANGE outside [logStart, LEO]). */
  inRange(offset: number): boolean {
    return offset >= this.logStartOffset && offset <= this.logEndOffset;
  }

  /**
   * Whole batches from the one containing `fetchOffset` onwards, up to the high watermark, within
   * `maxBytes` — except that the first batch is always returned even when larger (KIP-74), when
   * `minOneBatch` is set, so a consumer can always make progress.
   */
  read(fetchOffset: number, maxBytes: number, minOneBatch: boolean, upTo = this.highWatermark): ReadResult {
    const out: StoredBatch[] = [];
    let bytes = 0;
    const hw = Math.min(upTo, this.highWatermark);
    for (const b of this.batchesFrom(fetchOffset)) {
      if (b.baseOffset >= hw) break;
      if (bytes + b.bytes.length > maxBytes && !(minOneBatch && out.length === 0)) break;
      out.push(b);
      bytes += b.bytes.length;
    }
    return { batches: out, bytes };
  }

  /** Bytes available from `fetchOffset` to `upTo` (the high watermark by default), for Fetch minBytes. */
  bytesAvailable(fetchOffset: number, upTo = this.highWatermark): number {
    let n = 0;
    for (const b of this.batchesFrom(fetchOffset)) {
      if (b.baseOffset >= upTo) break;
      n += b.bytes.length;
    }
    return n;
  }

  /** The first batch whose maxTimestamp ≥ ts, for ListOffsets by timestamp; undefined when none. */
  firstBatchAtOrAfterTimestamp(ts: number): StoredBatch | undefined {
    for (const b of this.batchesFrom(this.logStartOffset)) if (b.maxTimestamp >= ts) return b;
    return undefined;
  }

  /** The batch holding the largest timestamp still in the log (ListOffsets MAX_TIMESTAMP). */
  maxTimestamp(): StoredBatch | undefined {
    let best: StoredBatch | undefined;
    for (const s of this.segments) {
      const b = s.maxTimestampBatch;
      if (b && b.lastOffset >= this.logStartOffset && (!best || b.maxTimestamp > best.maxTimestamp)) best = b;
    }
    return best;
  }

  /**
   * Moves the log start offset forward (UnifiedLog.maybeIncrementLogStartOffset): never past the high
   * watermark (OFFSET_OUT_OF_RANGE), never back. The segments below it go at the next retention check,
   * as Kafka's deleteLogStartOffsetBreachedSegments does.
   */
  maybeIncrementLogStartOffset(offset: number): LogStartOffsetRefusal | undefined {
    if (offset > this.highWatermark) {
      return {
        errorCode: 1,
        message: `Cannot increment the log start offset to ${offset} of partition ${this.topic}-${this.partition} since it is larger than the high watermark ${this.highWatermark}`,
      };
    }
    if (offset > this.logStartOffset) {
      this.logStartOffset = offset;
      this.store?.logStartOffsetChanged(this);
    }
    return undefined;
  }

  /**
   * Kafka's deletableSegments + deleteSegments: the oldest segments for which `predicate` holds, in
   * order, stopping at the first that does not and never an empty active segment; when that would be
   * every segment, a new active one is rolled first so the log always has one. The log start offset
   * moves to the first segment left. Returns the segments deleted.
   */
  deleteOldSegments(predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean): LogSegment[] {
    const deletable: LogSegment[] = [];
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      const next = this.segments[i + 1];
      const upperBound = next ? next.baseOffset : this.logEndOffset;
      const isLastAndEmpty = !next && segment.size === 0;
      if (this.highWatermark >= upperBound && predicate(segment, next) && !isLastAndEmpty)
        deletable.push(segment);
      else break;
    }
    if (deletable.length === 0) return [];
    if (deletable.length === this.segments.length) this.roll();
    this.segments.splice(0, deletable.length);
    const start = this.segments[0].baseOffset;
    if (start > this.logStartOffset) {
      this.logStartOffset = start;
      this.store?.logStartOffsetChanged(this);
    }
    // Aborted transactions wholly below the log are forgotten with their segments' .txnindex.
    while (
      this.abortedTransactions.length > 0 &&
      this.abortedTransactions[0].lastOffset < this.logStartOffset
    ) {
      this.abortedTransactions.shift();
    }
    this.store?.segmentsDeleted(this, deletable);
    return deletable;
  }
}
