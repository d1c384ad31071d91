/**
 * InitProducerId: v0-5
 *
 * Behaviour:
 * - Without a transactional id (an idempotent producer), hands out a fresh producer id with epoch 0
 *   every time, as Kafka's TransactionCoordinator does for a null transactional id.
 * - With one: the transaction coordinator (state/transactions). A new id gets a producer id and
 *   epoch 0; a re-init bumps the epoch, which fences the older producer. An open transaction is
 *   aborted first (its producer fenced) and this request answered CONCURRENT_TRANSACTIONS (51), so the
 *   client retries and gets the epoch bumped once more; PrepareCommit/PrepareAbort → 51 too.
 * - '' → INVALID_REQUEST (42); transactionTimeoutMs ≤ 0 or > transaction.max.timeout.ms (900000) →
 *   INVALID_TRANSACTION_TIMEOUT (50).
 *
 * Version notes:
 * - v3+ (KIP-360) a producer may send its current id/epoch to have the epoch bumped: a stale one →
 *   PRODUCER_FENCED (90); only one of the two set → INVALID_REQUEST. With no transactional id Kafka
 *   still allocates a new id, and so do we.
 * - v4 brought PRODUCER_FENCED; before it Kafka answers INVALID_PRODUCER_EPOCH (47) instead
 *   (KafkaApis.handleInitProducerIdRequest).
 */
import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import { declaredVersions, defineHandler } from '../handler.js';
import {
  authorize,
  authorizeAny,
  authorizeCluster,
  CLUSTER_AUTHORIZATION_FAILED,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { TxnErrors as E, transactionsOf } from '../state/transactions/index.js';

export default defineHandler({
  api: InitProducerId,
  versions: declaredVersions(InitProducerId),
  handle(request, ctx) {
    const fail = (errorCode: number) => ({
      throttleTimeMs: 0,
      errorCode,
      producerId: -1n,
      producerEpoch: -1,
    });
    // ACLs (KafkaApis.handleInitProducerIdRequest): WRITE on the transactional id; an idempotent
    // producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic (KIP-679).
    if (request.transactionalId !== null) {
      if (!authorize(ctx, 'WRITE', 'TRANSACTIONAL_ID', request.transactionalId))
        return fail(TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    } else if (!authorizeCluster(ctx, 'IDEMPOTENT_WRITE') && !authorizeAny(ctx, 'WRITE', 'TOPIC')) {
      return fail(CLUSTER_AUTHORIZATION_FAILED);
    }
    const producerId = Number(request.producerId);
    const producerEpoch = request.producerEpoch;
    const given = producerId !== -1 || producerEpoch !== -1;
    if (given && (producerId === -1 || producerEpoch === -1)) return fail(E.INVALID_REQUEST);
    if (request.transactionalId === null) {
      const allocated = ctx.cluster.producerIds.allocate();
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        producerId: BigInt(allocated.producerId),
        producerEpoch: allocated.producerEpoch,
      };
    }
    const r = transactionsOf(ctx.cluster).initProducerId({
      transactionalId: request.transactionalId,
      transactionTimeoutMs: request.transactionTimeoutMs,
      expected: given ? { producerId, producerEpoch } : undefined,
    });
    if (r.errorCode !== 0) {
      ctx.log(`InitProducerId ${JSON.stringify(request.transactionalId)}: error ${r.errorCode}`);
      return fail(
        ctx.version < 4 && r.errorCode === E.PRODUCER_FENCED ? E.INVALID_PRODUCER_EPOCH : r.errorCode,
      );
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      producerId: BigInt(r.producerId),
      producerEpoch: r.producerEpoch,
    };
  },
});
