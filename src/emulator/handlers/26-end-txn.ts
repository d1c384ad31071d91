/**
 * EndTxn: v0-4 (v5 is transactions V2, not served)
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
 * - v5 (KIP-890 part 2) tells the coordinator the producer uses transactions V2, which bumps the
 *   epoch at every EndTxn and returns the new one; this coordinator runs transactions V1 only, so
 *   v5 is not advertised and clients use the V1 flow (SKIPPED.md).
 */
import { EndTxn } from '../../protocol/messages/26-end-txn.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { TxnErrors as E, transactionsOf } from '../state/transactions/index.js';

export default defineHandler({
  api: EndTxn,
  versions: declaredVersions(EndTxn, 0, 4),
  handle(request, ctx) {
    const r = transactionsOf(ctx.cluster).endTxn({
      transactionalId: request.transactionalId,
      producerId: Number(request.producerId),
      producerEpoch: request.producerEpoch,
      committed: request.committed,
    });
    ctx.log(
      `EndTxn ${JSON.stringify(request.transactionalId)} ${request.committed ? 'commit' : 'abort'}: ${r.errorCode === 0 ? 'done' : `error ${r.errorCode}`}`,
    );
    const errorCode =
      ctx.version < 2 && r.errorCode === E.PRODUCER_FENCED ? E.INVALID_PRODUCER_EPOCH : r.errorCode;
    return { throttleTimeMs: 0, errorCode, producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch };
  },
});
