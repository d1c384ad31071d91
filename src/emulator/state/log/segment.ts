/**
 * One segment of a partition log (Kafka's LogSegment): the batches of a contiguous offset range,
 * the offset it starts at, its size, and what rolling and retention ask of it — the first batch's
 * timestamp (time-based roll), the largest timestamp (time-based retention) and, standing in for a
 * file's modification time, the clock at its last append.
 */

export interface StoredBatch {
  baseOffset: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  /**
   * The whole batch, its baseOffset field already rewritten: the log's own copy (a view into a
   * shared pool chunk, or a buffer of its own when big; see SegmentPool). Never changed after append (G3);
   * the cleaner replaces a batch by a new one, never edits it.
   */
  bytes: Buffer;
  /** The batch's maxTimestamp (ms): the largest record timestamp, or log-append time. */
  maxTimestamp: number;
  /** Offset of the record carrying maxTimestamp, when known; else lastOffset. */
  maxTimestampOffset: number;
}

/** What maybeRoll hands LogSegment.shouldRoll (Kafka's RollParams). */
export interface RollParams {
  maxSegmentBytes: number;
  maxSegmentMs: number;
  /** The incoming batch's max timestamp. */
  maxTimestampInMessages: number;
  /** The incoming batch's size. */
  messagesSize: number;
  now: number;
}

export class LogSegment {
  readonly batches: StoredBatch[] = [];
  /** Bytes of the batches held. */
  size = 0;
  /** The clock at the last append (Kafka falls back on the file's mtime where a timestamp is missing). */
  lastModified: number;
  /** The first batch's max timestamp: time-based rolling counts from it (KIP-33). */
  private rollingBasedTimestamp: number | undefined;
  /** The batch with the largest timestamp so far. */
  private maxBatch: StoredBatch | undefined;

  /**
   * @param created the clock when the segment was made
   * @param rollJitterMs this segment's random share of segment.jitter.ms
   */
  constructor(
    readonly baseOffset: number,
    readonly created: number,
    readonly rollJitterMs = 0,
  ) {
    this.lastModified = created;
  }

  append(batch: StoredBatch, now: number): void {
    if (this.batches.length === 0) this.rollingBasedTimestamp = batch.maxTimestamp;
    this.batches.push(batch);
    this.size += batch.bytes.length;
    if (!this.maxBatch || batch.maxTimestamp > this.maxBatch.maxTimestamp) this.maxBatch = batch;
    this.lastModified = now;
  }

  /** Replaces every batch (the cleaner's output, same offsets or fewer); the segment keeps its base offset. */
  replaceBatches(batches: StoredBatch[]): void {
    this.batches.length = 0;
    this.size = 0;
    this.maxBatch = undefined;
    this.rollingBasedTimestamp = undefined;
    const lastModified = this.lastModified;
    for (const b of batches) this.append(b, lastModified);
  }

  /** The offset after the last batch held, or the base offset when empty. */
  get nextOffset(): number {
    const n = this.batches.length;
    return n === 0 ? this.baseOffset : this.batches[n - 1].lastOffset + 1;
  }

  /** The batch holding the largest timestamp, if any. */
  get maxTimestampBatch(): StoredBatch | undefined {
    return this.maxBatch;
  }

  /** The largest timestamp held, else the last append's time (LogSegment.largestTimestamp). */
  largestTimestamp(): number {
    const ts = this.maxBatch?.maxTimestamp ?? -1;
    return ts >= 0 ? ts : this.lastModified;
  }

  /**
   * How long this segment has been open for the roll decision: between the first batch's timestamp
   * and the incoming one's, or on the clock since it was made when the first batch has none.
   */
  timeWaitedForRoll(now: number, messageTimestamp: number): number {
    const ts = this.rollingBasedTimestamp ?? -1;
    return ts >= 0 ? messageTimestamp - ts : now - this.created;
  }

  /**
   * Kafka's LogSegment.shouldRoll: full (the next batch would take it past segment.bytes) or old
   * (segment.ms less jitter) and not empty. Kafka's two index-full conditions and the relative-offset
   * overflow are not reached by an in-memory log with default index sizes and are left out.
   */
  shouldRoll(p: RollParams): boolean {
    const reachedRollMs =
      this.timeWaitedForRoll(p.now, p.maxTimestampInMessages) > p.maxSegmentMs - this.rollJitterMs;
    return this.size > p.maxSegmentBytes - p.messagesSize || (this.size > 0 && reachedRollMs);
  }

  /** Index of the first batch whose lastOffset ≥ offset (batches.length if none). */
  indexAtOrAfter(offset: number): number {
    const batches = this.batches;
    let lo = 0;
    let hi = batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
