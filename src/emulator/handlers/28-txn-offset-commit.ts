/**
 * TxnOffsetCommit: v0-5
 *
 * Behaviour:
 * - Offsets committed inside a transaction stay pending — OffsetFetch does not see them (and with
 *   requireStable answers UNSTABLE_OFFSET_COMMIT) — until EndTxn commits them; an abort drops them.
 * - Per partition, in Kafka's order: a topic or partition this broker does not have →
 *   UNKNOWN_TOPIC_OR_PARTITION (3); then the transaction check (what Kafka's group coordinator asks
 *   the transaction coordinator since KIP-890): unknown producer id → INVALID_PRODUCER_ID_MAPPING
 *   (49), stale epoch → INVALID_PRODUCER_EPOCH (47), the group not added with AddOffsetsToTxn →
 *   INVALID_TXN_STATE (48) before v5 (v5 adds it, see below), markers being written →
 *   NOT_ENOUGH_REPLICAS (19, Kafka's retriable stand-in); then the group membership rules of
 *   OffsetCommit (UNKNOWN_MEMBER_ID 25, ILLEGAL_GENERATION 22, FENCED_INSTANCE_ID 82, …) — for a
 *   KIP-848 consumer group ConsumerGroup.validateOffsetCommit with isTransactional: the generation
 *   is the member epoch, any TxnOffsetCommit version, and another epoch's STALE_MEMBER_EPOCH is
 *   answered as ILLEGAL_GENERATION (22), as OffsetMetadataManager.validateTransactionalOffsetCommit
 *   does (the producer's TxnOffsetCommit handler knows only that one: abortable);
 *   metadata over 4096 characters → OFFSET_METADATA_TOO_LARGE (12).
 *
 * Version notes:
 * - v2 per-partition leader epochs; v3 (KIP-447) generationId, memberId, groupInstanceId so the group
 *   coordinator can fence zombies by generation; flexible. v5 understands TRANSACTION_ABORTABLE and is
 *   transactions V2's: the group joins the transaction here when no AddOffsetsToTxn added it.
 */
import { TxnOffsetCommit } from '../../protocol/messages/28-txn-offset-commit.js';
import { declaredVersions, defineHandler } from '../handler.js';
import {
  authorize,
  GROUP_AUTHORIZATION_FAILED,
  refuseAll,
  splitTopicsByAuthorization,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf } from '../state/groups.js';
import { OFFSET_METADATA_MAX_BYTES } from '../state/offsets.js';
import { TxnErrors as E, transactionsOf } from '../state/transactions/index.js';

const OFFSET_METADATA_TOO_LARGE = 12;
const ILLEGAL_GENERATION = 22;
const STALE_MEMBER_EPOCH = 113;

/** How Kafka's Produce/TxnOffsetCommit path turns the coordinator's verification codes into its own. */
function translated(code: number, version: number): number {
  if (code === E.PRODUCER_FENCED) return E.INVALID_PRODUCER_EPOCH;
  if (code === E.TRANSACTION_ABORTABLE && version < 5) return E.INVALID_TXN_STATE;
  if (code === E.CONCURRENT_TRANSACTIONS) return E.NOT_ENOUGH_REPLICAS;
  return code;
}

export default defineHandler({
  api: TxnOffsetCommit,
  versions: declaredVersions(TxnOffsetCommit),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleTxnOffsetCommitRequest): WRITE on the transactional id, else READ on the
    // group, refuse every partition; READ on each topic.
    const refusedAll = !authorize(ctx, 'WRITE', 'TRANSACTIONAL_ID', request.transactionalId)
      ? TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : !authorize(ctx, 'READ', 'GROUP', request.groupId)
        ? GROUP_AUTHORIZATION_FAILED
        : 0;
    if (refusedAll !== 0) return { throttleTimeMs: 0, topics: refuseAll(request.topics, refusedAll) };
    const { allowed, refused } = splitTopicsByAuthorization(ctx, 'READ', request.topics);
    const { topics } = ctx.cluster;
    const txns = transactionsOf(ctx.cluster);
    const ref = {
      transactionalId: request.transactionalId,
      producerId: Number(request.producerId),
      producerEpoch: request.producerEpoch,
    };
    let verified = txns.verifyOffsetCommit(ref, request.groupId);
    // Transactions V2 (KIP-890 part 2): a v5 client sends no AddOffsetsToTxn; the group coordinator's
    // verification adds the group's offsets partition itself (Kafka's addPartition operation for
    // TxnOffsetCommit v5+, as for Produce v12+).
    if (verified === E.TRANSACTION_ABORTABLE && ctx.version >= 5)
      verified = txns.addOffsets(ref, request.groupId);
    const txnCode = translated(verified, ctx.version);
    // A KIP-848 group checks member id and epoch itself (Kafka's OffsetMetadataManager asks the
    // group, whatever its type); undefined: not a consumer group, the classic coordinator decides.
    const consumerGroup =
      txnCode !== E.NONE
        ? undefined
        : consumerGroupsOf(ctx.cluster).validateOffsetCommit({
            groupId: request.groupId,
            memberId: ctx.version >= 3 ? request.memberId : '',
            memberEpoch: ctx.version >= 3 ? request.generationId : -1,
            apiVersion: ctx.version,
            transactional: true,
          });
    const groupCode =
      txnCode !== E.NONE
        ? txnCode
        : consumerGroup !== undefined
          ? consumerGroup.errorCode === STALE_MEMBER_EPOCH
            ? ILLEGAL_GENERATION
            : consumerGroup.errorCode
          : groupsOf(ctx.cluster).validateOffsetCommit({
              groupId: request.groupId,
              generationId: ctx.version >= 3 ? request.generationId : -1,
              memberId: ctx.version >= 3 ? request.memberId : '',
              groupInstanceId: ctx.version >= 3 ? request.groupInstanceId : null,
              groupIdNotFoundSupported: false,
            });
    const accepted: {
      topic: string;
      partition: number;
      offset: bigint;
      leaderEpoch: number;
      metadata: string;
    }[] = [];
    const results = allowed.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const known = topics.get(t.name)?.partitions[p.partitionIndex] !== undefined;
        let errorCode: number = known ? groupCode : E.UNKNOWN_TOPIC_OR_PARTITION;
        const metadata = p.committedMetadata ?? '';
        if (errorCode === E.NONE && metadata.length > OFFSET_METADATA_MAX_BYTES)
          errorCode = OFFSET_METADATA_TOO_LARGE;
        if (errorCode === E.NONE) {
          accepted.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: p.committedOffset,
            leaderEpoch: ctx.version >= 2 ? p.committedLeaderEpoch : -1,
            metadata,
          });
        }
        return { partitionIndex: p.partitionIndex, errorCode };
      }),
    }));
    if (accepted.length > 0) txns.addPendingOffsets(request.transactionalId, request.groupId, accepted);
    return { throttleTimeMs: 0, topics: [...refused, ...results] };
  },
});
