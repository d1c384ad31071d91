/**
 * The transaction coordinator (KIP-98): per transactional id the producer id and epoch, the state
 * machine Empty → Ongoing → PrepareCommit/PrepareAbort → CompleteCommit/CompleteAbort, fencing of
 * older producers by epoch, the transaction timeout, and the partitions and groups of the open
 * transaction. Shaped after Kafka's TransactionCoordinator and TransactionMetadata (transactions V1,
 * the flow every client without KIP-890 part 2 uses: one epoch for many transactions).
 *
 * Kafka writes each transition to __transaction_state before answering; here the in-memory state
 * is the log. Ending a transaction writes COMMIT/ABORT markers into its partitions (markers.ts, what
 * WriteTxnMarkers does between brokers) and commits or drops its pending offsets.
 *
 * Timers run on the cluster's clock: the transaction timeout (a transaction open longer than its
 * transaction.timeout.ms is aborted and its producer fenced by an epoch bump) and, when
 * markerDelayMs > 0, the time markers take to be written.
 */
import { type Clock, systemClock, type Timer } from '../../clock.js';
import type { PartitionLog } from '../partition-log.js';
import { type MarkerProducerState, writeMarkers } from './markers.js';
import {
  DEFAULT_TXN_CONFIG,
  TxnErrors as E,
  type EndTxnResult,
  groupPartitionFor,
  type InitProducerIdResult,
  MAX_PRODUCER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  type PendingOffset,
  partitionKey,
  type TopicPartitionRef,
  type TransactionMetadata,
  type TxnCoordinatorConfig,
  type TxnState,
  type TxnTransition,
} from './types.js';

/** Kafka's Topic.GROUP_METADATA_TOPIC_NAME: AddOffsetsToTxn adds a partition of it. */
export const GROUP_METADATA_TOPIC = '__consumer_offsets';

export interface TxnCoordinatorDeps {
  clock?: Clock;
  config?: Partial<TxnCoordinatorConfig>;
  /** A fresh producer id (the cluster's ProducerIds, shared with idempotent producers). */
  allocateProducerId(): number;
  /** The log of a data partition; undefined when the topic or partition is gone. */
  partitionLog(topic: string, partition: number): PartitionLog | undefined;
  /** The partitions' producer state, told about each marker (coordinator epoch, timestamp). */
  producerState?: MarkerProducerState;
  /** Makes a committed transaction's offsets the group's committed offsets. */
  commitOffsets(groupId: string, offsets: readonly PendingOffset[], now: number): void;
}

export interface ProducerRef {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
}

export interface InitProducerIdArgs {
  transactionalId: string;
  transactionTimeoutMs: number;
  /** KIP-360 (InitProducerId v3+): the id and epoch the producer holds, to bump rather than fence. */
  expected?: { producerId: number; producerEpoch: number };
}

/** One transaction as DescribeTransactions and ListTransactions show it. */
export interface TxnDescription {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: TxnState;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  partitions: TopicPartitionRef[];
}

export class TransactionCoordinator {
  readonly config: TxnCoordinatorConfig;
  /** Told about every state change; the coordinator never depends on it. */
  onTransition: ((t: TxnTransition) => void) | undefined;
  private readonly clock: Clock;
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly byProducerId = new Map<number, string>();
  private readonly timeoutTimers = new Map<string, Timer>();
  /** Transactions whose markers are being written (PrepareCommit/PrepareAbort with markerDelayMs > 0). */
  private readonly completing = new Map<string, Timer>();
  private stopped = false;
  private expiryTimer: Timer | undefined;

  constructor(private readonly deps: TxnCoordinatorDeps) {
    this.clock = deps.clock ?? systemClock;
    this.config = { ...DEFAULT_TXN_CONFIG, ...deps.config };
    this.scheduleExpiry();
  }

  // ---- transactional.id.expiration.ms -------------------------------------------------------------

  private scheduleExpiry(): void {
    this.expiryTimer = this.clock.schedule(this.config.removeExpiredIntervalMs, () => {
      if (this.stopped) return;
      this.removeExpiredTransactionalIds();
      this.scheduleExpiry();
    });
  }

  /**
   * TransactionStateManager.removeExpiredTransactionalIds: an id with no transaction open (Empty,
   * CompleteCommit, CompleteAbort) whose last change is transactional.id.expiration.ms old is
   * forgotten (Kafka writes it Dead, a tombstone, to __transaction_state). Its producer then gets
   * INVALID_PRODUCER_ID_MAPPING, DescribeTransactions TRANSACTIONAL_ID_NOT_FOUND, and the next
   * InitProducerId with the id starts it afresh with a new producer id. Returns the ids removed.
   */
  removeExpiredTransactionalIds(): string[] {
    const cutoff = this.clock.now() - this.config.transactionalIdExpirationMs;
    const removed: string[] = [];
    for (const meta of [...this.txns.values()]) {
      const idle =
        meta.state === 'Empty' || meta.state === 'CompleteCommit' || meta.state === 'CompleteAbort';
      if (!idle || meta.txnLastUpdateTimestamp > cutoff || this.completing.has(meta.transactionalId))
        continue;
      this.txns.delete(meta.transactionalId);
      if (this.byProducerId.get(meta.producerId) === meta.transactionalId)
        this.byProducerId.delete(meta.producerId);
      this.transition(
        meta,
        'Dead',
        `transactional.id.expiration.ms (${this.config.transactionalIdExpirationMs}) passed`,
      );
      removed.push(meta.transactionalId);
    }
    return removed;
  }

  // ---- InitProducerId ---------------------------------------------------------------------------

  initProducerId(a: InitProducerIdArgs): InitProducerIdResult {
    const fail = (errorCode: number): InitProducerIdResult => ({
      errorCode,
      producerId: NO_PRODUCER_ID,
      producerEpoch: NO_PRODUCER_EPOCH,
    });
    if (a.transactionalId === '') return fail(E.INVALID_REQUEST);
    if (!(a.transactionTimeoutMs > 0 && a.transactionTimeoutMs <= this.config.maxTimeoutMs))
      return fail(E.INVALID_TRANSACTION_TIMEOUT);
    let meta = this.txns.get(a.transactionalId);
    if (!meta) {
      meta = {
        transactionalId: a.transactionalId,
        producerId: this.deps.allocateProducerId(),
        previousProducerId: NO_PRODUCER_ID,
        producerEpoch: NO_PRODUCER_EPOCH,
        lastProducerEpoch: NO_PRODUCER_EPOCH,
        txnTimeoutMs: a.transactionTimeoutMs,
        state: 'Empty',
        partitions: new Map(),
        groups: new Map(),
        txnStartTimestamp: -1,
        txnLastUpdateTimestamp: this.clock.now(),
      };
      this.txns.set(a.transactionalId, meta);
      this.byProducerId.set(meta.producerId, a.transactionalId);
      this.emit(meta, null, 'Empty', 'new transactional id');
    }
    if (this.completing.has(meta.transactionalId)) return fail(E.CONCURRENT_TRANSACTIONS);
    const x = a.expected;
    if (
      x &&
      !(
        meta.producerEpoch === NO_PRODUCER_EPOCH ||
        x.producerId === meta.producerId ||
        (x.producerId === meta.previousProducerId && x.producerEpoch >= MAX_PRODUCER_EPOCH)
      )
    ) {
      return fail(E.PRODUCER_FENCED);
    }
    switch (meta.state) {
      case 'PrepareCommit':
      case 'PrepareAbort':
        return fail(E.CONCURRENT_TRANSACTIONS);
      case 'Ongoing':
        // Fence the producer of the open transaction (epoch + 1), abort its transaction, and let this
        // producer retry: its retry bumps the epoch once more (TransactionCoordinator, Ongoing case).
        this.fence(meta, 'InitProducerId while a transaction is open');
        return fail(E.CONCURRENT_TRANSACTIONS);
      case 'Empty':
      case 'CompleteCommit':
      case 'CompleteAbort': {
        const from = meta.state;
        if (meta.producerEpoch >= MAX_PRODUCER_EPOCH && (!x || x.producerEpoch === meta.producerEpoch)) {
          // Epochs exhausted: a new producer id (prepareProducerIdRotation).
          this.byProducerId.delete(meta.producerId);
          meta.previousProducerId = meta.producerId;
          meta.producerId = this.deps.allocateProducerId();
          this.byProducerId.set(meta.producerId, meta.transactionalId);
          meta.lastProducerEpoch = x ? meta.producerEpoch : NO_PRODUCER_EPOCH;
          meta.producerEpoch = 0;
        } else if (!x) {
          meta.producerEpoch += 1; // -1 → 0 for a new id
          meta.lastProducerEpoch = NO_PRODUCER_EPOCH;
        } else if (meta.producerEpoch === NO_PRODUCER_EPOCH || x.producerEpoch === meta.producerEpoch) {
          meta.lastProducerEpoch = meta.producerEpoch;
          meta.producerEpoch += 1;
        } else if (x.producerEpoch !== meta.lastProducerEpoch) {
          return fail(E.PRODUCER_FENCED);
        } // else: a retry of a bump that succeeded; answer the current epoch again
        meta.txnTimeoutMs = a.transactionTimeoutMs;
        meta.partitions.clear();
        meta.groups.clear();
        meta.txnStartTimestamp = -1;
        this.transition(meta, 'Empty', `InitProducerId from ${from}: epoch ${meta.producerEpoch}`);
        return { errorCode: E.NONE, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
      }
      default:
        return fail(E.CONCURRENT_TRANSACTIONS);
    }
  }

  // ---- AddPartitionsToTxn, AddOffsetsToTxn --------------------------------------------------------

  /** AddPartitionsToTxn (the client's form); the caller has checked that the partitions exist. */
  addPartitions(p: ProducerRef, partitions: readonly TopicPartitionRef[]): number {
    const meta = this.txns.get(p.transactionalId);
    const invalid = this.checkProducer(meta, p);
    if (invalid !== E.NONE || !meta) return invalid;
    if (this.completing.has(meta.transactionalId)) return E.CONCURRENT_TRANSACTIONS;
    if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') return E.CONCURRENT_TRANSACTIONS;
    const now = this.clock.now();
    const wasOngoing = meta.state === 'Ongoing';
    if (!wasOngoing) {
      // A new transaction: the previous one's partitions are forgotten (prepareAddPartitions).
      meta.partitions.clear();
      meta.groups.clear();
      meta.txnStartTimestamp = now;
    }
    for (const tp of partitions) meta.partitions.set(partitionKey(tp.topic, tp.partition), { ...tp });
    meta.txnLastUpdateTimestamp = now;
    if (!wasOngoing) {
      this.transition(meta, 'Ongoing', 'partitions added');
      this.armTimeout(meta);
    }
    return E.NONE;
  }

  /**
   * AddPartitionsToTxn v4+ with verifyOnly (the partition leader's check, KIP-890): per partition
   * NONE when it is in the transaction, TRANSACTION_ABORTABLE when not; or one code for all.
   */
  verifyPartitions(p: ProducerRef, partitions: readonly TopicPartitionRef[]): number | Map<string, number> {
    const meta = this.txns.get(p.transactionalId);
    if (!meta || meta.producerId !== p.producerId) return E.INVALID_PRODUCER_ID_MAPPING;
    if (meta.producerEpoch !== p.producerEpoch) return E.PRODUCER_FENCED;
    if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') return E.CONCURRENT_TRANSACTIONS;
    const out = new Map<string, number>();
    for (const tp of partitions) {
      const key = partitionKey(tp.topic, tp.partition);
      out.set(key, meta.partitions.has(key) ? E.NONE : E.TRANSACTION_ABORTABLE);
    }
    return out;
  }

  /** AddOffsetsToTxn: the group's __consumer_offsets partition joins the transaction. */
  addOffsets(p: ProducerRef, groupId: string): number {
    const partition = groupPartitionFor(groupId, this.config.offsetsTopicPartitions);
    const code = this.addPartitions(p, [{ topic: GROUP_METADATA_TOPIC, partition }]);
    if (code === E.NONE) {
      const meta = this.txns.get(p.transactionalId)!;
      if (!meta.groups.has(groupId)) meta.groups.set(groupId, new Map());
    }
    return code;
  }

  // ---- Produce and TxnOffsetCommit checks ---------------------------------------------------------

  /**
   * May this producer write a transactional batch to this partition? Kafka's partition leader asks
   * the coordinator (AddPartitionsToTxnManager); the answer is the coordinator's code before the
   * Produce path translates it. `transactionalId` may be null (then the producer id finds it).
   */
  verifyProduce(
    transactionalId: string | null,
    producerId: number,
    producerEpoch: number,
    topic: string,
    partition: number,
  ): number {
    const id = transactionalId ?? this.byProducerId.get(producerId);
    if (id === undefined) return E.INVALID_PRODUCER_ID_MAPPING;
    const r = this.verifyPartitions({ transactionalId: id, producerId, producerEpoch }, [
      { topic, partition },
    ]);
    return typeof r === 'number' ? r : (r.get(partitionKey(topic, partition)) ?? E.NONE);
  }

  /** TxnOffsetCommit's transaction half: the group must be in this producer's open transaction. */
  verifyOffsetCommit(p: ProducerRef, groupId: string): number {
    const partition = groupPartitionFor(groupId, this.config.offsetsTopicPartitions);
    return this.verifyProduce(
      p.transactionalId,
      p.producerId,
      p.producerEpoch,
      GROUP_METADATA_TOPIC,
      partition,
    );
  }

  /** Offsets committed in the transaction: visible to OffsetFetch only once it commits. */
  addPendingOffsets(transactionalId: string, groupId: string, offsets: readonly PendingOffset[]): void {
    const meta = this.txns.get(transactionalId);
    if (!meta) return;
    let pending = meta.groups.get(groupId);
    if (!pending) {
      pending = new Map();
      meta.groups.set(groupId, pending);
    }
    for (const o of offsets) pending.set(partitionKey(o.topic, o.partition), { ...o });
  }

  /** OffsetFetch requireStable: does an open transaction hold an offset of this partition for the group? */
  hasPendingOffset(groupId: string, topic: string, partition: number): boolean {
    const key = partitionKey(topic, partition);
    for (const meta of this.txns.values()) {
      if (meta.state === 'CompleteCommit' || meta.state === 'CompleteAbort' || meta.state === 'Empty')
        continue;
      if (meta.groups.get(groupId)?.has(key)) return true;
    }
    return false;
  }

  // ---- EndTxn -------------------------------------------------------------------------------------

  /**
   * EndTxn. `transactionV2` (EndTxn v5, KIP-890 part 2): the epoch is bumped at every end, the
   * markers carry the new epoch and the answer returns it, so each transaction has an epoch of its
   * own and a zombie's late write is fenced without an InitProducerId; a retry of an end that
   * already happened comes with the previous epoch and gets the same answer.
   */
  endTxn(p: ProducerRef & { committed: boolean; transactionV2?: boolean }): EndTxnResult {
    const fail = (errorCode: number): EndTxnResult => ({
      errorCode,
      producerId: NO_PRODUCER_ID,
      producerEpoch: NO_PRODUCER_EPOCH,
    });
    if (p.transactionalId === '') return fail(E.INVALID_REQUEST);
    const meta = this.txns.get(p.transactionalId);
    if (!meta || meta.producerId !== p.producerId) return fail(E.INVALID_PRODUCER_ID_MAPPING);
    const ok = (): EndTxnResult => ({
      errorCode: E.NONE,
      producerId: meta.producerId,
      producerEpoch: meta.producerEpoch,
    });
    const commit = p.committed;
    if (p.transactionV2) {
      const done = commit ? 'CompleteCommit' : 'CompleteAbort';
      // The retry of an end that bumped the epoch: same answer (TransactionCoordinator's isRetry).
      if (p.producerEpoch === meta.lastProducerEpoch && p.producerEpoch !== meta.producerEpoch)
        return meta.state === done ? ok() : fail(E.PRODUCER_FENCED);
      if (p.producerEpoch !== meta.producerEpoch) return fail(E.PRODUCER_FENCED);
      if (meta.state === 'Ongoing' && !this.completing.has(meta.transactionalId)) {
        // Epochs exhausted: Kafka moves to a new producer id here; this emulator stops at the cap.
        if (meta.producerEpoch >= MAX_PRODUCER_EPOCH) return fail(E.INVALID_TXN_STATE);
        meta.lastProducerEpoch = meta.producerEpoch;
        meta.producerEpoch += 1;
        this.end(
          meta,
          commit,
          `EndTxn v5 ${commit ? 'commit' : 'abort'}: epoch bumped to ${meta.producerEpoch}`,
        );
        return ok();
      }
    } else if (p.producerEpoch !== meta.producerEpoch) {
      // Transactions V1: strict equality for a client's request (it never bumps the epoch itself).
      return fail(E.PRODUCER_FENCED);
    }
    switch (meta.state) {
      case 'Ongoing':
        if (this.completing.has(meta.transactionalId)) return fail(E.CONCURRENT_TRANSACTIONS);
        this.end(meta, commit, commit ? 'EndTxn commit' : 'EndTxn abort');
        return ok();
      case 'CompleteCommit':
        // A retry of the commit that already happened is answered with success.
        return commit ? ok() : fail(E.INVALID_TXN_STATE);
      case 'CompleteAbort':
        return commit ? fail(E.INVALID_TXN_STATE) : ok();
      case 'PrepareCommit':
        return commit ? fail(E.CONCURRENT_TRANSACTIONS) : fail(E.INVALID_TXN_STATE);
      case 'PrepareAbort':
        return commit ? fail(E.INVALID_TXN_STATE) : fail(E.CONCURRENT_TRANSACTIONS);
      default:
        // Empty: no transaction to end.
        return fail(E.INVALID_TXN_STATE);
    }
  }

  // ---- views --------------------------------------------------------------------------------------

  describe(transactionalId: string): TxnDescription | undefined {
    const meta = this.txns.get(transactionalId);
    return meta && this.view(meta);
  }

  list(): TxnDescription[] {
    return [...this.txns.values()].map((m) => this.view(m));
  }

  /** The transactional id a producer id belongs to, if any. */
  transactionalIdOf(producerId: number): string | undefined {
    return this.byProducerId.get(producerId);
  }

  get stateCount(): number {
    return this.txns.size;
  }

  /** Clears every timer (cluster.stop()); transactions stay as they are. */
  stop(): void {
    this.stopped = true;
    this.expiryTimer?.cancel();
    for (const t of this.timeoutTimers.values()) t.cancel();
    this.timeoutTimers.clear();
    for (const t of this.completing.values()) t.cancel();
    this.completing.clear();
  }

  // ---- internals ----------------------------------------------------------------------------------

  private view(meta: TransactionMetadata): TxnDescription {
    return {
      transactionalId: meta.transactionalId,
      producerId: meta.producerId,
      producerEpoch: meta.producerEpoch,
      state: meta.state,
      transactionTimeoutMs: meta.txnTimeoutMs,
      transactionStartTimeMs: meta.txnStartTimestamp,
      partitions: [...meta.partitions.values()].map((tp) => ({ ...tp })),
    };
  }

  /** The producer-id and epoch checks every request of an initialised producer passes first. */
  private checkProducer(meta: TransactionMetadata | undefined, p: ProducerRef): number {
    if (p.transactionalId === '') return E.INVALID_REQUEST;
    if (!meta || meta.producerId !== p.producerId) return E.INVALID_PRODUCER_ID_MAPPING;
    if (meta.producerEpoch !== p.producerEpoch) return E.PRODUCER_FENCED;
    return E.NONE;
  }

  /** PrepareEpochFence: bump the epoch so the open transaction's producer is fenced, then abort. */
  private fence(meta: TransactionMetadata, reason: string): void {
    meta.producerEpoch = Math.min(meta.producerEpoch + 1, 32_767);
    meta.lastProducerEpoch = NO_PRODUCER_EPOCH;
    this.transition(meta, 'PrepareEpochFence', `${reason}: producer epoch bumped to ${meta.producerEpoch}`);
    this.end(meta, false, reason);
  }

  /** PrepareCommit/PrepareAbort, then the markers, then CompleteCommit/CompleteAbort. */
  private end(meta: TransactionMetadata, commit: boolean, reason: string): void {
    this.timeoutTimers.get(meta.transactionalId)?.cancel();
    this.timeoutTimers.delete(meta.transactionalId);
    this.transition(meta, commit ? 'PrepareCommit' : 'PrepareAbort', reason);
    const complete = (): void => {
      this.completing.delete(meta.transactionalId);
      const now = this.clock.now();
      const markers = writeMarkers(
        meta,
        commit,
        now,
        (topic, partition) =>
          topic === GROUP_METADATA_TOPIC ? undefined : this.deps.partitionLog(topic, partition),
        this.deps.producerState,
      );
      if (commit) {
        for (const [groupId, pending] of meta.groups) {
          if (pending.size > 0) this.deps.commitOffsets(groupId, [...pending.values()], now);
        }
      }
      // A completed transaction has no partitions any more (TransactionMetadata.prepareComplete).
      meta.partitions.clear();
      meta.groups.clear();
      this.transition(meta, commit ? 'CompleteCommit' : 'CompleteAbort', 'markers written', markers);
    };
    if (this.config.markerDelayMs > 0 && !this.stopped) {
      this.completing.set(meta.transactionalId, this.clock.schedule(this.config.markerDelayMs, complete));
    } else {
      complete();
    }
  }

  /**
   * A transaction still open transaction.timeout.ms after it began is aborted by the coordinator,
   * with its producer fenced (TransactionCoordinator.abortTimedOutTransactions). Kafka looks every
   * transaction.abort.timed.out.transaction.cleanup.interval.ms (10 s); this timer fires at the
   * deadline itself.
   */
  private armTimeout(meta: TransactionMetadata): void {
    if (this.stopped) return;
    this.timeoutTimers.get(meta.transactionalId)?.cancel();
    const startedAt = meta.txnStartTimestamp;
    const timer = this.clock.schedule(meta.txnTimeoutMs, () => {
      this.timeoutTimers.delete(meta.transactionalId);
      if (meta.state !== 'Ongoing' || meta.txnStartTimestamp !== startedAt) return;
      if (this.completing.has(meta.transactionalId)) return;
      this.fence(meta, `transaction timed out after ${meta.txnTimeoutMs} ms`);
    });
    this.timeoutTimers.set(meta.transactionalId, timer);
  }

  private transition(
    meta: TransactionMetadata,
    to: TxnState,
    reason: string,
    markers?: TxnTransition['markers'],
  ): void {
    const from = meta.state;
    meta.state = to;
    meta.txnLastUpdateTimestamp = this.clock.now();
    this.emit(meta, from, to, reason, markers);
  }

  private emit(
    meta: TransactionMetadata,
    from: TxnState | null,
    to: TxnState,
    reason: string,
    markers?: TxnTransition['markers'],
  ): void {
    if (!this.onTransition) return;
    this.onTransition({
      transactionalId: meta.transactionalId,
      producerId: meta.producerId,
      producerEpoch: meta.producerEpoch,
      from,
      to,
      reason,
      partitions: [...meta.partitions.values()].map((tp) => ({ ...tp })),
      ...(markers ? { markers } : {}),
    });
  }
}
