/**
 * Records waiting to be sent, one queue per topic-partition. A queue becomes a batch when it holds
 * batch.size bytes or its oldest record has waited linger.ms. A sealed batch keeps its encoded bytes
 * (and so its producer sequence) across retries: that is what lets the broker drop a retried
 * duplicate (idempotence, KIP-98).
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

  // Plain fields, not arrow-function initialisers: one SendCall per send(), and a closure per field
  // per call is measurable on the single-record path.
  private resolveFn: ((r: RecordMetadata[]) => void) | undefined;
  private rejectFn: ((e: Error) => void) | undefined;
  private failure: Error | undefined;

  constructor(count: number) {
    this.results = new Array(count);
    this.remaining = count;
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
  /** The encoded record batch, sent as-is on every attempt. */
  bytes?: Buffer;
  attempts: number;
  /** Not before this time (retry backoff). */
  notBefore: number;
  lastError?: KafkaClientError;
}

export class PartitionQueue {
  records: PendingRecord[] = [];
  bytes = 0;
  /** When the oldest waiting record arrived. */
  firstAt = 0;
  /** Batches to send again, oldest first: they go before any new batch (ordering). */
  retries: SealedBatch[] = [];
  /** One batch in flight per partition: keeps order, and a retry keeps its place. */
  inFlight = false;

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

  /** Whether there is something to send now. */
  ready(now: number, o: { lingerMs: number; batchSize: number; flushing: boolean }): boolean {
    if (this.inFlight) return false;
    if (this.retries.length > 0) return this.retries[0].notBefore <= now;
    if (this.records.length === 0) return false;
    return o.flushing || this.bytes >= o.batchSize || now - this.firstAt >= o.lingerMs;
  }

  /** Milliseconds until this queue is ready, for the linger timer (Infinity if nothing waits). */
  wait(now: number, lingerMs: number): number {
    if (this.inFlight) return Number.POSITIVE_INFINITY;
    if (this.retries.length > 0) return Math.max(0, this.retries[0].notBefore - now);
    if (this.records.length === 0) return Number.POSITIVE_INFINITY;
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
    return { topic: this.topic, partition: this.partition, records, attempts: 0, notBefore: 0 };
  }
}
