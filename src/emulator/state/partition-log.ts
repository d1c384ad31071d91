/**
 * One partition's log, in memory: record batches exactly as a producer sent them (v2 format), with
 * the broker-assigned base offset written in, plus the offsets Kafka tracks beside them.
 *
 * With a single broker the in-sync replica set is {this node}, so "committed" means "appended": the
 * high watermark is the log end offset, and it moves before the Produce response is sent (G1 in
 * notes/broker-behaviour.md). Offsets are JS numbers here (exact up to 2^53); bigints appear only at
 * the protocol boundary.
 */

export interface StoredBatch {
  baseOffset: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  /** The whole batch, its baseOffset field already rewritten. Never changed after append (G3). */
  bytes: Buffer;
  /** The batch's maxTimestamp (ms): the largest record timestamp, or log-append time. */
  maxTimestamp: number;
  /** Offset of the record carrying maxTimestamp, when known; else lastOffset. */
  maxTimestampOffset: number;
}

/** What the caller already validated about a batch before appending it. */
export interface AppendBatch {
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
   * Appends one batch: assigns the next `recordCount` offsets by rewriting baseOffset (bytes 0-7,
   * outside the CRC, so the CRC stays valid) and moves the log end offset.
   */
  append(batch: AppendBatch): StoredBatch {
    const baseOffset = this.logEndOffset;
    batch.bytes.writeBigInt64BE(BigInt(baseOffset), 0);
    const lastOffset = baseOffset + batch.recordCount - 1;
    const stored: StoredBatch = {
      baseOffset,
      lastOffset,
      bytes: batch.bytes,
      maxTimestamp: batch.maxTimestamp,
      maxTimestampOffset: baseOffset + (batch.maxTimestampDelta ?? batch.recordCount - 1),
    };
    this.batches.push(stored);
    this.logEndOffset = lastOffset + 1;
    this.sizeInBytes += batch.bytes.length;
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
