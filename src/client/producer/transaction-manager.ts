/**
 * A transactional producer's state (KIP-98), with the states and transitions of Java's
 * TransactionManager:
 *
 *   uninitialized → initializing → ready → inTransaction → committing → ready
 *                                                        → aborting  → ready (or initializing: epoch bump)
 *   inTransaction / committing → abortableError → aborting
 *   anything → fatalError (only close() is left)
 *
 * The producer asks it before sending to a partition (isAdded / needPartition: AddPartitionsToTxn goes
 * to the coordinator before the first batch of a partition in each transaction, as the protocol
 * requires before transactions V2), tells it about every failed batch (batchFailed: a failed send
 * makes the transaction abortable, or the producer fatal when fenced), and calls init / endTxn /
 * sendOffsets for the public API. Requests to the coordinators go one at a time, in call order, as
 * Java's single in-flight transactional request does.
 *
 * Versions: this is the transactions V1 flow (explicit AddPartitionsToTxn, one epoch for all
 * transactions of a session), so the requests stay below the versions that mean V2 to a broker that
 * finalized transaction.version 2 (KIP-890): EndTxn ≤ 4, TxnOffsetCommit ≤ 4, AddPartitionsToTxn ≤ 3
 * (4+ is the brokers' batched form), Produce ≤ 11 (the producer's side).
 */

import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import { AddPartitionsToTxn } from '../../protocol/messages/24-add-partitions-to-txn.js';
import { AddOffsetsToTxn } from '../../protocol/messages/25-add-offsets-to-txn.js';
import { EndTxn } from '../../protocol/messages/26-end-txn.js';
import { TxnOffsetCommit } from '../../protocol/messages/28-txn-offset-commit.js';
import type { ApiSpec, MessageInput, MessageValue } from '../../protocol/schema/declare.js';
import type { Cluster } from '../cluster.js';
import { type TopicPartition, type TopicPartitionOffset, tpKey } from '../consumer/types.js';
import { KafkaClientError, KafkaProtocolError } from '../errors.js';
import { type CallOptions, TransactionCoordinator } from './transaction-coordinator.js';
import {
  ProducerFencedError,
  TransactionError,
  TransactionStateError,
  TransactionTimeoutError,
} from './transaction-errors.js';

export type TransactionState =
  | 'uninitialized'
  | 'initializing'
  | 'ready'
  | 'inTransaction'
  | 'committing'
  | 'aborting'
  | 'abortableError'
  | 'fatalError';

/** What sendOffsetsToTransaction needs of the consumer (Consumer.groupMetadata() gives it). */
export interface ConsumerGroupMetadata {
  groupId: string | undefined;
  memberId?: string;
  generationId?: number;
  groupInstanceId?: string | null;
}

export interface Identity {
  producerId: bigint;
  producerEpoch: number;
}

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const REQUEST_TIMED_OUT = 7;
const ILLEGAL_GENERATION = 22;
const UNKNOWN_MEMBER_ID = 25;
const TOPIC_AUTHORIZATION_FAILED = 29;
const GROUP_AUTHORIZATION_FAILED = 30;
const CLUSTER_AUTHORIZATION_FAILED = 31;
const UNSUPPORTED_VERSION = 35;
const INVALID_PRODUCER_EPOCH = 47;
const INVALID_TXN_STATE = 48;
const INVALID_PRODUCER_ID_MAPPING = 49;
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;
const OPERATION_NOT_ATTEMPTED = 55;
const UNKNOWN_PRODUCER_ID = 59;
const FENCED_INSTANCE_ID = 82;
const PRODUCER_FENCED = 90;
const TRANSACTION_ABORTABLE = 120;

/** Answers to a transactional request after which the producer can do nothing more. */
const FATAL_CODES = new Set([
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  CLUSTER_AUTHORIZATION_FAILED,
  UNSUPPORTED_VERSION,
  INVALID_TXN_STATE,
]);

const RETRY_AS_IS_ADD_PARTITIONS = new Set([UNKNOWN_TOPIC_OR_PARTITION]);
const RETRY_AS_IS_TXN_OFFSET_COMMIT = new Set([UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT]);

export class TransactionManager {
  readonly transactionalId: string;
  private readonly transactionTimeoutMs: number;
  private readonly coordinators: TransactionCoordinator;
  private stateValue: TransactionState = 'uninitialized';
  private lastError: TransactionError | undefined;
  identity: Identity = { producerId: -1n, producerEpoch: -1 };
  /** Partitions the coordinator has taken into the current transaction. */
  private readonly added = new Set<string>();
  /** Partitions waiting for an AddPartitionsToTxn, and those in the one in flight. */
  private readonly toAdd = new Map<string, TopicPartition>();
  private readonly adding = new Set<string>();
  /** Whether the coordinator knows of this transaction (a partition or the offsets were added). */
  private started = false;
  /** A failed batch broke a partition's sequence chain: the abort ends with a new epoch (KIP-360). */
  private epochBumpRequired = false;
  /** The coordinator requests, one after another. */
  private chain: Promise<void> = Promise.resolve();
  /** INVALID_PRODUCER_ID_MAPPING from the coordinator: the abort skips EndTxn. */
  private coordinatorLostId = false;
  private pendingInit: Promise<void> | undefined;

  constructor(
    private readonly o: {
      cluster: Cluster;
      transactionalId: string;
      transactionTimeoutMs: number;
      maxBlockMs: number;
      clientId: string;
      /** Something the sender waits for changed (partitions added, an error): drain again. */
      onChange: () => void;
    },
  ) {
    this.transactionalId = o.transactionalId;
    this.transactionTimeoutMs = o.transactionTimeoutMs;
    this.coordinators = new TransactionCoordinator(o);
  }

  get state(): TransactionState {
    return this.stateValue;
  }

  /** The error that put the transaction (abortable) or the producer (fatal) in an error state. */
  get error(): TransactionError | undefined {
    return this.lastError;
  }

  /** Whether the sender must not send new batches: the transaction is failing or being aborted. */
  get sendingBlocked(): boolean {
    const s = this.stateValue;
    return s === 'abortableError' || s === 'fatalError' || s === 'aborting';
  }

  private misuse(message: string): TransactionStateError {
    return new TransactionStateError(this.transactionalId, message);
  }

  private failIfError(): void {
    if (this.lastError && (this.stateValue === 'fatalError' || this.stateValue === 'abortableError'))
      throw this.lastError;
  }

  private fatal(e: TransactionError): TransactionError {
    this.stateValue = 'fatalError';
    this.lastError = e;
    return e;
  }

  private abortable(e: TransactionError): TransactionError {
    // Already aborting: the abort goes on, and this error changes nothing (as Java skips it).
    if (this.stateValue === 'aborting' || this.stateValue === 'fatalError') return e;
    this.stateValue = 'abortableError';
    this.lastError ??= e;
    this.o.onChange();
    return e;
  }

  /** An error code from a transactional request that is not handled case by case. */
  private classify(code: number, api: string, what: 'fatal' | 'abortable'): TransactionError {
    const cause = new KafkaProtocolError(code, { api, resource: this.transactionalId });
    if (code === PRODUCER_FENCED || code === INVALID_PRODUCER_EPOCH)
      // Java reads INVALID_PRODUCER_EPOCH from a transaction coordinator as PRODUCER_FENCED.
      return this.fatal(new ProducerFencedError(this.transactionalId, cause));
    if (code === UNKNOWN_PRODUCER_ID || code === INVALID_PRODUCER_ID_MAPPING) {
      // The coordinator lost this producer's id: abort, then InitProducerId gets a valid one.
      this.epochBumpRequired = true;
      if (code === INVALID_PRODUCER_ID_MAPPING) this.coordinatorLostId = true;
      return this.abortable(this.txnError('abortable', `${api} answered ${cause.type}`, cause));
    }
    if (FATAL_CODES.has(code) || what === 'fatal')
      return this.fatal(this.txnError('fatal', `${api} answered ${cause.type}`, cause));
    return this.abortable(this.txnError('abortable', `${api} answered ${cause.type}`, cause));
  }

  private txnError(kind: 'fatal' | 'abortable', message: string, cause?: unknown): TransactionError {
    return new TransactionError({ kind, transactionalId: this.transactionalId, message, cause });
  }

  /** Runs `fn` after the coordinator requests queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** A request that timed out (maxBlockMs) or could not be sent at all. */
  private requestFailed(err: unknown, api: string, during: 'init' | 'transaction' | 'end'): unknown {
    if (err instanceof TransactionError) return err;
    // A timeout leaves the state as it is: the same call may be made again.
    if (err instanceof TransactionTimeoutError) return err;
    if (err instanceof KafkaProtocolError) return this.classify(err.code, api, 'fatal');
    if (during === 'transaction' && err instanceof KafkaClientError && err.retriable)
      return this.abortable(this.txnError('abortable', `${api} failed`, err));
    return err;
  }

  /** One coordinator call; what goes wrong short of an answer is sorted by requestFailed. */
  private async request<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']>,
    options: CallOptions<A>,
    during: 'init' | 'add' | 'transaction' | 'end',
  ): Promise<{ response: MessageValue<A['response']>; code: number }> {
    try {
      return await this.coordinators.call(api, body, options);
    } catch (err) {
      // A timeout of AddPartitionsToTxn has no caller to retry it: the transaction cannot complete.
      if (during === 'add' && err instanceof TransactionTimeoutError)
        throw this.abortable(this.txnError('abortable', 'AddPartitionsToTxn did not complete', err));
      throw this.requestFailed(err, api.name, during === 'add' ? 'transaction' : during);
    }
  }

  // ---- initTransactions ----

  /**
   * InitProducerId with the transactional id (after finding its coordinator): the coordinator aborts
   * whatever a previous producer with this id left open, bumps the epoch (fencing that producer) and
   * answers with the id and epoch to write under.
   */
  init(): Promise<void> {
    if (this.pendingInit) return this.pendingInit;
    if (this.stateValue === 'fatalError') return Promise.reject(this.lastError);
    if (this.stateValue !== 'uninitialized' && this.stateValue !== 'initializing')
      return Promise.reject(this.misuse(`initTransactions() was already called (state ${this.stateValue})`));
    this.stateValue = 'initializing';
    const run = this.serial(() => this.initProducerId(-1n, -1)).then(() => {
      this.stateValue = 'ready';
    });
    this.pendingInit = run;
    return run.finally(() => {
      this.pendingInit = undefined;
    });
  }

  private async initProducerId(producerId: bigint, producerEpoch: number): Promise<void> {
    let res: { response: { producerId: bigint; producerEpoch: number }; code: number };
    try {
      res = await this.coordinators.call(
        InitProducerId,
        {
          transactionalId: this.transactionalId,
          transactionTimeoutMs: this.transactionTimeoutMs,
          producerId,
          producerEpoch,
        },
        { operation: 'initTransactions', codeOf: (r) => r.errorCode },
      );
    } catch (err) {
      throw this.requestFailed(err, 'InitProducerId', 'init');
    }
    if (res.code !== 0) throw this.classify(res.code, 'InitProducerId', 'fatal');
    this.identity = { producerId: res.response.producerId, producerEpoch: res.response.producerEpoch };
    this.epochBumpRequired = false;
  }

  // ---- beginTransaction and sends ----

  begin(): void {
    this.failIfError();
    if (this.stateValue !== 'ready') {
      const why =
        this.stateValue === 'uninitialized' || this.stateValue === 'initializing'
          ? 'call initTransactions() first'
          : this.stateValue === 'inTransaction'
            ? 'a transaction is already open'
            : `a transaction is still ${this.stateValue}`;
      throw this.misuse(`beginTransaction(): ${why}`);
    }
    this.stateValue = 'inTransaction';
  }

  /** Throws unless a send() may join the current transaction now. */
  assertCanSend(): void {
    this.failIfError();
    if (this.stateValue === 'uninitialized' || this.stateValue === 'initializing')
      throw this.misuse('send(): call initTransactions() before sending with a transactional producer');
    if (this.stateValue !== 'inTransaction')
      throw this.misuse(`send(): call beginTransaction() first (state ${this.stateValue})`);
  }

  isAdded(topic: string, partition: number): boolean {
    return this.added.has(tpKey(topic, partition));
  }

  /** The sender has a batch for a partition not in the transaction yet: add it (see flushAdds). */
  needPartition(topic: string, partition: number): void {
    const key = tpKey(topic, partition);
    if (this.adding.has(key) || this.toAdd.has(key)) return;
    this.toAdd.set(key, { topic, partition });
  }

  /** Sends one AddPartitionsToTxn for the partitions collected, unless one is in flight already. */
  flushAdds(): void {
    if (this.toAdd.size === 0 || this.adding.size > 0 || this.sendingBlocked) return;
    const partitions = [...this.toAdd.values()];
    for (const key of this.toAdd.keys()) this.adding.add(key);
    this.toAdd.clear();
    void this.serial(() => this.addPartitions(partitions))
      .catch(() => undefined)
      .finally(() => {
        this.adding.clear();
        this.o.onChange();
      });
  }

  private async addPartitions(partitions: TopicPartition[]): Promise<void> {
    if (this.sendingBlocked) return;
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) {
      const list = byTopic.get(p.topic) ?? [];
      list.push(p.partition);
      byTopic.set(p.topic, list);
    }
    const topics = [...byTopic].map(([name, ps]) => ({ name, partitions: ps }));
    const firstCode = (r: {
      resultsByTopicV3AndBelow: { resultsByPartition: { partitionErrorCode: number }[] }[];
    }) =>
      r.resultsByTopicV3AndBelow.flatMap((t) => t.resultsByPartition).find((p) => p.partitionErrorCode !== 0)
        ?.partitionErrorCode ?? 0;
    const res = await this.request(
      AddPartitionsToTxn,
      {
        transactions: [],
        v3AndBelowTransactionalId: this.transactionalId,
        v3AndBelowProducerId: this.identity.producerId,
        v3AndBelowProducerEpoch: this.identity.producerEpoch,
        v3AndBelowTopics: topics,
      },
      {
        operation: 'AddPartitionsToTxn',
        maxVersion: 3,
        codeOf: firstCode,
        // The first add of a transaction often meets the previous one still completing.
        concurrentBackoffMs: this.added.size === 0 ? 20 : undefined,
        alsoRetry: RETRY_AS_IS_ADD_PARTITIONS,
      },
      'add',
    );
    const errors: string[] = [];
    let unauthorized = false;
    for (const t of res.response.resultsByTopicV3AndBelow) {
      for (const p of t.resultsByPartition) {
        const code = p.partitionErrorCode;
        if (code === 0) continue;
        if (code === OPERATION_NOT_ATTEMPTED) continue; // another partition's error stopped it
        if (code === TOPIC_AUTHORIZATION_FAILED) unauthorized = true;
        else if (code !== TRANSACTION_ABORTABLE && code !== GROUP_AUTHORIZATION_FAILED)
          // Fenced, INVALID_TXN_STATE, an unknown producer id: decided by the code alone.
          throw this.classify(code, 'AddPartitionsToTxn', 'abortable');
        errors.push(`${t.name}-${p.partitionIndex}: ${new KafkaProtocolError(code).type}`);
      }
    }
    if (errors.length > 0 || unauthorized)
      throw this.abortable(
        this.txnError('abortable', `AddPartitionsToTxn refused partitions (${errors.join(', ')})`),
      );
    for (const p of partitions) this.added.add(tpKey(p.topic, p.partition));
    this.started = true;
  }

  /**
   * A batch of the transaction failed (after its retries, or it was given up): the transaction can
   * no longer commit. Fenced (PRODUCER_FENCED), an unauthorised transactional id or cluster, or an
   * unsupported version are fatal, as Java's maybeTransitionToErrorState decides. The sequence chain
   * of the partition is broken either way, so the abort ends with an epoch bump; Java re-sequences
   * instead when the batch failed during a commit — bumping is the safe superset.
   */
  batchFailed(err: Error): void {
    this.epochBumpRequired = true;
    if (this.stateValue === 'fatalError') return;
    const code = err instanceof KafkaProtocolError ? err.code : undefined;
    if (code === PRODUCER_FENCED) {
      this.fatal(new ProducerFencedError(this.transactionalId, err));
      this.o.onChange();
      return;
    }
    if (
      code === TRANSACTIONAL_ID_AUTHORIZATION_FAILED ||
      code === CLUSTER_AUTHORIZATION_FAILED ||
      code === UNSUPPORTED_VERSION
    ) {
      this.fatal(this.txnError('fatal', `a send failed: ${err.message}`, err));
      this.o.onChange();
      return;
    }
    if (err instanceof TransactionError) return;
    this.abortable(this.txnError('abortable', `a send failed: ${err.message}`, err));
  }

  // ---- sendOffsetsToTransaction ----

  /**
   * AddOffsetsToTxn at the transaction coordinator (the group's __consumer_offsets partition joins the
   * transaction), then TxnOffsetCommit at the group coordinator: the offsets become the group's
   * committed offsets when the transaction commits, and are dropped when it aborts.
   */
  sendOffsets(offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    try {
      this.failIfError();
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.stateValue !== 'inTransaction')
      return Promise.reject(this.misuse('sendOffsetsToTransaction(): no transaction is open'));
    const groupId = group.groupId;
    if (typeof groupId !== 'string' || groupId === '')
      return Promise.reject(this.misuse('sendOffsetsToTransaction(): the group metadata has no groupId'));
    return this.serial(async () => {
      this.failIfError();
      const added = await this.request(
        AddOffsetsToTxn,
        {
          transactionalId: this.transactionalId,
          producerId: this.identity.producerId,
          producerEpoch: this.identity.producerEpoch,
          groupId,
        },
        { operation: 'sendOffsetsToTransaction', codeOf: (r) => r.errorCode },
        'transaction',
      );
      if (added.code === GROUP_AUTHORIZATION_FAILED)
        throw this.classify(added.code, 'AddOffsetsToTxn', 'abortable');
      if (added.code !== 0) throw this.classify(added.code, 'AddOffsetsToTxn', 'fatal');
      this.started = true;
      if (offsets.length === 0) return;
      await this.txnOffsetCommit(offsets, groupId, group);
    });
  }

  private async txnOffsetCommit(
    offsets: readonly TopicPartitionOffset[],
    groupId: string,
    group: ConsumerGroupMetadata,
  ): Promise<void> {
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint }[]>();
    for (const o of offsets) {
      const list = byTopic.get(o.topic) ?? [];
      list.push({ partitionIndex: o.partition, committedOffset: o.offset });
      byTopic.set(o.topic, list);
    }
    const res = await this.request(
      TxnOffsetCommit,
      {
        transactionalId: this.transactionalId,
        groupId,
        producerId: this.identity.producerId,
        producerEpoch: this.identity.producerEpoch,
        generationId: group.generationId ?? -1,
        memberId: group.memberId ?? '',
        groupInstanceId: group.groupInstanceId ?? null,
        topics: [...byTopic].map(([name, partitions]) => ({
          name,
          partitions: partitions.map((p) => ({ ...p, committedLeaderEpoch: -1, committedMetadata: '' })),
        })),
      },
      {
        operation: 'sendOffsetsToTransaction',
        groupId,
        maxVersion: 4,
        codeOf: (r) => r.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)?.errorCode ?? 0,
        alsoRetry: RETRY_AS_IS_TXN_OFFSET_COMMIT,
      },
      'transaction',
    );
    const code = res.code;
    if (code === 0) return;
    if (code === UNKNOWN_MEMBER_ID || code === ILLEGAL_GENERATION || code === FENCED_INSTANCE_ID) {
      // The group moved on (a rebalance): the input this transaction consumed belongs to another member now.
      throw this.abortable(
        this.txnError(
          'abortable',
          `TxnOffsetCommit for group ${groupId} failed: the consumer group metadata is stale (${new KafkaProtocolError(code).type})`,
          new KafkaProtocolError(code, { api: 'TxnOffsetCommit', resource: groupId }),
        ),
      );
    }
    if (code === GROUP_AUTHORIZATION_FAILED) throw this.classify(code, 'TxnOffsetCommit', 'abortable');
    throw this.classify(code, 'TxnOffsetCommit', 'fatal');
  }

  // ---- commitTransaction / abortTransaction ----

  /** The checks of commitTransaction() before the producer flushes; throws what Java would. */
  beginCommit(): void {
    // A commit that timed out (maxBlockMs) is continued by calling commitTransaction() again.
    if (this.stateValue === 'committing') return;
    this.failIfError();
    if (this.stateValue !== 'inTransaction')
      throw this.misuse(`commitTransaction(): no transaction is open (state ${this.stateValue})`);
    this.stateValue = 'committing';
  }

  /** The checks of abortTransaction() before the producer drops what is queued. */
  beginAbort(): void {
    if (this.stateValue === 'aborting') return;
    if (this.stateValue === 'fatalError') throw this.lastError;
    if (this.stateValue !== 'inTransaction' && this.stateValue !== 'abortableError')
      throw this.misuse(`abortTransaction(): no transaction is open (state ${this.stateValue})`);
    this.stateValue = 'aborting';
    this.toAdd.clear();
  }

  /**
   * EndTxn once every batch is answered (the producer waits for that), and for an abort after a
   * broken sequence chain, InitProducerId with the current id and epoch: a new epoch, so the
   * partitions' sequences start again at 0 (KIP-360). Resolves to whether the epoch changed. A
   * transaction the coordinator never heard of (nothing added) ends without a request, as in Java.
   */
  end(commit: boolean): Promise<boolean> {
    return this.serial(async () => {
      if (commit) this.failIfError();
      // INVALID_PRODUCER_ID_MAPPING: the coordinator would refuse EndTxn too; InitProducerId is next.
      if (this.started && !(this.coordinatorLostId && !commit)) await this.endTxn(commit);
      this.started = false;
      let bumped = false;
      if (!commit && this.epochBumpRequired) {
        await this.initProducerId(this.identity.producerId, this.identity.producerEpoch);
        bumped = true;
      }
      this.added.clear();
      this.coordinatorLostId = false;
      this.lastError = undefined;
      this.stateValue = 'ready';
      return bumped;
    });
  }

  private async endTxn(commit: boolean): Promise<void> {
    const res = await this.request(
      EndTxn,
      {
        transactionalId: this.transactionalId,
        producerId: this.identity.producerId,
        producerEpoch: this.identity.producerEpoch,
        committed: commit,
      },
      {
        operation: commit ? 'commitTransaction' : 'abortTransaction',
        maxVersion: 4,
        codeOf: (r) => r.errorCode,
      },
      'end',
    );
    if (res.code === 0) return;
    throw this.classify(res.code, 'EndTxn', 'fatal');
  }

  async close(): Promise<void> {
    await this.coordinators.close();
  }
}
