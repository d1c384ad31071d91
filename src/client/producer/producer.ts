/**
 * The producer: send() partitions each message, appends it to its partition's queue and resolves once
 * the broker acknowledged every message (with acks 1/all) or the bytes left (acks 0). A sender loop
 * drains ready queues into one Produce request per leader broker, at most maxInFlight requests per
 * broker and one batch per partition in flight, so a retried batch never overtakes a later one.
 *
 * Idempotence (on by default with acks=all, as in Kafka 3.0+): InitProducerId once, a sequence number
 * per partition stamped into each batch when it is sealed; a retry sends the very same bytes, so the
 * broker recognises a duplicate of one of its last 5 batches and answers with the original offset.
 */

import { Produce } from '../../protocol/messages/00-produce.js';
import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import {
  type CompressionType,
  encodeRecordBatch,
  ensureCodecs,
  type HeaderInput,
} from '../../protocol/records/index.js';
import {
  backoffMs,
  Cluster,
  type ClusterOptions,
  type RetryOptions,
  resolveRetry,
  type TopicInfo,
} from '../cluster.js';
import type { Connection } from '../connection.js';
import { KafkaClientError, KafkaProtocolError } from '../errors.js';
import { PartitionQueue, type PendingRecord, type SealedBatch, SendCall } from './accumulator.js';
import { DefaultPartitioner } from './partitioner.js';
import type { Bytes, ProducerMessage, ProducerOptions, ProducerRecord, RecordMetadata } from './types.js';

const DUPLICATE_SEQUENCE_NUMBER = 46;
/** Produce v3 is the first to carry record batches v2; zstd needs v7 (KIP-110). */
const MIN_PRODUCE_VERSION = 3;
const MIN_PRODUCE_VERSION_ZSTD = 7;
/**
 * v13 names topics by id (KIP-516), which this producer does not send. v12 has v11's bytes; its
 * transactions-V2 meaning (KIP-890) only concerns transactional producers, and this one never is.
 */
const MAX_PRODUCE_VERSION = 12;
const INT32_MAX = 0x7fffffff;

/** A leader's connection as last resolved, with the Produce version picked on it. */
interface Link {
  /** The cluster's broker table it was resolved from; a Metadata refresh replaces that table. */
  brokers: Cluster['brokers'];
  conn: Connection;
  version: number;
}

/** Partitions with a leader, per topic metadata object (a refresh makes new objects). */
const availableCache = new WeakMap<TopicInfo, readonly number[]>();

function availableOf(info: TopicInfo): readonly number[] {
  let a = availableCache.get(info);
  if (!a) {
    a = info.partitions.filter((p) => p.leader >= 0).map((p) => p.partition);
    availableCache.set(info, a);
  }
  return a;
}

interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
}

export interface ProducerConnectOptions extends ProducerOptions {
  /** Share a cluster (the producer will not close it), or give bootstrap servers to own one. */
  cluster?: Cluster;
  bootstrap?: ClusterOptions['bootstrap'];
  clientId?: string;
  requestTimeoutMs?: number;
}

export class Producer {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly acks: 0 | 1 | -1;
  readonly idempotent: boolean;
  private readonly compression: CompressionType;
  private readonly lingerMs: number;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly ackTimeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly partitioner: DefaultPartitioner;
  /** Every queue in creation order (the order drain() visits them). */
  private readonly queues = new Map<string, PartitionQueue>();
  /** The same queues by topic, then partition: the per-record look-up, without building a key. */
  private readonly queuesByTopic = new Map<string, PartitionQueue[]>();
  private readonly links = new Map<number, Link>();
  private connected = false;
  private readonly inFlightByNode = new Map<number, number>();
  private identity: ProducerIdentity = { producerId: -1n, producerEpoch: -1 };
  private readonly sequences = new Map<string, number>();
  private started: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private drainQueued = false;
  private flushing = 0;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(options: ProducerConnectOptions) {
    if (options.cluster) {
      this.cluster = options.cluster;
      this.ownsCluster = false;
    } else {
      if (!options.bootstrap)
        throw new KafkaClientError('a producer needs bootstrap servers or a cluster', { retriable: false });
      this.cluster = new Cluster({
        bootstrap: options.bootstrap,
        clientId: options.clientId,
        requestTimeoutMs: options.requestTimeoutMs,
        retry: options.retry,
      });
      this.ownsCluster = true;
    }
    const acks = options.acks === 'all' ? -1 : (options.acks ?? -1);
    if (acks !== 0 && acks !== 1 && acks !== -1)
      throw new KafkaClientError(`acks must be 0, 1, -1 or 'all', not ${acks}`, { retriable: false });
    this.acks = acks;
    if (options.idempotent === true && acks !== -1) {
      // Java refuses this too (ProducerConfig: "Must set acks to all in order to use the idempotent producer").
      throw new KafkaClientError('an idempotent producer needs acks=all (-1)', { retriable: false });
    }
    this.idempotent = options.idempotent ?? acks === -1;
    this.compression = options.compression ?? 'none';
    this.lingerMs = options.lingerMs ?? 0;
    this.batchSize = options.batchSize ?? 16_384;
    this.maxInFlight = options.maxInFlight ?? 5;
    if (this.idempotent && this.maxInFlight > 5) {
      throw new KafkaClientError('an idempotent producer allows at most 5 requests in flight per broker', {
        retriable: false,
      });
    }
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    this.retry = resolveRetry(options.retry ?? { retries: 10 });
    this.partitioner = new DefaultPartitioner(this.batchSize);
  }

  /** Connects, loads zstd if needed, and gets a producer id when idempotent. Called by send() too. */
  connect(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  private async start(): Promise<void> {
    if (this.compression === 'zstd') await ensureCodecs();
    await this.cluster.connect();
    if (this.idempotent) await this.initProducerId();
    this.connected = true;
  }

  private async initProducerId(): Promise<void> {
    this.identity = await this.cluster.withRetries(async () => {
      // Not transactional: no id, and the broker ignores the timeout (Java sends Integer.MAX_VALUE).
      const res = await this.cluster.requestAny(InitProducerId, {
        transactionalId: null,
        transactionTimeoutMs: INT32_MAX,
      });
      if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode, { api: 'InitProducerId' });
      return { producerId: res.producerId, producerEpoch: res.producerEpoch };
    });
  }

  /** The producer id and epoch (-1 when not idempotent). */
  get producerIdentity(): Readonly<ProducerIdentity> {
    return this.identity;
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (this.closed) throw new KafkaClientError('the producer is closed', { retriable: false });
    const messages = record.messages;
    const n = messages.length;
    // Counted from the call on, until it settles either way: flush() waits for zero.
    this.unsettled += n;
    let handedOver = false;
    try {
      if (!this.connected) await this.connect();
      const topic = record.topic;
      const info = await this.cluster.topic(topic);
      const count = info.partitions.length;
      const now = Date.now();
      const call = new SendCall(n);
      call.onSettle = () => this.settled(n);
      handedOver = true;
      const settledCall = new Promise<RecordMetadata[]>((resolve, reject) => call.bind(resolve, reject));
      try {
        const nowTs = BigInt(now);
        let queue: PartitionQueue | undefined;
        for (let index = 0; index < n; index++) {
          const m = messages[index];
          const pending = toPending(m, call, index, now, nowTs);
          let partition = m.partition;
          if (partition === undefined) {
            let hashed: Uint8Array | null = null;
            if (pending.key !== null) {
              // murmur2 needs the key's bytes (the encoder then reuses them); with one partition
              // there is nothing to choose, and partitionForKey(any key, 1) is 0.
              hashed = count > 1 ? toBytes(pending.key) : ONE_PARTITION_KEY;
              if (count > 1) pending.key = hashed;
            }
            partition = this.partitioner.choose(
              topic,
              hashed,
              count,
              hashed === null ? availableOf(info) : NO_PARTITIONS,
              pending.size,
            );
          } else if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
            throw new KafkaProtocolError(
              3,
              { api: 'Produce', topic, partition },
              `${topic} has ${count} partitions`,
            );
          }
          if (queue === undefined || queue.partition !== partition) queue = this.queueFor(topic, partition);
          queue.add(pending, now);
        }
      } catch (err) {
        call.fail(err as Error);
      }
      this.schedule();
      return await settledCall;
    } finally {
      if (!handedOver) this.settled(n);
    }
  }

  private settled(n: number): void {
    this.unsettled -= n;
    if (this.unsettled <= 0) {
      this.unsettled = 0;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private queueFor(topic: string, partition: number): PartitionQueue {
    let byPartition = this.queuesByTopic.get(topic);
    if (!byPartition) {
      byPartition = [];
      this.queuesByTopic.set(topic, byPartition);
    }
    let q = byPartition[partition];
    if (!q) {
      q = new PartitionQueue(topic, partition);
      byPartition[partition] = q;
      this.queues.set(`${topic}\u0000${partition}`, q);
    }
    return q;
  }

  /**
   * The leader's connection and Produce version without a trip through the cluster, while the
   * connection is up and the broker table it came from is still the cluster's (no Metadata refresh
   * since). Otherwise undefined, and sendTo() asks the cluster as before.
   */
  private cachedLink(node: number): Link | undefined {
    const link = this.links.get(node);
    if (link?.conn.ready && link.brokers === this.cluster.brokers) return link;
    return undefined;
  }

  private async resolveLink(node: number): Promise<Link> {
    const brokers = this.cluster.brokers;
    const conn = await this.cluster.connectionTo(node);
    const minVersion = this.compression === 'zstd' ? MIN_PRODUCE_VERSION_ZSTD : MIN_PRODUCE_VERSION;
    const version = conn.versionFor(Produce, { minVersion, maxVersion: MAX_PRODUCE_VERSION });
    const link = { brokers, conn, version };
    this.links.set(node, link);
    return link;
  }

  /** Drains on the next turn of the event loop, so records of one synchronous burst share batches. */
  private schedule(): void {
    if (this.drainQueued) return;
    this.drainQueued = true;
    setImmediate(() => {
      this.drainQueued = false;
      this.drain();
    });
  }

  private armTimer(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.drain();
    }, ms);
  }

  private drain(): void {
    const now = Date.now();
    const o = {
      lingerMs: this.lingerMs,
      batchSize: this.batchSize,
      flushing: this.flushing > 0 || this.closed,
    };
    const byNode = new Map<number, SealedBatch[]>();
    let nextWait = Number.POSITIVE_INFINITY;
    let needMetadata = false;
    for (const q of this.queues.values()) {
      if (!q.ready(now, o)) {
        nextWait = Math.min(nextWait, q.wait(now, o.flushing ? 0 : this.lingerMs));
        continue;
      }
      const leader =
        this.cluster
          .topics()
          .get(q.topic)
          ?.partitions.find((p) => p.partition === q.partition)?.leader ?? -1;
      if (leader < 0) {
        needMetadata = true;
        continue;
      }
      const batches = byNode.get(leader) ?? [];
      if (batches.length === 0 && (this.inFlightByNode.get(leader) ?? 0) >= this.maxInFlight) continue;
      const batch = q.take(this.batchSize);
      q.inFlight = true;
      batches.push(batch);
      byNode.set(leader, batches);
    }
    for (const [node, batches] of byNode) {
      this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 0) + 1);
      void this.sendTo(node, batches);
    }
    if (needMetadata) {
      this.cluster.invalidate();
      void this.refreshThenDrain();
    } else if (Number.isFinite(nextWait)) {
      this.armTimer(nextWait);
    }
  }

  private async refreshThenDrain(): Promise<void> {
    try {
      await this.cluster.refreshMetadata();
    } catch {
      // The next drain asks again; batches fail by their own retry budget.
    }
    this.armTimer(this.retry.initialBackoffMs);
  }

  /** Encodes a batch on its first attempt; the sequence is taken then and never again. */
  private seal(b: SealedBatch): Buffer {
    if (b.bytes) return b.bytes;
    let baseSequence = -1;
    if (this.idempotent) {
      const key = `${b.topic}\u0000${b.partition}`;
      baseSequence = this.sequences.get(key) ?? 0;
      // Sequences are int32 and wrap to 0 after Integer.MAX_VALUE, as the broker expects.
      this.sequences.set(key, (baseSequence + b.records.length) % (INT32_MAX + 1));
    }
    b.bytes = encodeRecordBatch({
      records: b.records,
      compression: this.compression,
      producerId: this.identity.producerId,
      producerEpoch: this.identity.producerEpoch,
      baseSequence,
    });
    return b.bytes;
  }

  private async sendTo(node: number, batches: SealedBatch[]): Promise<void> {
    const failed: { batch: SealedBatch; err: unknown }[] = [];
    const completed = new Set<SealedBatch>();
    try {
      const byTopic = new Map<string, { index: number; records: Buffer }[]>();
      for (const b of batches) {
        const list = byTopic.get(b.topic) ?? [];
        list.push({ index: b.partition, records: this.seal(b) });
        byTopic.set(b.topic, list);
      }
      const topicData = [...byTopic].map(([name, partitionData]) => ({ name, partitionData }));
      // The common case writes without yielding: the request leaves in this very turn of the loop.
      const { conn, version } = this.cachedLink(node) ?? (await this.resolveLink(node));
      const body = { transactionalId: null, acks: this.acks, timeoutMs: this.ackTimeoutMs, topicData };
      if (this.acks === 0) {
        await conn.sendOneWay(Produce, body, { version });
        for (const b of batches) {
          this.complete(b, -1n, -1n);
          completed.add(b);
        }
      } else {
        const res = await conn.request(Produce, body, { version });
        for (const b of batches) {
          const p = res.responses
            .find((t) => t.name === b.topic)
            ?.partitionResponses.find((x) => x.index === b.partition);
          if (!p) {
            failed.push({
              batch: b,
              err: new KafkaClientError(
                `Produce response from ${conn.address} lacks ${b.topic}-${b.partition}`,
                { retriable: true },
              ),
            });
          } else if (p.errorCode === 0) {
            this.complete(b, p.baseOffset, p.logAppendTimeMs ?? -1n);
            completed.add(b);
          } else if (p.errorCode === DUPLICATE_SEQUENCE_NUMBER) {
            // Sender.java treats it as success; the original offset is unknown.
            this.complete(b, -1n, -1n);
            completed.add(b);
          } else {
            failed.push({
              batch: b,
              err: new KafkaProtocolError(
                p.errorCode,
                { api: 'Produce', topic: b.topic, partition: b.partition, broker: conn.address },
                p.errorMessage ?? null,
              ),
            });
          }
        }
      }
    } catch (err) {
      for (const b of batches)
        if (!completed.has(b) && !failed.some((f) => f.batch === b)) failed.push({ batch: b, err });
    } finally {
      this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 1) - 1);
    }
    for (const { batch, err } of failed) this.retryOrFail(batch, err);
    for (const b of batches) this.queueFor(b.topic, b.partition).inFlight = false;
    this.schedule();
  }

  private complete(b: SealedBatch, baseOffset: bigint, logAppendTime: bigint): void {
    const known = baseOffset >= 0n;
    const logAppend = logAppendTime >= 0n;
    let offset = known ? baseOffset : -1n;
    for (const r of b.records) {
      r.call.done(r.index, {
        topic: b.topic,
        partition: b.partition,
        offset,
        timestamp: logAppend ? logAppendTime : r.createTime,
      });
      if (known) offset++;
    }
  }

  private retryOrFail(b: SealedBatch, err: unknown): void {
    this.cluster.noteError(err);
    const retriable = err instanceof KafkaClientError && err.retriable;
    const live = b.records.some((r) => !r.call.settled);
    if (retriable && live && b.attempts < this.retry.retries) {
      b.attempts++;
      b.notBefore = Date.now() + backoffMs(b.attempts - 1, this.retry);
      b.lastError = err as KafkaClientError;
      this.queueFor(b.topic, b.partition).retries.push(b);
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    for (const r of b.records) r.call.fail(e);
  }

  /** Sends everything queued now (ignoring linger) and resolves when it is all settled. */
  async flush(): Promise<void> {
    if (this.unsettled === 0) return;
    this.flushing++;
    try {
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        this.drain();
      });
    } finally {
      this.flushing--;
    }
  }

  /** Flushes, then closes the connections (if the producer owns its cluster). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.ownsCluster) await this.cluster.close();
  }
}

/** Partitions for a keyed record's choice: the partitioner never looks at them. */
const NO_PARTITIONS: readonly number[] = [];
/** Stands for any key when a topic has one partition: partitionForKey(key, 1) is 0 for every key. */
const ONE_PARTITION_KEY = new Uint8Array(0);

function toBytes(v: Bytes | null | undefined): Uint8Array | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function byteLength(v: Bytes | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

/**
 * The record as queued, which is also the batch encoder's input. A record without its own timestamp
 * shares the call's `now`, handed to the encoder as a number and reported as one bigint per call.
 */
function toPending(
  m: ProducerMessage,
  call: SendCall,
  index: number,
  now: number,
  nowTs: bigint,
): PendingRecord {
  const key = m.key ?? null;
  let size = 16 + byteLength(key) + byteLength(m.value);
  let headers: HeaderInput[] | undefined;
  if (m.headers) {
    headers = Array.isArray(m.headers)
      ? m.headers
      : Object.entries(m.headers).map(([key, value]) => ({ key, value }));
    for (const h of headers) size += 4 + Buffer.byteLength(h.key) + byteLength(h.value);
  }
  let createTime = nowTs;
  let timestamp: bigint | number = now;
  if (m.timestamp !== undefined) {
    createTime = BigInt(m.timestamp);
    timestamp = createTime;
  }
  return { key, value: m.value, headers, timestamp, createTime, size, call, index };
}
