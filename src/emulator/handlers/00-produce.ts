/**
 * Produce: v3-12
 *
 * Behaviour:
 * - Per partition: unknown topic or partition → UNKNOWN_TOPIC_OR_PARTITION (3), never auto-created;
 *   then the batch checks of log-validator.ts (INVALID_RECORD 87, CORRUPT_MESSAGE 2,
 *   MESSAGE_TOO_LARGE 10, UNSUPPORTED_COMPRESSION_TYPE 76, INVALID_TIMESTAMP 32 — a client-set
 *   LogAppendTime, or on a CreateTime topic a record outside message.timestamp.{before,after}.max.ms of
 *   the broker's clock, KIP-937); acks ∉ {-1,0,1} →
 *   INVALID_REQUIRED_ACKS (21); an internal topic (__consumer_offsets) → INVALID_TOPIC_EXCEPTION (17),
 *   checked first.
 * - Transactional batches: only from the producer's current epoch, into a partition added to its
 *   open transaction (see transactionalRefusal); they open the transaction in the log, which holds
 *   the last stable offset back until the COMMIT/ABORT marker.
 * - Idempotent batches (producerId ≥ 0): a retry of one of the last 5 batches is answered with its
 *   original base offset and not appended; a gap → OUT_OF_ORDER_SEQUENCE_NUMBER (45); an older epoch
 *   → INVALID_PRODUCER_EPOCH (47).
 * - Offsets are dense: the batch gets [LEO, LEO+n-1] by rewriting its baseOffset; the high watermark
 *   (= LEO, one broker) moves before the response is built, so an acked record is readable at once.
 * - acks=0: no response; if any partition failed, the connection is closed instead, so the producer
 *   notices and refreshes metadata (KafkaApis.handleProduceRequest).
 * - acks=-1 with fewer in-sync replicas than min.insync.replicas → NOT_ENOUGH_REPLICAS (19), nothing
 *   appended (Partition.appendRecordsToLeader); otherwise the answer waits until the ISR has the
 *   records (cluster/replication.ts awaitReplication: at once when every follower is in step).
 * - On error: baseOffset -1, logAppendTimeMs -1, with an errorMessage (v8+) and recordErrors.
 *
 * Version notes:
 * - v0-2 carry message sets v0/v1, which this emulator does not store (record format v2 only, KIP-896
 *   removed them from Kafka 4 too). v3 brought transactionalId and v2 batches; v5 logStartOffset;
 *   v7 allows zstd; v8 recordErrors/errorMessage; v9+ flexible; v10 currentLeader/nodeEndpoints
 *   (only for NOT_LEADER_OR_FOLLOWER, from a broker that does not lead the partition: cluster/leadership.ts).
 * - v12 (KIP-890 part 2, transactions V2): a transactional batch to a partition not in the open
 *   transaction adds it (what the leader's AddPartitionsToTxnManager does with the ADD_PARTITION
 *   operation), and a first batch opens the transaction; below v12 that is refused as before. v13
 *   names topics by id (KIP-516) and is not served.
 */

import { Produce } from '../../protocol/messages/00-produce.js';
import {
  NOT_ENOUGH_REPLICAS,
  NOT_LEADER_OR_FOLLOWER,
  nodeEndpointsFor,
  notLeader,
  tooFewInSync,
} from '../cluster/leadership.js';
import { awaitReplication } from '../cluster/replication.js';
import {
  CLOSE_CONNECTION,
  declaredVersions,
  defineHandler,
  type HandlerContext,
  NO_RESPONSE,
  type ResponseOf,
} from '../handler.js';
import { validateProduceRecords } from '../log-validator.js';
import { produceThrottleMs } from '../quota-enforcement.js';
import {
  authorize,
  hasTransactionalBatch,
  TOPIC_AUTHORIZATION_FAILED,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { isCompacted, isLogAppendTime, maxMessageBytes, timestampWindow } from '../state/configs.js';
import type { PartitionLog } from '../state/partition-log.js';
import type { Topic } from '../state/topics.js';
import { TxnErrors, transactionsOf } from '../state/transactions/index.js';

type PartitionResponse = ResponseOf<typeof Produce>['responses'] extends (infer T)[] | undefined
  ? T extends { partitionResponses?: (infer P)[] }
    ? P
    : never
  : never;

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const INVALID_TOPIC_EXCEPTION = 17;
const INVALID_REQUIRED_ACKS = 21;
const INT32_MAX = 2_147_483_647;

function failure(
  index: number,
  errorCode: number,
  errorMessage: string | null,
  extra: Partial<PartitionResponse> = {},
): PartitionResponse {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage,
    ...extra,
  };
}

function producePartition(
  topic: Topic | undefined,
  index: number,
  records: Buffer | null,
  acks: number,
  ctx: HandlerContext,
  transactionalId: string | null = null,
): PartitionResponse {
  const log = topic?.partitions[index];
  if (!topic || !log)
    return failure(index, UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
  // Before any look at the batch, with no errorMessage, as Kafka 4.1.1 answers (ReplicaManager
  // appendToLocalLog; conformance/scenarios/internal-topics.ts).
  if (topic.isInternal) return failure(index, INVALID_TOPIC_EXCEPTION, null);
  // Only the leader appends (issue 16); v10+ names the current leader (KIP-951).
  const currentLeader = notLeader(ctx, topic, index);
  if (currentLeader) return failure(index, NOT_LEADER_OR_FOLLOWER, null, { currentLeader });
  // acks=all with the ISR below min.insync.replicas: refused before the append (issue 16).
  if (acks === -1 && tooFewInSync(ctx, topic, index)) return failure(index, NOT_ENOUGH_REPLICAS, null);
  const { cluster } = ctx;
  const window = timestampWindow(topic, cluster);
  const v = validateProduceRecords(records, {
    produceVersion: ctx.version,
    maxMessageBytes: maxMessageBytes(topic, cluster),
    compacted: isCompacted(topic, cluster),
    logAppendTimeTopic: isLogAppendTime(topic, cluster),
    now: ctx.now(),
    timestampBeforeMaxMs: window.beforeMs,
    timestampAfterMaxMs: window.afterMs,
  });
  if (!v.ok) {
    return failure(index, v.errorCode, v.message, {
      recordErrors: (v.recordErrors ?? []).map((e) => ({
        batchIndex: e.batchIndex,
        batchIndexErrorMessage: e.message,
      })),
      // Per-record errors come from LogValidator inside the partition's log, so, as for producer-state
      // errors below, Kafka's answer carries the log start offset (ReplicaManager's
      // RecordValidationException case; seen from Apache Kafka 4.1.1 in
      // conformance/scenarios/message-timestamps.ts).
      ...(v.recordErrors ? { logStartOffset: BigInt(log.logStartOffset) } : {}),
    });
  }
  if (acks !== 0 && acks !== 1 && acks !== -1) {
    return failure(index, INVALID_REQUIRED_ACKS, 'Invalid required acks');
  }
  const h = v.batch.header;
  const idempotent = h.producerId >= 0n;
  const producerId = Number(h.producerId);
  const txnRefusal = transactionalRefusal(
    h.isTransactional,
    transactionalId,
    producerId,
    h.producerEpoch,
    log,
    ctx,
  );
  if (txnRefusal) return failure(index, txnRefusal.errorCode, txnRefusal.message);
  const lastSeq =
    h.baseSequence > INT32_MAX - h.lastOffsetDelta
      ? h.baseSequence + h.lastOffsetDelta - INT32_MAX - 1
      : h.baseSequence + h.lastOffsetDelta;
  if (idempotent) {
    const check = cluster.producerIds.check(
      producerId,
      h.producerEpoch,
      topic.name,
      index,
      h.baseSequence,
      lastSeq,
    );
    // Producer-state errors come from inside the partition's log, so Kafka's answer carries its log
    // start offset (ReplicaManager: unknownLogAppendInfoWithLogStartOffset; seen from Apache Kafka
    // 4.1.1 in conformance/scenarios/idempotent-retry.ts).
    if (check.kind === 'error')
      return failure(index, check.errorCode, check.errorMessage, {
        logStartOffset: BigInt(log.logStartOffset),
      });
    if (check.kind === 'duplicate') {
      ctx.log(
        `${topic.name}-${index}: duplicate of producer ${producerId} seq ${h.baseSequence}-${lastSeq}, answered with offset ${check.batch.baseOffset}`,
      );
      return {
        index,
        errorCode: 0,
        baseOffset: BigInt(check.batch.baseOffset),
        logAppendTimeMs: BigInt(check.batch.timestamp ?? check.batch.logAppendTime),
        logStartOffset: BigInt(log.logStartOffset),
        recordErrors: [],
        errorMessage: null,
      };
    }
  }
  // The producer's transaction is open in this log from its first batch: the LSO stops there.
  if (h.isTransactional) log.beginTransaction(producerId, log.logEndOffset);
  const stored = log.append({
    bytes: v.batch.bytes,
    recordCount: h.recordsCount,
    maxTimestamp: v.batch.maxTimestamp,
    maxTimestampDelta: v.batch.maxTimestampDelta,
  });
  if (idempotent) {
    cluster.producerIds.record(producerId, h.producerEpoch, topic.name, index, {
      firstSeq: h.baseSequence,
      lastSeq,
      baseOffset: stored.baseOffset,
      lastOffset: stored.lastOffset,
      logAppendTime: v.batch.logAppendTime,
      timestamp: v.batch.logAppendTime >= 0 ? v.batch.logAppendTime : v.batch.maxTimestamp,
    });
  }
  return {
    index,
    errorCode: 0,
    baseOffset: BigInt(stored.baseOffset),
    logAppendTimeMs: BigInt(v.batch.logAppendTime),
    logStartOffset: BigInt(log.logStartOffset),
    recordErrors: [],
    errorMessage: null,
  };
}

/**
 * Transactional batches are accepted only from the current epoch of a producer whose transaction
 * holds this partition: Kafka's partition leader asks the coordinator (AddPartitionsToTxnManager,
 * KIP-890 part 1) and translates its answer — PRODUCER_FENCED → INVALID_PRODUCER_EPOCH (47), not in
 * the transaction → INVALID_TXN_STATE (48; TRANSACTION_ABORTABLE 120 on v11+), markers being written →
 * NOT_ENOUGH_REPLICAS (19, retriable for every client). A plain idempotent batch from a producer
 * with a transaction open here → INVALID_TXN_STATE (ProducerAppendInfo).
 */
function transactionalRefusal(
  transactional: boolean,
  transactionalId: string | null,
  producerId: number,
  producerEpoch: number,
  log: PartitionLog,
  ctx: HandlerContext,
): { errorCode: number; message: string | null } | undefined {
  if (!transactional) {
    if (producerId >= 0 && log.ongoingTransactions.has(producerId)) {
      return {
        errorCode: TxnErrors.INVALID_TXN_STATE,
        message: `Expected transactional write from producer ${producerId} at offset ${log.logEndOffset} in partition ${log.topic}-${log.partition}`,
      };
    }
    return undefined;
  }
  // transaction.partition.verification.enable=false: appended without asking the coordinator.
  if (!ctx.cluster.config.transactionPartitionVerificationEnable) return undefined;
  const code = transactionsOf(ctx.cluster).verifyProduce(
    transactionalId,
    producerId,
    producerEpoch,
    log.topic,
    log.partition,
  );
  if (code === TxnErrors.TRANSACTION_ABORTABLE && ctx.version >= 12 && transactionalId !== null) {
    const added = transactionsOf(ctx.cluster).addPartitions({ transactionalId, producerId, producerEpoch }, [
      { topic: log.topic, partition: log.partition },
    ]);
    if (added === TxnErrors.NONE) return undefined;
    return {
      errorCode: added === TxnErrors.PRODUCER_FENCED ? TxnErrors.INVALID_PRODUCER_EPOCH : added,
      message: null,
    };
  }
  switch (code) {
    case TxnErrors.NONE:
      return undefined;
    case TxnErrors.PRODUCER_FENCED:
      return { errorCode: TxnErrors.INVALID_PRODUCER_EPOCH, message: null };
    case TxnErrors.TRANSACTION_ABORTABLE:
      return ctx.version >= 11
        ? { errorCode: TxnErrors.TRANSACTION_ABORTABLE, message: null }
        : { errorCode: TxnErrors.INVALID_TXN_STATE, message: 'Partition was not added to the transaction' };
    case TxnErrors.CONCURRENT_TRANSACTIONS:
      return {
        errorCode: TxnErrors.NOT_ENOUGH_REPLICAS,
        message:
          'Unable to verify the partition has been added to the transaction. Underlying error: CONCURRENT_TRANSACTIONS',
      };
    default:
      return { errorCode: code, message: null };
  }
}

export default defineHandler({
  api: Produce,
  // Record format v2 only: v0-2 would carry message sets v0/v1 (KIP-896).
  versions: declaredVersions(Produce, 3, 12),
  handle(request, ctx) {
    const startedAt = performance.now();
    let failed = false;
    // ACLs (KafkaApis.handleProduceRequest): transactional batches need WRITE on the transactional
    // id, refused for the whole request; then WRITE on each topic, before it is looked up.
    const txnId = request.transactionalId;
    const txnRefused =
      request.topicData.some((t) =>
        t.partitionData.some((p) => hasTransactionalBatch(p.records as Buffer | null)),
      ) &&
      (txnId === null || !authorize(ctx, 'WRITE', 'TRANSACTIONAL_ID', txnId));
    const responses = request.topicData.map((t) => {
      const refused = txnRefused
        ? TRANSACTIONAL_ID_AUTHORIZATION_FAILED
        : authorize(ctx, 'WRITE', 'TOPIC', t.name)
          ? 0
          : TOPIC_AUTHORIZATION_FAILED;
      if (refused !== 0) {
        failed = true;
        return {
          name: t.name,
          partitionResponses: t.partitionData.map((p) => failure(p.index, refused, null)),
        };
      }
      const topic = ctx.cluster.topics.get(t.name);
      return {
        name: t.name,
        partitionResponses: t.partitionData.map((p) => {
          const r = producePartition(
            topic,
            p.index,
            p.records as Buffer | null,
            request.acks,
            ctx,
            request.transactionalId,
          );
          if (r.errorCode !== 0) failed = true;
          return r;
        }),
      };
    });
    if (request.acks === 0) return failed ? CLOSE_CONNECTION : NO_RESPONSE;
    // acks=all: answered once the high watermark passes the records (cluster/replication.ts).
    const replicated =
      request.acks === -1
        ? awaitReplication(ctx, request.topicData, responses, request.timeoutMs)
        : undefined;
    // KIP-951: the endpoints of the leaders named in currentLeader (v10+; tagged, so empty is absent).
    const leaders = responses.flatMap((t) =>
      t.partitionResponses.flatMap((p) =>
        p.errorCode === NOT_LEADER_OR_FOLLOWER && p.currentLeader?.leaderId !== undefined
          ? [p.currentLeader.leaderId]
          : [],
      ),
    );
    const nodeEndpoints =
      ctx.version >= 10 && leaders.length > 0 ? nodeEndpointsFor(ctx, leaders) : undefined;
    // producer_byte_rate / request_percentage (quota-enforcement.ts); the server mutes the connection.
    const answer = () => ({
      responses,
      throttleTimeMs: produceThrottleMs(ctx, request, startedAt),
      ...(nodeEndpoints ? { nodeEndpoints } : {}),
    });
    return replicated ? replicated.then(answer) : answer();
  },
  errorResponse(request, errorCode) {
    if (request.acks === 0) return CLOSE_CONNECTION;
    return {
      responses: request.topicData.map((t) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => failure(p.index, errorCode, null)),
      })),
      throttleTimeMs: 0,
    };
  },
});
