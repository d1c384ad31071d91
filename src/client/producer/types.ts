/** The producer's public shapes: options, messages in, record metadata out. */
import type { CompressionType } from '../../protocol/records/index.js';
import type { RetryOptions } from '../cluster.js';

export type Bytes = string | Uint8Array;

export interface ProducerMessage {
  key?: Bytes | null;
  value: Bytes | null;
  /** Record headers: an object, or a list when a key repeats. */
  headers?: Record<string, Bytes | null> | { key: string; value: Bytes | null }[];
  /** Explicit partition; otherwise the default partitioner decides. */
  partition?: number;
  /** CreateTime in ms since the epoch; default now. */
  timestamp?: number | bigint;
}

export interface ProducerRecord {
  topic: string;
  messages: ProducerMessage[];
}

/** Where one message landed. offset is -1 with acks=0 (nobody tells us). */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: bigint;
}

export type Acks = 0 | 1 | -1 | 'all';

export interface ProducerOptions {
  /** acks: 0 (no answer), 1 (leader), -1/'all' (all in-sync replicas; default, as Kafka 3.0+). */
  acks?: Acks;
  /** enable.idempotence: default true when acks is all, and then requires acks all (as Java). */
  idempotent?: boolean;
  compression?: CompressionType;
  /**
   * linger.ms: how long a batch waits for more records. Default 0: records of one event-loop turn still
   * share a batch (the sender drains on setImmediate), and an awaited send is not held back 5 ms as
   * Kafka 4.0's default linger.ms=5 would do to a one-at-a-time caller.
   */
  lingerMs?: number;
  /**
   * batch.size in bytes (default 16384). A batch of several records that the broker refuses as
   * MESSAGE_TOO_LARGE (above the topic's max.message.bytes) is split in halves and sent again, in
   * place; a single record above the limit fails with that error.
   */
  batchSize?: number;
  /**
   * max.in.flight.requests.per.connection (default 5; at most 5 with idempotence): Produce requests
   * per broker awaiting an answer. With idempotence up to this many batches of one partition may be in
   * flight, and a failure among them is retried in sequence order (the broker keeps the last 5
   * batches per producer and partition to spot retried duplicates). Without idempotence a partition
   * has one batch in flight at a time, so a retry never overtakes a later batch (Java would let it).
   */
  maxInFlight?: number;
  /** The broker-side timeout sent in Produce (default 30 s). */
  ackTimeoutMs?: number;
  /**
   * delivery.timeout.ms (default 120000, KIP-91): the most a record may take from send() to success
   * or failure, retries and backoff included; then send() rejects with a DeliveryTimeoutError. As in
   * Kafka it must be at least lingerMs + requestTimeoutMs (the connection's request timeout, 30 s
   * unless given; with a shared cluster only lingerMs is checked).
   */
  deliveryTimeoutMs?: number;
  /**
   * Retries of one batch after a retriable error, with exponential backoff. `retries` defaults to
   * Kafka's 2147483647: delivery.timeout.ms bounds the whole (see RetryOptions for the backoff
   * defaults). A batch that only waits behind an earlier failed one (OUT_OF_ORDER_SEQUENCE_NUMBER)
   * does not use up its count.
   */
  retry?: RetryOptions;
  /**
   * transactional.id (KIP-98): makes the producer transactional — initTransactions() once, then
   * beginTransaction(), send(), sendOffsetsToTransaction(), commitTransaction() / abortTransaction().
   * Implies idempotence and acks=all (Java refuses the producer otherwise). A second producer with
   * the same id fences this one.
   */
  transactionalId?: string;
  /** transaction.timeout.ms (default 60000): the coordinator aborts a transaction left open longer. */
  transactionTimeoutMs?: number;
  /**
   * max.block.ms (default 60000): how long initTransactions(), sendOffsetsToTransaction(),
   * commitTransaction() and abortTransaction() keep retrying a busy or moving coordinator.
   */
  maxBlockMs?: number;
}
