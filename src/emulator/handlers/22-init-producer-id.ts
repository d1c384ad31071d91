/**
 * InitProducerId: v0-5
 *
 * Behaviour:
 * - Without a transactional id (an idempotent producer), hands out a fresh producer id with epoch 0
 *   every time, as Kafka's TransactionCoordinator does for a null transactional id.
 * - With a transactional id: transactions are not emulated (SKIPPED.md). Kafka has no code for "this
 *   broker has no transaction coordinator"; we answer UNSUPPORTED_VERSION (35), which every client
 *   treats as fatal with a message that points at the broker, rather than a retriable code that
 *   would make it retry for ever.
 *
 * Version notes:
 * - v3+ (KIP-360) lets an idempotent producer send its current id/epoch to bump the epoch; with no
 *   transactional id Kafka still allocates a new id, and so do we.
 */
import { InitProducerId } from '../../protocol/messages/22-init-producer-id.js';
import { declaredVersions, defineHandler } from '../handler.js';

const UNSUPPORTED_VERSION = 35;

export default defineHandler({
  api: InitProducerId,
  versions: declaredVersions(InitProducerId),
  handle(request, ctx) {
    if (request.transactionalId !== null) {
      ctx.log(`transactional id ${JSON.stringify(request.transactionalId)}: transactions are not emulated`);
      return { throttleTimeMs: 0, errorCode: UNSUPPORTED_VERSION, producerId: -1n, producerEpoch: -1 };
    }
    const { producerId, producerEpoch } = ctx.cluster.producerIds.allocate();
    return { throttleTimeMs: 0, errorCode: 0, producerId: BigInt(producerId), producerEpoch };
  },
});
