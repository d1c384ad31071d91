/**
 * FindCoordinator: v0-6
 *
 * Behaviour:
 * - A key is answered with the broker leading the partition it hashes to (cluster/coordinators.ts:
 *   Utils.abs(key.hashCode()) % partitions of __consumer_offsets or __transaction_state, as Kafka), by
 *   any broker; no live leader → COORDINATOR_NOT_AVAILABLE (15). Key type 2 (KIP-932's share
 *   coordinator, not emulated) is placed as a group key.
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
import { COORDINATOR_NOT_AVAILABLE, coordinatorOf } from '../cluster/coordinators.js';
import { declaredVersions, defineHandler } from '../handler.js';
import {
  authorize,
  GROUP_AUTHORIZATION_FAILED,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC } from '../state/topics.js';

const INVALID_REQUEST = 42;
const GROUP_KEY_TYPE = 0;
const TRANSACTION_KEY_TYPE = 1;

export default defineHandler({
  api: FindCoordinator,
  versions: declaredVersions(FindCoordinator),
  handle(request, ctx) {
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
    const kind = request.keyType === TRANSACTION_KEY_TYPE ? 'transaction' : 'group';
    const answer = (key: string) => {
      if (!knownType) return { nodeId: -1, host: '', port: -1, errorCode, errorMessage };
      // ACLs (KafkaApis.handleFindCoordinatorRequest): DESCRIBE on the group or transactional id.
      // Kafka 4.1.1 answers a refused v4+ key with an empty message.
      const refused =
        request.keyType === TRANSACTION_KEY_TYPE
          ? !authorize(ctx, 'DESCRIBE', 'TRANSACTIONAL_ID', key) && TRANSACTIONAL_ID_AUTHORIZATION_FAILED
          : request.keyType === GROUP_KEY_TYPE &&
            !authorize(ctx, 'DESCRIBE', 'GROUP', key) &&
            GROUP_AUTHORIZATION_FAILED;
      if (refused)
        return {
          nodeId: -1,
          host: '',
          port: -1,
          errorCode: refused,
          errorMessage:
            ctx.version >= 4
              ? ''
              : refused === GROUP_AUTHORIZATION_FAILED
                ? 'Group authorization failed.'
                : 'Transactional Id authorization failed.',
        };
      const b = coordinatorOf(ctx.cluster, kind, key);
      if (!b)
        return {
          nodeId: -1,
          host: '',
          port: -1,
          errorCode: COORDINATOR_NOT_AVAILABLE,
          errorMessage: 'The coordinator is not available.',
        };
      return {
        nodeId: b.nodeId,
        ...b.endpointFor(ctx.connection.security?.listener),
        errorCode,
        errorMessage,
      };
    };
    if (ctx.version >= 4) {
      return {
        throttleTimeMs: 0,
        coordinators: request.coordinatorKeys.map((key) => ({ key, ...answer(key) })),
      };
    }
    return { throttleTimeMs: 0, ...answer(request.key) };
  },
});
