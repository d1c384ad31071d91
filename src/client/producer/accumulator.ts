/**
 * Records waiting to be sent, one queue per topic-partition. A queue becomes a batch when it holds
 * batch.size bytes or its oldest record has waited linger.ms. A sealed batch keeps its encoded bytes
 * (and so its producer sequence) across retries: that is what lets the broker drop a retried
 * duplicate (idempotence, KIP-98).
 *
 * Per partition the queue also tracks what is in flight and what waits to be sent again. With an
 * idempotent producer up to max.in.flight.requests.per.connection (≤ 5) batches of a partition may be
 * in flight at once: the broker keeps the last 5 batches per producer and partition, so a retry of
 * any of them is still recognised as a duplicate. Once a batch comes back for a retry, the queue is
 * in retry mode: retries are kept in send order and go one at a time, each only when nothing else of
 * the partition is in flight (Java's RecordAccumulator does the same: it re-inserts a retried batch
 * by sequence and drains it only when it is the first in-flight sequence), so order survives.
 */
import type { RecordInput } from '../../protocol/records/index.js';
import type { KafkaClientError } from '../errors.js';
import type { RecordMetadata } from './types.js';

/** One send() call: settles once every one of its records is acknowledged, or on the first failure. */
export class SendCall {
  readonly results: RecordMetadata[];
  private remaining: number;
  settled = false;
  /** Told once, when the call settles either way. */
  onSettle?: () => void;
  /** When send() queued the records (Date.now()): delivery.timeout.ms counts from here. */
  readonly at: number;

  // Plain fields, not arrow-function initialisers: one SendCall per send(), and a closure per field
  // per call is measurable on the single-record path.
  private resolveFn: ((r: RecordMetadata[]) => void) | undefined;
  private rejectFn: ((e: Error) => void) | undefined;
  private failure: Error | undefined;

  constructor(count: number, at: number) {
    this.results = new Array(count);
    this.remaining = count;
    this.at = at;
  }

  /** Attaches the promise; an outcome reached before (zero records, a bad partition) is delivered now. */
  bind(resolve: (r: RecordMetadata[]) => void, reject: (e: Error) => void): void {
    this.resolveFn = resolve;
    this.rejectFn = reject;
    if (this.remaining === 0 && !this.settled) this.finish();
    else if (this.failure) reject(this.failure);
  }

  done(index: number, meta: RecordMetadata): void {
    if (this.settled) return;
    this.results[index] = meta;
    if (--this.remaining === 0) this.finish();
  }

  fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.failure = err;
    this.onSettle?.();
    this.rejectFn?.(err);
  }

  private finish(): void {
    this.settled = true;
    this.onSettle?.();
    this.resolveFn?.(this.results);
  }
}

/**
 * A queued record. It is itself the batch encoder's input (key, value, headers, timestamp), so a
 * batch is encoded from the queued objects without a second object per record.
 */
export interface PendingRecord extends RecordInput {
  /** CreateTime as RecordMetadata reports it. */
  createTime: bigint;
  size: number;
  call: SendCall;
  index: number;
}

export interface SealedBatch {
  topic: string;
  partition: number;
  records: PendingRecord[];
  /** The encoded record batch, sent as-is on every attempt; dropped when it must get a new sequence. */
  bytes?: Buffer;
  /** The producer sequence encoded in `bytes` (-1 when not idempotent or not sealed yet). */
  baseSequence: number;
  /**
   * Where the batch stands in its partition's send order: retries are kept sorted by it. The parts of
   * a split batch share their parent's span [order, order + width) in order.
   */
  order: number;
  width: number;
  attempts: number;
  /** Not before this time (retry backoff). */
  notBefore: number;
  lastError?: KafkaClientError;
  /** delivery.timeout.ms passed while the batch was in flight: its records already failed. */
  expired?: boolean;
  /** An attempt got no answer (closed connection, timeout): the broker may hold these sequences. */
  unresolved?: boolean;
}

export class PartitionQueue {
  records: PendingRecord[] = [];
  bytes = 0;
  /** When the oldest waiting record arrived. */
  firstAt = 0;
  /** Batches to send again, in send order (by `order`): they go before any new batch. */
  retries: SealedBatch[] = [];
  /** Batches sent and not answered yet, oldest first. */
  inFlight: SealedBatch[] = [];
  /** The producer sequence the next sealed batch gets (idempotence). */
  nextSequence = 0;
  /**
   * Set when the broker refused a batch for good (or it was split): every sealed batch of the
   * partition from this sequence on is re-sealed with fresh sequences, starting here, once nothing
   * of the partition is in flight any more.
   */
  resequenceFrom: number | undefined;
  /**
   * The last answer for this partition was an acknowledgement. Until then (a new queue, a new
   * producer identity, an error) one batch at a time: a broker without state for this producer and
   * partition (never written, restarted, the state expired) takes a batch of any sequence as the
   * first one (Kafka's ProducerAppendInfo.checkSequence), so a later batch could land ahead of an
   * earlier one that failed. Once it acknowledged one, it refuses gaps, and a pipeline is safe.
   */
  confirmed = false;
  private nextOrder = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  add(r: PendingRecord, now: number): void {
    if (this.records.length === 0) this.firstAt = now;
    this.records.push(r);
    this.bytes += r.size;
  }

  get empty(): boolean {
    return this.records.length === 0 && this.retries.length === 0;
  }

  /**
   * Whether a batch may leave now, with at most `maxInFlight` of the partition in flight. A queue
   * with retries (or waiting to re-sequence) sends one batch at a time, the oldest retry first.
   */
  ready(
    now: number,
    o: { lingerMs: number; batchSize: number; flushing: boolean },
    maxInFlight: number,
  ): boolean {
    const inFlight = this.inFlight.length;
    if (this.retries.length > 0 || this.resequenceFrom !== undefined) {
      return inFlight === 0 && this.retries.length > 0 && this.retries[0].notBefore <= now;
    }
    if (inFlight >= (this.confirmed ? maxInFlight : 1) || this.records.length === 0) return false;
    return o.flushing || this.bytes >= o.batchSize || now - this.firstAt >= o.lingerMs;
  }

  /** Milliseconds until this queue is ready, for the linger timer (Infinity if nothing waits). */
  wait(now: number, lingerMs: number, maxInFlight: number): number {
    if (this.retries.length > 0 || this.resequenceFrom !== undefined) {
      if (this.inFlight.length > 0 || this.retries.length === 0) return Number.POSITIVE_INFINITY;
      return Math.max(0, this.retries[0].notBefore - now);
    }
    if (this.records.length === 0 || this.inFlight.length >= (this.confirmed ? maxInFlight : 1))
      return Number.POSITIVE_INFINITY;
    return Math.max(0, this.firstAt + lingerMs - now);
  }

  /** The next batch: a retry first, else up to batchSize bytes of new records (at least one). */
  take(batchSize: number): SealedBatch {
    const retry = this.retries.shift();
    if (retry) return retry;
    let n = 0;
    let bytes = 0;
    while (n < this.records.length && (n === 0 || bytes + this.records[n].size <= batchSize)) {
      bytes += this.records[n].size;
      n++;
    }
    const records = this.records.splice(0, n);
    this.bytes -= bytes;
    return {
      topic: this.topic,
      partition: this.partition,
      records,
      baseSequence: -1,
      order: this.nextOrder++,
      width: 1,
      attempts: 0,
      notBefore: 0,
    };
  }

  /** Puts a batch back among the retries at its place in send order. */
  requeue(b: SealedBatch): void {
    let i = this.retries.length;
    while (i > 0 && this.retries[i - 1].order > b.order) i--;
    this.retries.splice(i, 0, b);
  }

  /** Takes a batch off the in-flight list (it was answered, or its request failed). */
  landed(b: SealedBatch): void {
    const i = this.inFlight.indexOf(b);
    if (i >= 0) this.inFlight.splice(i, 1);
  }

  /** Queued records from the front whose delivery deadline passed: removed and returned. */
  expireQueued(deadlineCreatedBefore: number): PendingRecord[] {
    let n = 0;
    let bytes = 0;
    while (n < this.records.length && this.records[n].call.at <= deadlineCreatedBefore) {
      bytes += this.records[n].size;
      n++;
    }
    if (n === 0) return NONE;
    this.bytes -= bytes;
    const gone = this.records.splice(0, n);
    if (this.records.length > 0) this.firstAt = this.records[0].call.at;
    return gone;
  }
}

const NONE: PendingRecord[] = [];

/** Splits a batch refused as too large into two halves, in order, sharing the parent's place. */
export function splitBatch(b: SealedBatch): [SealedBatch, SealedBatch] {
  const half = Math.ceil(b.records.length / 2);
  const w = b.width / 2;
  const part = (records: PendingRecord[], order: number): SealedBatch => ({
    topic: b.topic,
    partition: b.partition,
    records,
    baseSequence: -1,
    order,
    width: w,
    attempts: b.attempts,
    notBefore: 0,
  });
  return [part(b.records.slice(0, half), b.order), part(b.records.slice(half), b.order + w)];
}
