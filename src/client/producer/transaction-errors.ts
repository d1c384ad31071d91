/**
 * A transactional producer's errors, sorted the way Java's TransactionManager sorts them, because what
 * the application must do next depends on the sort:
 * - abortable: this transaction cannot commit; abortTransaction(), then a new transaction may work
 *   (a send failed, the group moved on, a topic is not authorised);
 * - fatal: this producer can do nothing more; close it (another producer with the same transactional
 *   id took over, the id is not authorised, the broker lacks the APIs);
 * - misuse (Java's IllegalStateException): a call in the wrong state, nothing was sent.
 */
import { KafkaClientError, KafkaProtocolError } from '../errors.js';

export type TransactionErrorKind = 'abortable' | 'fatal';

/** Something went wrong in a transaction; `kind` says whether aborting is enough. */
export class TransactionError extends KafkaClientError {
  override name = 'TransactionError';
  readonly kind: TransactionErrorKind;
  readonly transactionalId: string;
  /** Kafka's error code behind it, when a broker answered with one. */
  readonly code: number | undefined;

  constructor(o: { kind: TransactionErrorKind; transactionalId: string; message: string; cause?: unknown }) {
    const advice =
      o.kind === 'fatal'
        ? 'this producer cannot go on: close it (a new producer with the same transactional id aborts what is left open)'
        : 'call abortTransaction(), then the work may be tried again in a new transaction';
    super(`transactional id ${o.transactionalId}: ${o.message}; ${advice}`, {
      retriable: false,
      cause: o.cause,
    });
    this.kind = o.kind;
    this.transactionalId = o.transactionalId;
    this.code = o.cause instanceof KafkaProtocolError ? o.cause.code : undefined;
  }

  get fatal(): boolean {
    return this.kind === 'fatal';
  }
}

/**
 * PRODUCER_FENCED (or INVALID_PRODUCER_EPOCH from a transaction coordinator, which Java reads the same
 * way): a newer producer initialised the same transactional id and bumped the epoch. Fatal.
 */
export class ProducerFencedError extends TransactionError {
  override name = 'ProducerFencedError';

  constructor(transactionalId: string, cause?: unknown) {
    super({
      kind: 'fatal',
      transactionalId,
      message: 'fenced: a newer producer with this transactional id has called initTransactions()',
      cause,
    });
  }
}

/** A record that was waiting to be sent when its transaction aborted (Java's TransactionAbortedException). */
export class TransactionAbortedError extends KafkaClientError {
  override name = 'TransactionAbortedError';

  constructor(transactionalId: string, reason: string) {
    super(`transactional id ${transactionalId}: the record was not sent because ${reason}`, {
      retriable: false,
    });
  }
}

/** A transactional call in the wrong state (Java's IllegalStateException); nothing was sent. */
export class TransactionStateError extends KafkaClientError {
  override name = 'TransactionStateError';

  constructor(transactionalId: string | undefined, message: string) {
    super(transactionalId === undefined ? message : `transactional id ${transactionalId}: ${message}`, {
      retriable: false,
    });
  }
}

/**
 * A transactional call did not finish within maxBlockMs (Java's TimeoutException from max.block.ms):
 * the coordinator kept answering with retriable errors or could not be reached. Calling the same
 * method again continues where it stopped.
 */
export class TransactionTimeoutError extends KafkaClientError {
  override name = 'TransactionTimeoutError';

  constructor(transactionalId: string, operation: string, timeoutMs: number, cause?: unknown) {
    super(
      `transactional id ${transactionalId}: ${operation} did not complete within ${timeoutMs} ms (maxBlockMs)` +
        (cause instanceof Error ? `; last error: ${cause.message}` : ''),
      { retriable: true, cause },
    );
  }
}
