/**
 * One partition's log, in memory: record batches exactly as a producer sent them (v2 format), with
 * the broker-assigned base offset written in, plus the offsets Kafka tracks beside them.
 *
 * With a single broker the in-sync replica set is {this node}, so "committed" means "appended": the
 * high watermark is the log end offset, and it moves before the Produce response is sent (G1 in
 * notes/broker-behaviour.md). Offsets are JS numbers here (exact up to 2^53); bigints appear only at
 * the protocol boundary.
 *
 * Memory: batches are copied (never kept as views into the Produce request, which would keep the
 * whole frame alive) back to back into a few large "segments" rather than kept one allocation each.
 * A ~100 KB allocation per batch sits below glibc's mmap threshold (128 KiB), so a million retained
 * messages became ~1000 heap chunks interleaved with the request frames freed around them, and the
 * process kept ~1.34× their size resident (issue 3, `npm run bench:emulator`).
 *
 * The segments are shared by every partition log (a SegmentPool), not owned by one: with a segment
 * per log, a topic of 10,000 partitions holding a few small batches each cost 10,000 × 64 KiB for
 * ~2 MB of records — 180× the wire bytes, resident once the heap pages under them had been used by
 * request frames before (issue 11, item 9). Shared, the space allocated and not yet filled is one
 * segment's tail for the whole process.
 */

/** Segment sizes: the first ones stay small (a test's emulator holds a few records) … */
const MIN_SEGMENT_BYTES = 64 * 1024;
/** … later ones grow with what the pool holds (an eighth of it), up to this. */
const MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
/**
 * Space lost at segment ends stays under this share of a segment: a batch that does not fit in the
 * room left gets an allocation of its own (exact size) while that room is larger, and so does one
 * bigger than this share of the largest segment (a 1 MiB batch never strands 3 MiB behind it).
 */
const WASTE_SHARE = 16;

/**
 * Segments that partition logs copy batches into. Filled front to back and never reused: a segment is
 * freed (by the garbage collector) once no stored batch is a view into it any more.
 */
export class SegmentPool {
  private segment: Buffer | undefined;
  private used = 0;
  /** Bytes copied in so far: the next segment's size grows with it. */
  private copied = 0;

  /** A copy of `bytes` that lives as long as the returned view. */
  copy(bytes: Buffer): Buffer {
    const n = bytes.length;
    const size = Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, this.copied >>> 3));
    this.copied += n;
    const room = this.segment ? this.segment.length - this.used : 0;
    if (n > room) {
      if (n > MAX_SEGMENT_BYTES / WASTE_SHARE || room > size / WASTE_SHARE) {
        // Uninitialised is safe: every byte is written by the copy.
        const own = Buffer.allocUnsafeSlow(n);
        bytes.copy(own);
        return own;
      }
      // Uninitialised is safe: only the copied ranges are ever handed out, as bounded views. A batch
      // bigger than the segment size (early on, when segments are small) gets a segment of its size.
      this.segment = Buffer.allocUnsafeSlow(Math.max(n, size));
      this.used = 0;
    }
    const segment = this.segment!;
    const at = this.used;
    bytes.copy(segment, at);
    this.used = at + n;
    return segment.subarray(at, at + n);
  }
}

/** The pool of every partition log in this process that was not given one. */
const processSegments = new SegmentPool();

export interface StoredBatch {
  baseOffset: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  /**
   * The whole batch, its baseOffset field already rewritten: the log's own copy (a view into a
   * shared segment, or a buffer of its own when big; see SegmentPool). Never changed after append (G3).
   */
  bytes: Buffer;
  /** The batch's maxTimestamp (ms): the largest record timestamp, or log-append time. */
  maxTimestamp: number;
  /** Offset of the record carrying maxTimestamp, when known; else lastOffset. */
  maxTimestampOffset: number;
}

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

export class PartitionLog {
  readonly batches: StoredBatch[] = [];
  /** Offsets below this are gone (DeleteRecords / retention); always the start of a stored batch or LEO. */
  logStartOffset = 0;
  /** The next offset to assign. */
  logEndOffset = 0;
  /** Bytes held in batches, for DescribeLogDirs-like questions and memory figures. */
  sizeInBytes = 0;
  /** The stored batch holding the largest timestamp (ListOffsets MAX_TIMESTAMP, KIP-734). */
  private maxTimestampBatch: StoredBatch | undefined;
  /**
   * Transactions with a batch here and no marker yet: producer id → offset of the first batch
   * (ProducerStateManager's ongoing transactions). The earliest of them is the last stable offset.
   */
  readonly ongoingTransactions = new Map<number, number>();
  /** Aborted transactions in marker order (Kafka's .txnindex): read_committed fetches list them. */
  readonly abortedTransactions: AbortedTransaction[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly onAppend: (log: PartitionLog) => void = () => {},
    private readonly segments: SegmentPool = processSegments,
  ) {}

  /** With one broker, every appended record is replicated to the whole ISR at once. */
  get highWatermark(): number {
    return this.logEndOffset;
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
   * Appends a copy of one batch: assigns the next `recordCount` offsets by rewriting baseOffset in the
   * copy (bytes 0-7, outside the CRC, so the CRC stays valid) and moves the log end offset.
   */
  append(batch: AppendBatch): StoredBatch {
    const baseOffset = this.logEndOffset;
    const bytes = this.segments.copy(batch.bytes);
    bytes.writeBigInt64BE(BigInt(baseOffset), 0);
    const lastOffset = baseOffset + batch.recordCount - 1;
    const stored: StoredBatch = {
      baseOffset,
      lastOffset,
      bytes,
      maxTimestamp: batch.maxTimestamp,
      maxTimestampOffset: baseOffset + (batch.maxTimestampDelta ?? batch.recordCount - 1),
    };
    this.batches.push(stored);
    this.logEndOffset = lastOffset + 1;
    this.sizeInBytes += bytes.length;
    if (!this.maxTimestampBatch || stored.maxTimestamp > this.maxTimestampBatch.maxTimestamp) {
      this.maxTimestampBatch = stored;
    }
    this.onAppend(this);
    return stored;
  }

  /** Index of the first stored batch whose lastOffset ≥ offset (batches.length if none). */
  private indexAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
    for (let i = this.indexAtOrAfter(fetchOffset); i < this.batches.length; i++) {
      const b = this.batches[i];
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
    for (let i = this.indexAtOrAfter(fetchOffset); i < this.batches.length; i++) {
      if (this.batches[i].baseOffset >= upTo) break;
      n += this.batches[i].bytes.length;
    }
    return n;
  }

  /** The first batch whose maxTimestamp ≥ ts, for ListOffsets by timestamp; undefined when none. */
  firstBatchAtOrAfterTimestamp(ts: number): StoredBatch | undefined {
    for (let i = this.indexAtOrAfter(this.logStartOffset); i < this.batches.length; i++) {
      if (this.batches[i].maxTimestamp >= ts) return this.batches[i];
    }
    return undefined;
  }

  /** The batch holding the largest timestamp still in the log (ListOffsets MAX_TIMESTAMP). */
  maxTimestamp(): StoredBatch | undefined {
    const b = this.maxTimestampBatch;
    return b && b.lastOffset >= this.logStartOffset ? b : undefined;
  }
}
