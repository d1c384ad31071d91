/**
 * FindCoordinator: v0-6
 *
 * Behaviour:
 * - This single broker coordinates every group and every transactional id, so each key is answered
 *   with this node's id and advertised address.
 * - A group key starts the group coordinator: __consumer_offsets is created (offsets.topic.num.partitions
 *   partitions) if it does not exist, and Metadata lists it from then on. Kafka answers that first
 *   FindCoordinator COORDINATOR_NOT_AVAILABLE (15) while it creates the topic; this broker has it at
 *   once and answers with this node (SKIPPED.md). Group state stays in
 *   state/groups; nothing is written to the topic.
 * - A transaction key does the same for __transaction_state (transaction.state.log.num.partitions);
 *   transaction state stays in state/transactions.
 * - A key type other than 0 (group) or 1 (transaction) — and 2 (share group) before v6 — is
 *   INVALID_REQUEST (42), as Kafka's CoordinatorType.forId refuses it.
 *
 * Version notes:
 * - v0 has no key type (always a group); v1 adds keyType, errorMessage and throttle time; v3 goes
 *   flexible; v4+ (KIP-699) answers a batch of coordinatorKeys in coordinators[] instead of one key.
 */
import { FindCoordinator } from '../../protocol/messages/10-find-coordinator.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC } from '../state/topics.js';

const INVALID_REQUEST = 42;
const GROUP_KEY_TYPE = 0;
const TRANSACTION_KEY_TYPE = 1;

export default defineHandler({
  api: FindCoordinator,
  versions: declaredVersions(FindCoordinator),
  handle(request, ctx) {
    const { nodeId, host, port } = ctx.cluster.broker;
    const knownType =
      request.keyType === 0 || request.keyType === 1 || (request.keyType === 2 && ctx.version >= 6);
    if (request.keyType === GROUP_KEY_TYPE && !ctx.cluster.topics.get(GROUP_METADATA_TOPIC)) {
      const n = ctx.cluster.config.offsetsTopicNumPartitions;
      if (ctx.cluster.topics.ensureGroupMetadataTopic(n).errorCode === 0)
        ctx.log(`group coordinator started: created ${GROUP_METADATA_TOPIC} (${n} partitions)`);
    }
    if (request.keyType === TRANSACTION_KEY_TYPE && !ctx.cluster.topics.get(TRANSACTION_STATE_TOPIC)) {
      const n = ctx.cluster.config.transactionStateLogNumPartitions;
      if (ctx.cluster.topics.ensureTransactionStateTopic(n).errorCode === 0)
        ctx.log(`transaction coordinator started: created ${TRANSACTION_STATE_TOPIC} (${n} partitions)`);
    }
    const errorCode = knownType ? 0 : INVALID_REQUEST;
    const errorMessage = knownType ? null : `Unknown coordinator type ${request.keyType}`;
    if (ctx.version >= 4) {
      return {
        throttleTimeMs: 0,
        coordinators: request.coordinatorKeys.map((key) =>
          knownType
            ? { key, nodeId, host, port, errorCode, errorMessage }
            : { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage },
        ),
      };
    }
    if (!knownType) return { throttleTimeMs: 0, errorCode, errorMessage, nodeId: -1, host: '', port: -1 };
    return { throttleTimeMs: 0, errorCode, errorMessage, nodeId, host, port };
  },
});
