/**
 * One partition's log, in memory: record batches exactly as a producer sent them (v2 format), with
 * the broker-assigned base offset written in, plus the offsets Kafka tracks beside them.
 *
 * With a single broker the in-sync replica set is {this node}, so "committed" means "appended": the
 * high watermark is the log end offset, and it moves before the Produce response is sent (G1 in
 * notes/broker-behaviour.md). Offsets are JS numbers here (exact up to 2^53); bigints appear only at
 * the protocol boundary.
 *
 * Memory: batches are copied back to back into a few large "segments" (Buffers the log owns, growing
 * with it) rather than kept one allocation each. A ~100 KB allocation per batch sits below glibc's
 * mmap threshold (128 KiB), so a million retained messages became ~1000 heap chunks interleaved with
 * the request frames freed around them, and the process kept ~1.34× their size resident (issue 3,
 * `npm run bench:emulator`). A segment is one large allocation, and the untouched tail of the newest
 * one costs address space, not resident memory.
 */

/** Segment sizes: the first ones stay small (a test's partition holds a few records) … */
const MIN_SEGMENT_BYTES = 64 * 1024;
/** … later ones grow with the log (an eighth of what it holds), up to this. */
const MAX_SEGMENT_BYTES = 4 * 1024 * 1024;

export interface StoredBatch {
  baseOffset: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  /**
   * The whole batch, its baseOffset field already rewritten: the log's own copy (a view into one of
   * its segments). Never changed after append (G3).
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
  /** The segment batches are being copied into, and how much of it is used. */
  private segment: Buffer | undefined;
  private segmentUsed = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly onAppend: (log: PartitionLog) => void = () => {},
  ) {}

  /** With one broker, every appended record is replicated to the whole ISR at once. */
  get highWatermark(): number {
    return this.logEndOffset;
  }

  /**
   * Appends a copy of one batch: assigns the next `recordCount` offsets by rewriting baseOffset in the
   * copy (bytes 0-7, outside the CRC, so the CRC stays valid) and moves the log end offset.
   */
  append(batch: AppendBatch): StoredBatch {
    const baseOffset = this.logEndOffset;
    const bytes = this.copyIn(batch.bytes);
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

  /** Copies `bytes` to the end of the current segment (a new one when it does not fit). */
  private copyIn(bytes: Buffer): Buffer {
    const n = bytes.length;
    if (!this.segment || this.segment.length - this.segmentUsed < n) {
      const size = Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, this.sizeInBytes >>> 3));
      // Uninitialised is safe: only the copied ranges are ever handed out, as bounded views.
      this.segment = Buffer.allocUnsafeSlow(Math.max(n, size));
      this.segmentUsed = 0;
    }
    const at = this.segmentUsed;
    bytes.copy(this.segment, at);
    this.segmentUsed = at + n;
    return this.segment.subarray(at, at + n);
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
  read(fetchOffset: number, maxBytes: number, minOneBatch: boolean): ReadResult {
    const out: StoredBatch[] = [];
    let bytes = 0;
    const hw = this.highWatermark;
    for (let i = this.indexAtOrAfter(fetchOffset); i < this.batches.length; i++) {
      const b = this.batches[i];
      if (b.baseOffset >= hw) break;
      if (bytes + b.bytes.length > maxBytes && !(minOneBatch && out.length === 0)) break;
      out.push(b);
      bytes += b.bytes.length;
    }
    return { batches: out, bytes };
  }

  /** Bytes available from `fetchOffset` to the high watermark (for Fetch minBytes). */
  bytesAvailable(fetchOffset: number): number {
    let n = 0;
    for (let i = this.indexAtOrAfter(fetchOffset); i < this.batches.length; i++)
      n += this.batches[i].bytes.length;
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
