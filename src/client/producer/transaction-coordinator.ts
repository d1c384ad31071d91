/**
 * The coordinators a transactional producer talks to: the transaction coordinator of its
 * transactional id (FindCoordinator keyType 1, KIP-98) for InitProducerId, AddPartitionsToTxn,
 * AddOffsetsToTxn and EndTxn, and each consumer group's coordinator (keyType 0) for TxnOffsetCommit.
 *
 * Retries as Java's TransactionManager does them: a coordinator that moved or is not there yet
 * (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE: look it up again), one that is still loading its state
 * (COORDINATOR_LOAD_IN_PROGRESS) or busy finishing the previous transaction (CONCURRENT_TRANSACTIONS),
 * and dropped connections are tried again after a backoff. Java re-queues such requests without a
 * count and blocks the caller at most max.block.ms; here one call is bounded by maxBlockMs the same
 * way. Every other code goes back to the caller, who knows what it means for the transaction.
 */
import type { ApiSpec, MessageInput, MessageValue } from '../../protocol/schema/declare.js';
import { backoffMs, type Cluster, delay } from '../cluster.js';
import { Coordinator } from '../consumer/coordinator.js';
import { KafkaClientError, KafkaProtocolError, UnreachableAdvertisedAddressError } from '../errors.js';
import { TransactionTimeoutError } from './transaction-errors.js';

const COORDINATOR_LOAD_IN_PROGRESS = 14;
const COORDINATOR_NOT_AVAILABLE = 15;
const NOT_COORDINATOR = 16;
const CONCURRENT_TRANSACTIONS = 51;

/** Codes after which the same request is simply sent again (after a backoff). */
const RETRY_CODES = new Set([
  COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE,
  NOT_COORDINATOR,
  CONCURRENT_TRANSACTIONS,
]);

export interface CallOptions<A extends ApiSpec> {
  /** What the caller is doing, for the timeout error ("commitTransaction", "AddPartitionsToTxn"). */
  operation: string;
  /** The consumer group whose coordinator takes it; the transaction coordinator when absent. */
  groupId?: string;
  maxVersion?: number;
  /** The code that decides a retry: the top-level one, or the first partition's. */
  codeOf: (r: MessageValue<A['response']>) => number;
  /**
   * Backoff before the first retry of CONCURRENT_TRANSACTIONS, when shorter than the retry backoff:
   * Java waits only 20 ms before retrying the first AddPartitionsToTxn of a transaction, as the
   * previous one is usually done by then (KAFKA-5482).
   */
  concurrentBackoffMs?: number;
  /** Extra codes to retry as they are (TxnOffsetCommit: UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT). */
  alsoRetry?: ReadonlySet<number>;
}

export class TransactionCoordinator {
  private readonly txn: Coordinator;
  private readonly groups = new Map<string, Coordinator>();

  constructor(
    private readonly o: { cluster: Cluster; transactionalId: string; clientId: string; maxBlockMs: number },
  ) {
    this.txn = new Coordinator(o.cluster, o.transactionalId, o.clientId, 1);
  }

  /** The transaction coordinator's node id, once found. */
  get nodeId(): number | undefined {
    return this.txn.nodeId;
  }

  private coordinatorFor(groupId: string | undefined): Coordinator {
    if (groupId === undefined) return this.txn;
    let c = this.groups.get(groupId);
    if (!c) {
      c = new Coordinator(this.o.cluster, groupId, this.o.clientId, 0);
      this.groups.set(groupId, c);
    }
    return c;
  }

  /** Sends until the answer is not a retriable coordinator state, or maxBlockMs has passed. */
  async call<A extends ApiSpec>(
    api: A,
    body: MessageInput<A['request']>,
    options: CallOptions<A>,
  ): Promise<{ response: MessageValue<A['response']>; code: number; version: number }> {
    const coordinator = this.coordinatorFor(options.groupId);
    const retry = this.o.cluster.retry;
    const deadline = Date.now() + this.o.maxBlockMs;
    let last: unknown;
    for (let attempt = 0; ; attempt++) {
      let wait = backoffMs(Math.min(attempt, 10), retry);
      try {
        const { response, version } = await coordinator.request(api, body, {
          maxVersion: options.maxVersion,
          errorCodeOf: options.codeOf,
        });
        const code = options.codeOf(response);
        if (!RETRY_CODES.has(code) && !options.alsoRetry?.has(code)) return { response, code, version };
        if (code === NOT_COORDINATOR || code === COORDINATOR_NOT_AVAILABLE) coordinator.markUnknown();
        if (code === CONCURRENT_TRANSACTIONS && attempt === 0 && options.concurrentBackoffMs !== undefined)
          wait = Math.min(wait, options.concurrentBackoffMs);
        last = new KafkaProtocolError(code, {
          api: api.name,
          resource: options.groupId ?? this.o.transactionalId,
        });
      } catch (err) {
        // Coordinator.request already looked the coordinator up again for the coordinator errors.
        const transient =
          err instanceof KafkaClientError &&
          err.retriable &&
          !(err instanceof UnreachableAdvertisedAddressError);
        if (!transient) throw err;
        last = err;
      }
      if (Date.now() + wait > deadline)
        throw new TransactionTimeoutError(this.o.transactionalId, options.operation, this.o.maxBlockMs, last);
      await delay(wait);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.txn.close(), ...[...this.groups.values()].map((c) => c.close())]);
  }
}
