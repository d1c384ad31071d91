/**
 * AddPartitionsToTxn: v0-5
 *
 * Behaviour:
 * - Adds partitions to the producer's transaction (state/transactions); the first add begins the
 *   transaction (Ongoing) and starts its timeout. One code for every partition: unknown id or
 *   producer id → INVALID_PRODUCER_ID_MAPPING (49), stale epoch → PRODUCER_FENCED (90), markers being
 *   written → CONCURRENT_TRANSACTIONS (51).
 * - A partition this broker does not have → UNKNOWN_TOPIC_OR_PARTITION (3) for it and
 *   OPERATION_NOT_ATTEMPTED (55) for the others, nothing added (KafkaApis); an internal topic from a
 *   client (v0-3) → TOPIC_AUTHORIZATION_FAILED (29), as Kafka leaves it out of the authorised topics.
 *
 * Version notes:
 * - v0-3 are the client's form (one transaction at the top level); v2 brought PRODUCER_FENCED, which
 *   v0-1 answer as INVALID_PRODUCER_EPOCH (47).
 * - v4+ (KIP-890) are the broker's batched form: several transactions, each either added like v3 or,
 *   with verifyOnly, checked — a partition not in the transaction → TRANSACTION_ABORTABLE (120).
 *   With an authorizer, v4+ needs CLUSTER_ACTION on the cluster (CLUSTER_AUTHORIZATION_FAILED, 31,
 *   at the top), v0-3 WRITE on the transactional id and on each topic (security/authorize.ts).
 */
import { AddPartitionsToTxn } from '../../protocol/messages/24-add-partitions-to-txn.js';
import { declaredVersions, defineHandler, type HandlerContext } from '../handler.js';
import {
  authorize,
  authorizeCluster,
  CLUSTER_AUTHORIZATION_FAILED,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { TxnErrors as E, partitionKey, transactionsOf } from '../state/transactions/index.js';

interface TopicIn {
  name: string;
  partitions: number[];
}

type TopicResult = {
  name: string;
  resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[];
};

function uniform(
  topics: readonly TopicIn[],
  code: (topic: string, partition: number) => number,
): TopicResult[] {
  return topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: code(t.name, p) })),
  }));
}

function addOne(
  tx: {
    transactionalId: string;
    producerId: bigint;
    producerEpoch: number;
    verifyOnly: boolean;
    topics: TopicIn[];
  },
  ctx: HandlerContext,
): TopicResult[] {
  const { topics } = ctx.cluster;
  const exists = (t: string, p: number) => topics.get(t)?.partitions[p] !== undefined;
  // ACLs (KafkaApis.handleAddPartitionsToTxnRequest, v0-3): WRITE on the transactional id, else every
  // partition is refused; WRITE on each topic, refused like an internal topic.
  if (ctx.version < 4 && !authorize(ctx, 'WRITE', 'TRANSACTIONAL_ID', tx.transactionalId))
    return uniform(tx.topics, () => TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  const internalRefused = (t: string) =>
    ctx.version < 4 &&
    ((topics.get(t)?.isInternal ?? t.startsWith('__')) || !authorize(ctx, 'WRITE', 'TOPIC', t));
  const bad = tx.topics.some((t) => internalRefused(t.name) || t.partitions.some((p) => !exists(t.name, p)));
  if (bad) {
    // In request order; Kafka's order is its error maps' hash order, so arbitrary.
    return uniform(tx.topics, (t, p) =>
      internalRefused(t)
        ? E.TOPIC_AUTHORIZATION_FAILED
        : !exists(t, p)
          ? E.UNKNOWN_TOPIC_OR_PARTITION
          : E.OPERATION_NOT_ATTEMPTED,
    );
  }
  const ref = {
    transactionalId: tx.transactionalId,
    producerId: Number(tx.producerId),
    producerEpoch: tx.producerEpoch,
  };
  const partitions = tx.topics.flatMap((t) =>
    t.partitions.map((partition) => ({ topic: t.name, partition })),
  );
  const txns = transactionsOf(ctx.cluster);
  if (tx.verifyOnly) {
    const r = txns.verifyPartitions(ref, partitions);
    return uniform(tx.topics, (t, p) => (typeof r === 'number' ? r : (r.get(partitionKey(t, p)) ?? E.NONE)));
  }
  let code = txns.addPartitions(ref, partitions);
  if (ctx.version < 2 && code === E.PRODUCER_FENCED) code = E.INVALID_PRODUCER_EPOCH;
  return uniform(tx.topics, () => code);
}

export default defineHandler({
  api: AddPartitionsToTxn,
  versions: declaredVersions(AddPartitionsToTxn),
  handle(request, ctx) {
    if (ctx.version < 4) {
      const resultsByTopicV3AndBelow = addOne(
        {
          transactionalId: request.v3AndBelowTransactionalId,
          producerId: request.v3AndBelowProducerId,
          producerEpoch: request.v3AndBelowProducerEpoch,
          verifyOnly: false,
          topics: request.v3AndBelowTopics,
        },
        ctx,
      );
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow };
    }
    // ACLs (KafkaApis.handleAddPartitionsToTxnRequest): the brokers' batched form needs CLUSTER_ACTION.
    if (!authorizeCluster(ctx, 'CLUSTER_ACTION'))
      return { throttleTimeMs: 0, errorCode: CLUSTER_AUTHORIZATION_FAILED, resultsByTransaction: [] };
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: request.transactions.map((tx) => ({
        transactionalId: tx.transactionalId,
        topicResults: addOne(tx, ctx),
      })),
    };
  },
});
