/**
 * EndTxn: v0-5
 *
 * Behaviour:
 * - committed true/false ends the open transaction: a COMMIT or ABORT marker is written into every
 *   partition of it, and its TxnOffsetCommit offsets are committed or dropped, before the answer
 *   (Kafka answers once PrepareCommit is durable and writes the markers right after).
 * - Unknown id or producer id → INVALID_PRODUCER_ID_MAPPING (49); another epoch → PRODUCER_FENCED (90);
 *   no open transaction (Empty), or commit after abort and the reverse → INVALID_TXN_STATE (48); a
 *   retry of the same end once done → success; while its markers are being written →
 *   CONCURRENT_TRANSACTIONS (51).
 *
 * Version notes:
 * - v2 brought PRODUCER_FENCED; v0-1 answer INVALID_PRODUCER_EPOCH (47). v3 flexible. v4 is KIP-890's
 *   "the client understands TRANSACTION_ABORTABLE".
 * - v5 (KIP-890 part 2) tells the coordinator the producer uses transactions V2: the epoch is bumped
 *   at every EndTxn (the markers carry the new one) and the answer returns it; a retry with the
 *   previous epoch of an end already done gets the same answer. Clients use it when the broker
 *   finalizes transaction.version 2, which the emulator does as a fresh Kafka 4.1.1 (../features.ts):
 *   Java's 4.x producer does, kafkajs (no feature support) keeps to v1-v4.
 */
import { EndTxn } from '../../protocol/messages/26-end-txn.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, TRANSACTIONAL_ID_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { TxnErrors as E, transactionsOf } from '../state/transactions/index.js';

export default defineHandler({
  api: EndTxn,
  versions: declaredVersions(EndTxn, 0, 5),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleEndTxnRequest): WRITE on the transactional id.
    if (!authorize(ctx, 'WRITE', 'TRANSACTIONAL_ID', request.transactionalId))
      return {
        throttleTimeMs: 0,
        errorCode: TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        producerId: -1n,
        producerEpoch: -1,
      };
    const r = transactionsOf(ctx.cluster).endTxn({
      transactionalId: request.transactionalId,
      producerId: Number(request.producerId),
      producerEpoch: request.producerEpoch,
      committed: request.committed,
      transactionV2: ctx.version >= 5,
    });
    ctx.log(
      `EndTxn ${JSON.stringify(request.transactionalId)} ${request.committed ? 'commit' : 'abort'}: ${r.errorCode === 0 ? 'done' : `error ${r.errorCode}`}`,
    );
    const errorCode =
      ctx.version < 2 && r.errorCode === E.PRODUCER_FENCED ? E.INVALID_PRODUCER_EPOCH : r.errorCode;
    return { throttleTimeMs: 0, errorCode, producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch };
  },
});
