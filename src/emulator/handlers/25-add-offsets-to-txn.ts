/**
 * AddOffsetsToTxn: v0-4
 *
 * Behaviour:
 * - Adds the group's __consumer_offsets partition (Java's groupId.hashCode() mod
 *   offsets.topic.num.partitions) to the producer's transaction, as Kafka does, so that the
 *   transaction's end decides its TxnOffsetCommit offsets; the same checks and codes as
 *   AddPartitionsToTxn (49, 90, 51).
 *
 * Version notes:
 * - v2 brought PRODUCER_FENCED (90); v0-1 answer INVALID_PRODUCER_EPOCH (47). v3 flexible; v4 is
 *   KIP-890's marker that the client understands TRANSACTION_ABORTABLE (nothing changes here).
 */
import { AddOffsetsToTxn } from '../../protocol/messages/25-add-offsets-to-txn.js';
import { declaredVersions, defineHandler } from '../handler.js';
import {
  authorize,
  GROUP_AUTHORIZATION_FAILED,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { TxnErrors as E, transactionsOf } from '../state/transactions/index.js';

export default defineHandler({
  api: AddOffsetsToTxn,
  versions: declaredVersions(AddOffsetsToTxn),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleAddOffsetsToTxnRequest): WRITE on the transactional id, READ on the group.
    if (!authorize(ctx, 'WRITE', 'TRANSACTIONAL_ID', request.transactionalId))
      return { throttleTimeMs: 0, errorCode: TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    if (!authorize(ctx, 'READ', 'GROUP', request.groupId))
      return { throttleTimeMs: 0, errorCode: GROUP_AUTHORIZATION_FAILED };
    let errorCode = transactionsOf(ctx.cluster).addOffsets(
      {
        transactionalId: request.transactionalId,
        producerId: Number(request.producerId),
        producerEpoch: request.producerEpoch,
      },
      request.groupId,
    );
    if (ctx.version < 2 && errorCode === E.PRODUCER_FENCED) errorCode = E.INVALID_PRODUCER_EPOCH;
    return { throttleTimeMs: 0, errorCode };
  },
});
