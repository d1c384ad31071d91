/**
 * The transaction coordinator's vocabulary: Kafka's error codes, the states of TransactionState.java,
 * one transactional id's metadata (TransactionMetadata.scala) and the broker settings it obeys.
 */

/** Error codes the coordinator answers (Errors.java). */
export const TxnErrors = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_OR_FOLLOWER: 6,
  NOT_ENOUGH_REPLICAS: 19,
  TOPIC_AUTHORIZATION_FAILED: 29,
  INVALID_REQUEST: 42,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  INVALID_PRODUCER_ID_MAPPING: 49,
  INVALID_TRANSACTION_TIMEOUT: 50,
  CONCURRENT_TRANSACTIONS: 51,
  TRANSACTION_COORDINATOR_FENCED: 52,
  OPERATION_NOT_ATTEMPTED: 55,
  UNSTABLE_OFFSET_COMMIT: 88,
  PRODUCER_FENCED: 90,
  TRANSACTIONAL_ID_NOT_FOUND: 105,
  TRANSACTION_ABORTABLE: 120,
} as const;

/**
 * Kafka's TransactionState names, as DescribeTransactions and ListTransactions spell them.
 * PrepareEpochFence is the moment between fencing a producer (epoch bump) and aborting its
 * transaction; Dead is an expired transactional id's last state (transactional.id.expiration.ms).
 */
export type TxnState =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'
  | 'PrepareEpochFence'
  | 'Dead';

export const TXN_STATES: readonly TxnState[] = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'PrepareEpochFence',
  'Dead',
];

/** RecordBatch.NO_PRODUCER_EPOCH / NO_PRODUCER_ID. */
export const NO_PRODUCER_EPOCH = -1;
export const NO_PRODUCER_ID = -1;
/** An epoch this high is exhausted: the next bump hands out a new producer id (Short.MAX_VALUE - 1). */
export const MAX_PRODUCER_EPOCH = 32_766;

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

/** One transactional offset commit waiting for its transaction's end (TxnOffsetCommit). */
export interface PendingOffset {
  topic: string;
  partition: number;
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
}

/** What the coordinator knows about one transactional id. */
export interface TransactionMetadata {
  readonly transactionalId: string;
  producerId: number;
  /** The id before the last rotation (epoch exhaustion), for KIP-360 retries; -1 when none. */
  previousProducerId: number;
  producerEpoch: number;
  /** The epoch before the last bump: an InitProducerId retry naming it is answered again, not fenced. */
  lastProducerEpoch: number;
  txnTimeoutMs: number;
  state: TxnState;
  /** Partitions added since the transaction began, `topic\0partition` → ref, in add order. */
  readonly partitions: Map<string, TopicPartitionRef>;
  /** Groups added with AddOffsetsToTxn, with their pending offsets (by `topic\0partition`). */
  readonly groups: Map<string, Map<string, PendingOffset>>;
  /** When the current transaction began (first AddPartitions/AddOffsets), -1 when none. */
  txnStartTimestamp: number;
  txnLastUpdateTimestamp: number;
}

/** Broker settings (TransactionStateManagerConfig / TransactionLogConfig). */
export interface TxnCoordinatorConfig {
  /** transaction.max.timeout.ms: the largest transaction.timeout.ms a producer may ask for. */
  maxTimeoutMs: number;
  /**
   * How long writing the COMMIT/ABORT markers takes after EndTxn has answered; PrepareCommit /
   * PrepareAbort last this long and meanwhile InitProducerId, AddPartitionsToTxn and EndTxn answer
   * CONCURRENT_TRANSACTIONS. 0 (the default) writes them before EndTxn answers, so a client that
   * reads right after its commit sees it, as it nearly always does against Kafka.
   */
  markerDelayMs: number;
  /** offsets.topic.num.partitions: AddOffsetsToTxn adds the group's __consumer_offsets partition. */
  offsetsTopicPartitions: number;
  /**
   * transactional.id.expiration.ms (7 days): an id idle that long with no transaction open is
   * forgotten, looked for every `removeExpiredIntervalMs`
   * (transaction.remove.expired.transaction.cleanup.interval.ms, 1 hour).
   */
  transactionalIdExpirationMs: number;
  removeExpiredIntervalMs: number;
}

export const DEFAULT_TXN_CONFIG: TxnCoordinatorConfig = {
  maxTimeoutMs: 900_000,
  markerDelayMs: 0,
  offsetsTopicPartitions: 50,
  transactionalIdExpirationMs: 604_800_000,
  removeExpiredIntervalMs: 3_600_000,
};

/** A state change, for the trace and for tests that watch the coordinator. */
export interface TxnTransition {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  from: TxnState | null;
  to: TxnState;
  reason: string;
  /** The partitions of the transaction at this step (none once it completed). */
  partitions: TopicPartitionRef[];
  /** On CompleteCommit/CompleteAbort: the markers just written, the data partitions' only. */
  markers?: {
    topic: string;
    partition: number;
    offset: number;
    coordinatorEpoch: number;
    lastStableOffset: number;
  }[];
}

/** InitProducerId's answer. */
export interface InitProducerIdResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

/** EndTxn's answer (v5 carries the producer id and epoch). */
export interface EndTxnResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

/** Java's String.hashCode, for GroupCoordinator.partitionFor(groupId). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The __consumer_offsets partition of a group: Utils.abs(groupId.hashCode) % partitions. Utils.abs is
 * Math.abs except Integer.MIN_VALUE -> 0; masking with 0x7fffffff instead would send every negative
 * hash to another partition than Kafka's.
 */
export function groupPartitionFor(groupId: string, partitions: number): number {
  const h = javaStringHash(groupId);
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitions;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
