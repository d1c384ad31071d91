/**
 * The producer: send() partitions each message, appends it to its partition's queue and resolves once
 * the broker acknowledged every message (with acks 1/all) or the bytes left (acks 0). A sender loop
 * drains ready queues into Produce requests per leader broker (one batch per partition per request, as
 * the broker requires), at most maxInFlight requests per broker.
 *
 * Idempotence (on by default with acks=all, as in Kafka 3.0+; KIP-98): InitProducerId once, a sequence
 * number per partition stamped into each batch when it is sealed; a retry sends the very same bytes,
 * so the broker recognises a duplicate of one of its last 5 batches and answers with the original
 * offset. That window is why up to 5 batches of one partition may be in flight at once (KAFKA-5494):
 * if one fails, the later ones come back OUT_OF_ORDER_SEQUENCE_NUMBER, and all of them are sent again
 * one at a time, in sequence order (accumulator.ts). Without idempotence a partition keeps one batch
 * in flight: Kafka would let a retry overtake later batches there; we keep the order instead.
 *
 * What breaks the sequence chain, and the repair:
 * - The broker refused a batch for good (a fatal error, retries used up) or it was split: the broker
 *   never took those sequences, so the partition's later sealed batches are re-sealed with fresh
 *   sequences from the refused one on, once none of them is in flight (Java's
 *   adjustSequencesDueToFailedBatch does the same by arithmetic).
 * - OUT_OF_ORDER_SEQUENCE_NUMBER that no earlier failure explains, UNKNOWN_PRODUCER_ID, or a batch
 *   given up without an answer (its sequences may or may not be in the log): an epoch bump (KIP-360).
 *   Sending stops until nothing is in flight, a new InitProducerId gives a new identity, every
 *   partition's sequences restart at 0 and waiting batches are re-encoded with the new identity.
 *
 * Send order (issue 11): records of one partition are stored in the order of send() calls. A send
 * whose topic has no metadata yet waits in that topic's FIFO, and later sends to the topic join it
 * (see send()); a partition pipelines only once the broker has acknowledged one of its batches (see
 * PartitionQueue.confirmed); a retry goes before any later batch of its partition (accumulator.ts).
 *
 * Metadata: a batch back with a stale-metadata error or a closed connection, or a partition without a
 * known leader, asks for a background refresh (paced by the retry backoff) and its retry waits for it,
 * so a broker that restarted empty re-creates an auto-created topic and the send goes on, within
 * delivery.timeout.ms (retries are unbounded by default, as Kafka's).
 *
 * MESSAGE_TOO_LARGE on a batch of several records splits it in halves, sent in its place (Java splits
 * to batch.size; halving repeats until the parts fit). delivery.timeout.ms (KIP-91) bounds send() to
 * success or failure: one unref'd timer for the whole producer expires records that outlived it,
 * queued, waiting for a retry or in flight.
 */

import { Produce } from '../../protocol/messages/00-produce.js';
import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import {
  type CompressionType,
  encodeRecordBatch,
  ensureCodecs,
  type HeaderInput,
} from '../../protocol/records/index.js';
import type { MessageValue } from '../../protocol/schema/declare.js';
import {
  backoffMs,
  Cluster,
  type ClusterOptions,
  delay,
  type RetryOptions,
  resolveRetry,
  type TopicInfo,
} from '../cluster.js';
import type { Connection } from '../connection.js';
import type { TopicPartitionOffset } from '../consumer/types.js';
import {
  ConnectionError,
  KafkaClientError,
  KafkaProtocolError,
  UnreachableAdvertisedAddressError,
} from '../errors.js';
import { PartitionQueue, type PendingRecord, type SealedBatch, SendCall, splitBatch } from './accumulator.js';
import { DeliveryTimeoutError } from './errors.js';
import { DefaultPartitioner } from './partitioner.js';
import { TransactionAbortedError, TransactionStateError } from './transaction-errors.js';
import {
  type ConsumerGroupMetadata,
  TransactionManager,
  type TransactionState,
} from './transaction-manager.js';
import type { Bytes, ProducerMessage, ProducerOptions, ProducerRecord, RecordMetadata } from './types.js';

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const MESSAGE_TOO_LARGE = 10;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const DUPLICATE_SEQUENCE_NUMBER = 46;
const UNKNOWN_PRODUCER_ID = 59;
/** Produce v3 is the first to carry record batches v2; zstd needs v7 (KIP-110). */
const MIN_PRODUCE_VERSION = 3;
const MIN_PRODUCE_VERSION_ZSTD = 7;
/**
 * v13 names topics by id (KIP-516), which this producer does not send. v12 has v11's bytes; it means
 * transactions V2 (KIP-890: the Produce adds its partition to the transaction), so a transactional
 * producer, which adds partitions itself (V1), stays at v11.
 */
const MAX_PRODUCE_VERSION = 12;
const MAX_PRODUCE_VERSION_TRANSACTIONAL = 11;
const INT32_MAX = 0x7fffffff;
/** The Connection's default request timeout, for the delivery.timeout.ms check of an owned cluster. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A leader's connection as last resolved, with the Produce version picked on it. */
interface Link {
  /** The cluster's broker table it was resolved from; a Metadata refresh replaces that table. */
  brokers: Cluster['brokers'];
  conn: Connection;
  version: number;
}

/** Partitions with a leader, per topic metadata object (a refresh makes new objects). */
const availableCache = new WeakMap<TopicInfo, readonly number[]>();

/** The partition's leader in a topic's metadata; -1 when unknown (no leader, or no such topic or partition). */
function leaderOf(info: TopicInfo | undefined, partition: number): number {
  if (info === undefined) return -1;
  // Partitions are sorted by index and, from any broker, numbered 0..n-1: look there first.
  const p = info.partitions[partition];
  if (p !== undefined && p.partition === partition) return p.leader;
  return info.partitions.find((x) => x.partition === partition)?.leader ?? -1;
}

function availableOf(info: TopicInfo): readonly number[] {
  let a = availableCache.get(info);
  if (!a) {
    a = info.partitions.filter((p) => p.leader >= 0).map((p) => p.partition);
    availableCache.set(info, a);
  }
  return a;
}

/** A send() waiting for its topic's metadata: its records, taken at the call, and the call. */
interface WaitingSend {
  topic: string;
  pending: PendingRecord[];
  /** Explicit partitions by message index, when any message names one. */
  explicit: (number | undefined)[] | undefined;
  call: SendCall;
  /** The transaction it was sent in (transactional producers): an abort fails what has not left. */
  transaction: number;
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
  /** security.protocol, TLS and SASL (see ClientSecurity). */
  security?: ClusterOptions['security'];
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
  /** Batches of one partition in flight at once: maxInFlight when idempotent, else 1 (ordering). */
  private readonly maxInFlightPerPartition: number;
  private readonly ackTimeoutMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly partitioner: DefaultPartitioner;
  /** Every queue in creation order. */
  private readonly queues = new Map<string, PartitionQueue>();
  /**
   * Queues that may have something to send (records, retries, a re-sequencing due), the ones drain()
   * visits; a queue leaves when drain() finds it empty and comes back when records or a retry arrive.
   */
  private readonly active = new Set<PartitionQueue>();
  /** The same queues by topic, then partition: the per-record look-up, without building a key. */
  private readonly queuesByTopic = new Map<string, PartitionQueue[]>();
  private readonly links = new Map<number, Link>();
  /** Per topic, the sends waiting for its metadata, in call order (see send()). */
  private readonly waiting = new Map<string, WaitingSend[]>();
  private connected = false;
  /** The sender wants a Metadata refresh (see refreshMetadata()); one at a time, paced by backoff. */
  private metadataDue = false;
  private refreshing = false;
  private refreshedAt = 0;
  private readonly inFlightByNode = new Map<number, number>();
  private identity: ProducerIdentity = { producerId: -1n, producerEpoch: -1 };
  /** An epoch bump is due: nothing is sent until it is done (KIP-360). */
  private bumpPending = false;
  private bumping = false;
  private started: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /** The one delivery-timeout timer, armed while records may be outstanding. */
  private expiryTimer: NodeJS.Timeout | undefined;
  private drainQueued = false;
  private flushing = 0;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Transactional producers only (transactionalId): the transaction state machine. */
  private readonly txn: TransactionManager | undefined;
  /** Counts transactions begun: a send waiting for metadata knows whether its transaction is still open. */
  private transactionNumber = 0;
  /** Produce requests in flight, and who waits for none (an abort must not race its own batches). */
  private inFlightTotal = 0;
  private quietWaiters: (() => void)[] = [];

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
        security: options.security,
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
    if (options.transactionalId !== undefined) {
      // ProducerConfig: a transactional producer is idempotent, which needs acks=all.
      if (typeof options.transactionalId !== 'string' || options.transactionalId === '')
        throw new KafkaClientError('transactionalId must be a non-empty string', { retriable: false });
      if (options.idempotent === false)
        throw new KafkaClientError('a transactional producer is idempotent: idempotent must not be false', {
          retriable: false,
        });
      if (acks !== -1)
        throw new KafkaClientError('a transactional producer needs acks=all (-1)', { retriable: false });
      const transactionTimeoutMs = options.transactionTimeoutMs ?? 60_000;
      const maxBlockMs = options.maxBlockMs ?? 60_000;
      for (const [name, v] of [
        ['transactionTimeoutMs', transactionTimeoutMs],
        ['maxBlockMs', maxBlockMs],
      ] as const) {
        if (!Number.isInteger(v) || v < 1 || v > INT32_MAX)
          throw new KafkaClientError(`${name} must be a whole number of ms ≥ 1, not ${v}`, {
            retriable: false,
          });
      }
      this.txn = new TransactionManager({
        cluster: this.cluster,
        transactionalId: options.transactionalId,
        transactionTimeoutMs,
        maxBlockMs,
        clientId: options.clientId ?? 'kafkalab-producer',
        onChange: () => this.schedule(),
      });
    }
    this.idempotent = options.idempotent ?? acks === -1;
    this.compression = options.compression ?? 'none';
    this.lingerMs = options.lingerMs ?? 0;
    this.batchSize = options.batchSize ?? 16_384;
    this.maxInFlight = options.maxInFlight ?? 5;
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1)
      throw new KafkaClientError('maxInFlight must be a whole number ≥ 1', { retriable: false });
    if (this.idempotent && this.maxInFlight > 5) {
      throw new KafkaClientError('an idempotent producer allows at most 5 requests in flight per broker', {
        retriable: false,
      });
    }
    this.maxInFlightPerPartition = this.idempotent ? this.maxInFlight : 1;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 120_000;
    // ProducerConfig refuses delivery.timeout.ms < linger.ms + request.timeout.ms (ConfigException).
    // A shared cluster's request timeout is its own business: then only linger.ms is checked.
    const requestTimeoutMs = options.requestTimeoutMs ?? (this.ownsCluster ? DEFAULT_REQUEST_TIMEOUT_MS : 0);
    if (!(this.deliveryTimeoutMs >= this.lingerMs + requestTimeoutMs)) {
      throw new KafkaClientError(
        `deliveryTimeoutMs (${this.deliveryTimeoutMs}) must be at least lingerMs + requestTimeoutMs ` +
          `(${this.lingerMs} + ${requestTimeoutMs}), as Kafka requires of delivery.timeout.ms`,
        { retriable: false },
      );
    }
    // retries defaults to Kafka's Integer.MAX_VALUE (KIP-91): delivery.timeout.ms is what bounds a
    // record, so that a broker restart or a leader move never surfaces while the record has time.
    this.retry = resolveRetry({ ...options.retry, retries: options.retry?.retries ?? INT32_MAX });
    this.partitioner = new DefaultPartitioner(this.batchSize);
  }

  /** Connects, loads zstd if needed, and gets a producer id when idempotent. Called by send() too. */
  connect(): Promise<void> {
    // A failed start is forgotten, so that a later send tries again (the broker may be back).
    this.started ??= this.start().catch((err) => {
      this.started = undefined;
      throw err;
    });
    return this.started;
  }

  private async start(): Promise<void> {
    if (this.compression === 'zstd') await ensureCodecs();
    await this.cluster.connect();
    // A transactional producer gets its id from initTransactions(), with its transactional id.
    if (this.idempotent && !this.txn) await this.initProducerId();
    this.connected = true;
  }

  // ---- transactions (KIP-98), as Java's KafkaProducer ----

  private transactional(method: string): TransactionManager {
    if (!this.txn)
      throw new TransactionStateError(
        undefined,
        `${method}() needs a transactional producer (transactionalId)`,
      );
    if (this.closed) throw new KafkaClientError('the producer is closed', { retriable: false });
    return this.txn;
  }

  /**
   * Finds the transaction coordinator and gets a producer id and epoch for the transactional id. The
   * coordinator first aborts (or completes) whatever a previous producer with this id left open and
   * fences that producer: its next request answers PRODUCER_FENCED. Call once, before anything else.
   */
  async initTransactions(): Promise<void> {
    const txn = this.transactional('initTransactions');
    await this.connect();
    await txn.init();
    this.identity = { ...txn.identity };
    this.resetSequences();
  }

  /** Opens a transaction: the sends until commit or abort belong to it. Nothing is sent yet. */
  beginTransaction(): void {
    this.transactional('beginTransaction').begin();
    this.transactionNumber++;
  }

  /**
   * Makes `offsets` (the next offsets to consume, as a commit takes them) the group's committed
   * offsets when this transaction commits: consume-transform-produce, exactly once. `groupMetadata`
   * is the consumer's (Consumer.groupMetadata()), so that the group coordinator refuses the commit of
   * a member that a rebalance replaced.
   */
  async sendOffsetsToTransaction(
    offsets: readonly TopicPartitionOffset[],
    groupMetadata: ConsumerGroupMetadata | string,
  ): Promise<void> {
    const txn = this.transactional('sendOffsetsToTransaction');
    const group = typeof groupMetadata === 'string' ? { groupId: groupMetadata } : groupMetadata;
    await txn.sendOffsets(offsets, group);
  }

  /**
   * Sends everything of the transaction, then commits it (EndTxn): its records become visible to
   * read_committed consumers and its offsets the group's. If a send failed the transaction cannot
   * commit: this throws a TransactionError (abortable: abortTransaction(); fatal: close()).
   */
  async commitTransaction(): Promise<void> {
    const txn = this.transactional('commitTransaction');
    txn.beginCommit();
    await this.flush();
    await txn.end(true);
  }

  /**
   * Aborts the transaction: records not sent yet fail with TransactionAbortedError, the batches in
   * flight are answered first, then EndTxn(abort) — read_committed consumers never see the
   * transaction's records, and its offsets are dropped. Also what to call after an abortable error.
   */
  async abortTransaction(): Promise<void> {
    const txn = this.transactional('abortTransaction');
    txn.beginAbort();
    this.failUnsent(new TransactionAbortedError(txn.transactionalId, 'the transaction was aborted'));
    await this.quiet();
    const bumped = await txn.end(false);
    if (bumped) {
      this.identity = { ...txn.identity };
      this.resetSequences();
    }
  }

  /** The transaction state (transactional producers), as Java's TransactionManager names them. */
  get transactionState(): TransactionState | undefined {
    return this.txn?.state;
  }

  /** Resolves once no Produce request is in flight. */
  private quiet(): Promise<void> {
    if (this.inFlightTotal === 0) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  /** New identity: every partition's sequences start again at 0, waiting batches are sealed anew. */
  private resetSequences(): void {
    for (const q of this.queues.values()) {
      q.nextSequence = 0;
      q.resequenceFrom = undefined;
      q.confirmed = false;
      for (const b of q.retries) unseal(b);
    }
  }

  /**
   * Fails every record that has not left (queued, or waiting for a retry): the transaction failed or
   * is being aborted. A batch given up after it was sealed leaves a gap in its partition's sequences:
   * the abort then ends with an epoch bump (batchFailed asks for it).
   */
  private failUnsent(e: Error): void {
    for (const q of this.queues.values()) {
      for (const b of q.retries.splice(0)) {
        for (const r of b.records) r.call.fail(e);
        if (b.baseSequence >= 0) this.txn?.batchFailed(e);
      }
      for (const r of q.records) r.call.fail(e);
      q.records = [];
      q.bytes = 0;
    }
    for (const list of this.waiting.values()) for (const w of list) w.call.fail(e);
  }

  private async initProducerId(): Promise<void> {
    this.identity = await this.cluster.withRetries(async () => {
      // Not transactional: no id, and the broker ignores the timeout (Java sends Integer.MAX_VALUE).
      // v3+ carries the current id and epoch (KIP-360); for a null transactional id Kafka answers
      // with a new id whatever they are.
      const res = await this.cluster.requestAny(InitProducerId, {
        transactionalId: null,
        transactionTimeoutMs: INT32_MAX,
        producerId: this.identity.producerId,
        producerEpoch: this.identity.producerEpoch,
      });
      if (res.errorCode !== 0) throw new KafkaProtocolError(res.errorCode, { api: 'InitProducerId' });
      return { producerId: res.producerId, producerEpoch: res.producerEpoch };
    });
  }

  /** The producer id and epoch (-1 when not idempotent). */
  get producerIdentity(): Readonly<ProducerIdentity> {
    return this.identity;
  }

  /** Batches of a partition sent and not answered yet (for tests and the curious). */
  inFlightBatches(topic: string, partition: number): number {
    return this.queuesByTopic.get(topic)?.[partition]?.inFlight.length ?? 0;
  }

  /**
   * Queues the messages and resolves once every one of them is acknowledged (or rejects on the first
   * failure). Records of one partition are stored in the order of send() calls, however long a call
   * waits for its topic's metadata: a send that finds the topic's metadata missing or stale (the topic
   * is being created on first use, a refresh is due, connect() has not finished) joins that topic's
   * queue of sends waiting for metadata, and so does every later send to the topic until the queue is
   * partitioned and enqueued, whole and in call order. Java's KafkaProducer gets the same order by
   * blocking the caller in waitOnMetadata; send() here cannot block, so it queues.
   */
  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (this.closed) throw new KafkaClientError('the producer is closed', { retriable: false });
    this.txn?.assertCanSend();
    const topic = record.topic;
    const messages = record.messages;
    const n = messages.length;
    const now = Date.now();
    const call = new SendCall(n, now);
    const settledCall = new Promise<RecordMetadata[]>((resolve, reject) => call.bind(resolve, reject));
    // Counted from the call on, until it settles either way: flush() waits for zero.
    this.unsettled += n;
    call.onSettle = () => this.settled(n);
    // The records are taken now (as Java serialises them in send()): a caller that reuses its message
    // objects after send() returns does not change what a waiting send will store.
    const nowTs = BigInt(now);
    const pending = new Array<PendingRecord>(n);
    let explicit: (number | undefined)[] | undefined;
    for (let index = 0; index < n; index++) {
      const m = messages[index];
      pending[index] = toPending(m, call, index, now, nowTs);
      if (m.partition !== undefined) {
        explicit ??= new Array(n);
        explicit[index] = m.partition;
      }
    }
    const waiting = { topic, pending, explicit, call, transaction: this.transactionNumber };
    // Known metadata is used even when a refresh is due (the sender refreshes in the background), as
    // Java's waitOnMetadata does: only a topic not known yet waits.
    const info = this.connected && !this.waiting.has(topic) ? this.cluster.topics().get(topic) : undefined;
    if (info) this.enqueue(waiting, info);
    else this.waitForMetadata(waiting);
    return settledCall;
  }

  /** Joins the topic's queue of sends waiting for metadata; the first one starts the look-up. */
  private waitForMetadata(w: WaitingSend): void {
    const list = this.waiting.get(w.topic);
    if (list) {
      list.push(w);
      return;
    }
    this.waiting.set(w.topic, [w]);
    void this.resolveWaiting(w.topic);
  }

  private async resolveWaiting(topic: string): Promise<void> {
    let info: TopicInfo | undefined;
    let failure: Error | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.connected) await this.connect();
        info = await this.cluster.topic(topic);
        break;
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        // No broker reachable (down, restarting) or no leader yet: the cluster gave up after its own
        // retries, but these records may wait up to delivery.timeout.ms, counted from the oldest of
        // them (Java blocks in waitOnMetadata up to max.block.ms). UNKNOWN_TOPIC_OR_PARTITION after
        // the cluster's retries is the answer (auto-creation off): it fails them now, as does any
        // error that is not retriable.
        const oldest = this.waiting.get(topic)?.[0]?.call.at ?? 0;
        const pause = backoffMs(attempt, this.retry);
        const transient =
          err instanceof KafkaClientError &&
          err.retriable &&
          !(err instanceof UnreachableAdvertisedAddressError) &&
          !(err instanceof KafkaProtocolError && err.code === UNKNOWN_TOPIC_OR_PARTITION);
        if (!transient || this.closed || Date.now() + pause >= oldest + this.deliveryTimeoutMs) break;
        await delay(pause);
      }
    }
    // Everything that joined meanwhile goes now, in call order, in this one turn: a send made after
    // this point finds no queue and the metadata fresh, so it cannot overtake any of these.
    const list = this.waiting.get(topic) ?? [];
    this.waiting.delete(topic);
    for (const w of list) {
      if (info) this.enqueue(w, info);
      else w.call.fail(failure as Error);
    }
  }

  /** Partitions a send's records (in order: the sticky partitioner sees them as sent) and queues them. */
  private enqueue(w: WaitingSend, info: TopicInfo): void {
    const { topic, pending, explicit, call } = w;
    if (call.settled) return;
    const txnState = this.txn?.state;
    if (
      this.txn &&
      (w.transaction !== this.transactionNumber ||
        (txnState !== 'inTransaction' && txnState !== 'committing'))
    ) {
      // Its transaction ended (or failed) while it waited for metadata: it must not join the next one.
      // (A commit waits for it: commitTransaction() flushes before EndTxn.)
      call.fail(
        this.txn.error ??
          new TransactionAbortedError(this.txn.transactionalId, 'its transaction ended first'),
      );
      return;
    }
    const count = info.partitions.length;
    const now = call.at;
    try {
      let queue: PartitionQueue | undefined;
      for (let index = 0; index < pending.length; index++) {
        const r = pending[index];
        let partition = explicit?.[index];
        if (partition === undefined) {
          let hashed: Uint8Array | null = null;
          if (r.key !== null) {
            // murmur2 needs the key's bytes (the encoder then reuses them); with one partition
            // there is nothing to choose, and partitionForKey(any key, 1) is 0.
            hashed = count > 1 ? toBytes(r.key) : ONE_PARTITION_KEY;
            if (count > 1) r.key = hashed;
          }
          partition = this.partitioner.choose(
            topic,
            hashed,
            count,
            hashed === null ? availableOf(info) : NO_PARTITIONS,
            r.size,
          );
        } else if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
          throw new KafkaProtocolError(
            3,
            { api: 'Produce', topic, partition },
            `${topic} has ${count} partitions`,
          );
        }
        if (queue === undefined || queue.partition !== partition) {
          queue = this.queueFor(topic, partition);
          this.active.add(queue);
        }
        queue.add(r, now);
      }
    } catch (err) {
      call.fail(err as Error);
    }
    // One timer for the producer: a later send's deadline is later, so it needs no timer of its own.
    if (this.expiryTimer === undefined && !call.settled) this.armExpiry(now + this.deliveryTimeoutMs);
    this.schedule();
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
    const maxVersion = this.txn ? MAX_PRODUCE_VERSION_TRANSACTIONAL : MAX_PRODUCE_VERSION;
    const version = conn.versionFor(Produce, { minVersion, maxVersion });
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

  /**
   * Sends what is ready. Only queues with something to send are visited (a producer may know
   * thousands of partitions and have records for a few), each once: a queue gives up to as many
   * batches as its partition and its leader still have room in flight for, the k-th of them into
   * the leader's k-th request of this drain, so a partition's batches leave in order and each
   * request carries at most one batch per partition (as the broker requires).
   */
  private drain(): void {
    if (this.bumpPending) {
      this.maybeBump();
      return;
    }
    const txn = this.txn;
    if (txn?.sendingBlocked) {
      // Java's sender aborts the batches not yet sent once the transaction cannot commit.
      this.failUnsent(
        txn.error ?? new TransactionAbortedError(txn.transactionalId, 'the transaction was aborted'),
      );
      return;
    }
    const now = Date.now();
    const o = {
      lingerMs: this.lingerMs,
      batchSize: this.batchSize,
      flushing: this.flushing > 0 || this.closed,
    };
    const perPartition = this.maxInFlightPerPartition;
    const lingerMs = o.flushing ? 0 : this.lingerMs;
    const topics = this.cluster.topics();
    let nextWait = Number.POSITIVE_INFINITY;
    let needMetadata = false;
    let byNode: Map<number, SealedBatch[][]> | undefined;
    /** Requests each leader may still get in this drain. */
    let room: Map<number, number> | undefined;
    for (const q of this.active) {
      if (q.resequenceFrom !== undefined && q.inFlight.length === 0) this.resequence(q);
      if (q.empty && q.resequenceFrom === undefined) {
        this.active.delete(q);
        continue;
      }
      // A batch sent back for a stale-metadata error waits for the refresh it asked for.
      if (this.refreshing && q.retries.length > 0) continue;
      if (!q.ready(now, o, perPartition)) {
        nextWait = Math.min(nextWait, q.wait(now, lingerMs, perPartition));
        continue;
      }
      // AddPartitionsToTxn first: the coordinator must know the partition before its first batch.
      if (txn !== undefined && !txn.isAdded(q.topic, q.partition)) {
        txn.needPartition(q.topic, q.partition);
        continue;
      }
      const leader = leaderOf(topics.get(q.topic), q.partition);
      if (leader < 0) {
        needMetadata = true;
        continue;
      }
      room ??= new Map();
      let free = room.get(leader);
      if (free === undefined) {
        const busy = this.inFlightByNode.get(leader) ?? 0;
        // While the leader's connection is being resolved, one request at a time: two requests
        // both waiting for it could leave in either order.
        free = this.cachedLink(leader) === undefined ? (busy > 0 ? 0 : 1) : this.maxInFlight - busy;
        room.set(leader, free);
      }
      if (free <= 0) continue;
      byNode ??= new Map();
      let requests = byNode.get(leader);
      if (requests === undefined) {
        requests = [];
        byNode.set(leader, requests);
      }
      for (let k = 0; k < free && q.ready(now, o, perPartition); k++) {
        const batch = q.take(this.batchSize);
        q.inFlight.push(batch);
        if (k === requests.length) requests.push([]);
        requests[k].push(batch);
      }
    }
    txn?.flushAdds();
    if (byNode !== undefined) {
      for (const [node, requests] of byNode) {
        for (const batches of requests) {
          this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 0) + 1);
          this.inFlightTotal++;
          void this.sendTo(node, batches);
        }
      }
    }
    if (needMetadata || this.cluster.stale) this.metadataDue = true;
    if (this.metadataDue && !this.refreshing && this.active.size > 0) {
      // Paced by retry.backoff.ms, as Java's Metadata is: a leader still unknown after a refresh
      // asks again a backoff later, not in a loop.
      const wait = this.refreshedAt + this.retry.initialBackoffMs - now;
      if (wait <= 0) void this.refreshMetadata();
      else nextWait = Math.min(nextWait, wait);
    }
    if (Number.isFinite(nextWait)) this.armTimer(nextWait);
  }

  /**
   * A Metadata refresh in the background, asked for by the sender: a leader unknown, a batch back
   * with a stale-metadata error or a closed connection (Java's Sender requests a metadata update in
   * the same cases). A refresh of a topic that auto-creation covers creates it again when a broker
   * restarted empty.
   */
  private async refreshMetadata(): Promise<void> {
    this.metadataDue = false;
    this.refreshing = true;
    try {
      await this.cluster.refreshMetadata();
    } catch {
      // The next drain asks again; batches fail by delivery.timeout.ms or their retry budget.
      this.metadataDue = true;
    } finally {
      this.refreshing = false;
      this.refreshedAt = Date.now();
    }
    this.schedule();
  }

  /** Encodes a batch on its first attempt; the sequence is taken then and kept for its retries. */
  private seal(b: SealedBatch): Buffer {
    if (b.bytes) return b.bytes;
    let baseSequence = -1;
    if (this.idempotent) {
      const q = this.queueFor(b.topic, b.partition);
      baseSequence = q.nextSequence;
      // Sequences are int32 and wrap to 0 after Integer.MAX_VALUE, as the broker expects.
      q.nextSequence = (baseSequence + b.records.length) % (INT32_MAX + 1);
    }
    b.baseSequence = baseSequence;
    b.bytes = encodeRecordBatch({
      records: b.records,
      compression: this.compression,
      isTransactional: this.txn !== undefined,
      producerId: this.identity.producerId,
      producerEpoch: this.identity.producerEpoch,
      baseSequence,
    });
    return b.bytes;
  }

  private async sendTo(node: number, batches: SealedBatch[]): Promise<void> {
    let res: ProduceResponse | undefined;
    let failure: unknown;
    let address = '';
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
      address = conn.address;
      const body = {
        transactionalId: this.txn?.transactionalId ?? null,
        acks: this.acks,
        timeoutMs: this.ackTimeoutMs,
        topicData,
      };
      if (this.acks === 0) await conn.sendOneWay(Produce, body, { version });
      else res = await conn.request(Produce, body, { version });
    } catch (err) {
      failure = err;
    } finally {
      this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 1) - 1);
      this.inFlightTotal--;
    }
    // By topic and partition: a request may carry a batch for each of thousands of partitions.
    const answers = res === undefined ? undefined : answersOf(res);
    for (const b of batches) {
      const q = this.queueFor(b.topic, b.partition);
      q.landed(b);
      // It may have a retry now, or records that waited for room in flight.
      this.active.add(q);
      if (failure !== undefined) {
        // No answer (a closed connection, a timeout): the broker may have appended it.
        if (!(failure instanceof KafkaProtocolError)) b.unresolved = true;
        this.onBatchError(q, b, failure);
        continue;
      }
      if (res === undefined) {
        this.complete(b, -1n, -1n); // acks=0: nobody tells us where it went
        continue;
      }
      const p = answers?.get(b.topic)?.get(b.partition);
      if (!p) {
        this.onBatchError(
          q,
          b,
          new KafkaClientError(`Produce response from ${address} lacks ${b.topic}-${b.partition}`, {
            retriable: true,
          }),
        );
      } else if (p.errorCode === 0) {
        q.confirmed = true;
        this.complete(b, p.baseOffset, p.logAppendTimeMs ?? -1n);
      } else if (p.errorCode === DUPLICATE_SEQUENCE_NUMBER) {
        // Sender.java treats it as success; the original offset is unknown.
        q.confirmed = true;
        this.complete(b, -1n, -1n);
      } else {
        this.onBatchError(
          q,
          b,
          new KafkaProtocolError(
            p.errorCode,
            { api: 'Produce', topic: b.topic, partition: b.partition, broker: address },
            p.errorMessage ?? null,
          ),
        );
      }
    }
    if (this.inFlightTotal === 0) for (const w of this.quietWaiters.splice(0)) w();
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

  /** A batch came back with an error (or its request failed): retry, split, repair, or fail it. */
  private onBatchError(q: PartitionQueue, b: SealedBatch, err: unknown): void {
    this.cluster.noteError(err);
    q.confirmed = false;
    if ((err instanceof KafkaProtocolError && err.staleMetadata) || err instanceof ConnectionError)
      this.metadataDue = true;
    const code = err instanceof KafkaProtocolError ? err.code : -1;
    const e = err instanceof Error ? err : new Error(String(err));
    const rejected = err instanceof KafkaProtocolError;
    if (b.expired) {
      // Its records failed at the deadline; only the sequence chain is left to mend.
      if (!this.bumpPending) this.breakChain(q, b, rejected);
      return;
    }
    if (code === MESSAGE_TOO_LARGE && b.records.length > 1) {
      // The broker took none of it: the halves go in its place, under fresh sequences.
      if (this.idempotent && b.baseSequence >= 0) this.breakChain(q, b, true);
      for (const part of splitBatch(b)) q.requeue(part);
      return;
    }
    const sealed = this.idempotent && b.baseSequence >= 0;
    const sequenceTrouble = code === OUT_OF_ORDER_SEQUENCE_NUMBER || code === UNKNOWN_PRODUCER_ID;
    if (
      sealed &&
      this.bumpPending &&
      (sequenceTrouble || (err instanceof KafkaClientError && err.retriable))
    ) {
      // Sent under the identity being replaced: it goes again, re-encoded, after the bump.
      b.lastError = e as KafkaClientError;
      q.requeue(b);
      return;
    }
    if (sealed && code === OUT_OF_ORDER_SEQUENCE_NUMBER && this.explained(q, b)) {
      // An earlier batch of the partition failed, so the broker could not take this one yet: it goes
      // again after that one, and it is not this batch's failed attempt.
      b.lastError = e as KafkaClientError;
      q.requeue(b);
      return;
    }
    // A transactional producer bumps its epoch only when the transaction aborts (EndTxn first).
    if (sealed && sequenceTrouble && !this.txn && b.attempts < this.retry.retries) {
      b.attempts++;
      b.lastError = e as KafkaClientError;
      q.requeue(b);
      this.bumpPending = true;
      return;
    }
    const retriable = err instanceof KafkaClientError && err.retriable;
    const live = b.records.some((r) => !r.call.settled);
    if (retriable && live && b.attempts < this.retry.retries) {
      b.attempts++;
      b.notBefore = Date.now() + backoffMs(b.attempts - 1, this.retry);
      b.lastError = err as KafkaClientError;
      q.requeue(b);
      return;
    }
    this.failBatch(q, b, e, rejected);
  }

  /** Whether an OUT_OF_ORDER_SEQUENCE_NUMBER is the echo of an earlier batch's failure. */
  private explained(q: PartitionQueue, b: SealedBatch): boolean {
    if (q.resequenceFrom !== undefined && q.resequenceFrom <= b.baseSequence) return true;
    for (const x of q.inFlight) if (x.order < b.order) return true;
    for (const x of q.retries) if (x.order < b.order) return true;
    return false;
  }

  private failBatch(q: PartitionQueue, b: SealedBatch, e: Error, rejected: boolean): void {
    for (const r of b.records) r.call.fail(e);
    this.txn?.batchFailed(e);
    if (this.idempotent && !this.bumpPending) this.breakChain(q, b, rejected);
  }

  /**
   * A sealed batch is given up: the broker's sequence for the partition no longer follows ours. If
   * the broker answered with an error it holds none of the batch, and the partition re-sequences from
   * it; without an answer nobody knows, and only a new identity is safe.
   */
  private breakChain(q: PartitionQueue, b: SealedBatch, rejected: boolean): void {
    if (b.baseSequence < 0) return;
    // Refused now, but an earlier attempt went unanswered and may be in the log under these very
    // sequences: re-sequencing would make a later batch look like its duplicate to the broker.
    if (rejected && !b.unresolved)
      q.resequenceFrom = Math.min(q.resequenceFrom ?? b.baseSequence, b.baseSequence);
    // Transactional: the abort that must follow bumps the epoch (batchFailed asked for it).
    else if (this.txn) this.txn.batchFailed(new Error('a batch was given up without an answer'));
    else this.bumpPending = true;
  }

  /** Re-seals the partition's waiting batches with fresh sequences, from the first the broker lacks. */
  private resequence(q: PartitionQueue): void {
    let from = q.resequenceFrom ?? q.nextSequence;
    for (const b of q.retries) if (b.baseSequence >= 0 && b.baseSequence < from) from = b.baseSequence;
    q.resequenceFrom = undefined;
    q.nextSequence = from;
    for (const b of q.retries) unseal(b);
  }

  /** Starts the epoch bump once nothing is in flight any more (their answers decide what to resend). */
  private maybeBump(): void {
    if (this.bumping) return;
    for (const n of this.inFlightByNode.values()) if (n > 0) return;
    this.bumping = true;
    void this.bump();
  }

  private async bump(): Promise<void> {
    try {
      await this.initProducerId();
      for (const q of this.queues.values()) {
        q.nextSequence = 0;
        q.resequenceFrom = undefined;
        q.confirmed = false;
        for (const b of q.retries) unseal(b);
      }
    } catch (err) {
      // No identity to send under: everything waiting fails with the reason.
      const e = err instanceof Error ? err : new Error(String(err));
      for (const q of this.queues.values()) {
        for (const b of q.retries.splice(0)) for (const r of b.records) r.call.fail(e);
        for (const r of q.records) r.call.fail(e);
        q.records = [];
        q.bytes = 0;
      }
    } finally {
      this.bumping = false;
      this.bumpPending = false;
      this.schedule();
    }
  }

  private armExpiry(at: number): void {
    this.expiryTimer = setTimeout(this.onExpiry, Math.max(0, at - Date.now()));
    // In-flight requests and pending timers keep the process alive; this one must not on its own.
    this.expiryTimer.unref();
  }

  private readonly onExpiry = (): void => {
    this.expiryTimer = undefined;
    const next = this.expire(Date.now());
    if (this.unsettled > 0 && Number.isFinite(next) && !this.closed) this.armExpiry(next);
    this.schedule();
  };

  /**
   * Fails every record that outlived delivery.timeout.ms (Java expires whole batches by their
   * creation time; a queued record's own send time is used here) and returns the next deadline.
   */
  private expire(now: number): number {
    const timeoutMs = this.deliveryTimeoutMs;
    const cutoff = now - timeoutMs;
    let next = Number.POSITIVE_INFINITY;
    const error = (q: PartitionQueue, records: number, since: number) =>
      new DeliveryTimeoutError({
        topic: q.topic,
        partition: q.partition,
        records,
        elapsedMs: now - since,
        timeoutMs,
      });
    for (const q of this.queues.values()) {
      for (const b of q.inFlight) {
        if (b.expired) continue;
        const since = b.records[0].call.at;
        if (since > cutoff) {
          next = Math.min(next, since + timeoutMs);
          continue;
        }
        // Still in flight: its answer, whenever it comes, only mends the sequence chain.
        b.expired = true;
        const e = error(q, b.records.length, since);
        for (const r of b.records) r.call.fail(e);
        this.txn?.batchFailed(e);
      }
      for (let i = 0; i < q.retries.length; ) {
        const b = q.retries[i];
        const since = b.records[0].call.at;
        if (since > cutoff) {
          next = Math.min(next, since + timeoutMs);
          i++;
          continue;
        }
        q.retries.splice(i, 1);
        this.failBatch(q, b, error(q, b.records.length, since), b.lastError instanceof KafkaProtocolError);
      }
      const gone = q.expireQueued(cutoff);
      if (gone.length > 0) {
        const e = error(q, gone.length, gone[0].call.at);
        for (const r of gone) r.call.fail(e);
        this.txn?.batchFailed(e);
      }
      if (q.records.length > 0) next = Math.min(next, q.records[0].call.at + timeoutMs);
    }
    return next;
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
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    await this.txn?.close();
    if (this.ownsCluster) await this.cluster.close();
  }
}

type ProduceResponse = MessageValue<typeof Produce.response>;
type PartitionAnswer = ProduceResponse['responses'][number]['partitionResponses'][number];

function answersOf(res: ProduceResponse): Map<string, Map<number, PartitionAnswer>> {
  const out = new Map<string, Map<number, PartitionAnswer>>();
  for (const t of res.responses) {
    let byPartition = out.get(t.name);
    if (!byPartition) {
      byPartition = new Map();
      out.set(t.name, byPartition);
    }
    for (const p of t.partitionResponses) byPartition.set(p.index, p);
  }
  return out;
}

/** Drops a batch's encoding, so that its next send seals it with a new sequence (and identity). */
function unseal(b: SealedBatch): void {
  b.bytes = undefined;
  b.baseSequence = -1;
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
