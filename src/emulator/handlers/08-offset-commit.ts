/**
 * OffsetCommit: v0-9
 *
 * Behaviour:
 * - One group-level decision (ClassicGroup.validateOffsetCommit), then a code per partition:
 *   a current-generation member commits while Stable or PreparingRebalance (commit-on-revoke);
 *   CompletingRebalance → REBALANCE_IN_PROGRESS (27); generation -1 with no member id only for an
 *   Empty or unknown group (an unknown one becomes a simple Empty group), else UNKNOWN_MEMBER_ID
 *   (25); stale generation → ILLEGAL_GENERATION (22); FENCED_INSTANCE_ID (82).
 * - An unknown group with a generation ≥ 0: GROUP_ID_NOT_FOUND (69) on v9+, ILLEGAL_GENERATION before.
 * - A KIP-848 consumer group (ConsumerGroup.validateOffsetCommit): without a member epoch only while
 *   Empty; an unknown member → UNKNOWN_MEMBER_ID (25); below v9 → UNSUPPORTED_VERSION (35); an epoch
 *   other than the member's current one → STALE_MEMBER_EPOCH (113).
 * - Per partition: metadata over 4096 characters → OFFSET_METADATA_TOO_LARGE (12); a topic this
 *   broker does not have → UNKNOWN_TOPIC_OR_PARTITION (3), as KafkaApis checks its metadata cache.
 *
 * Version notes:
 * - v0 has no generation or member id (always the simple path); v1 adds them and a per-partition
 *   commitTimestamp (ignored: the broker's time is stored); v2-4 a retentionTimeMs (other than -1:
 *   the offset expires that long after the commit, whatever its group does, as Kafka keeps it;
 *   otherwise offsets.retention.minutes applies, state/offsets-expiry.ts); v6 leader epochs; v7 groupInstanceId; v8 flexible; v9
 *   (KIP-848) the generation field carries a consumer group member's epoch.
 */
import { OffsetCommit } from '../../protocol/messages/08-offset-commit.js';
import { declaredVersions, defineHandler } from '../handler.js';
import {
  authorize,
  GROUP_AUTHORIZATION_FAILED,
  refuseAll,
  splitTopicsByAuthorization,
} from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf, offsetsOf } from '../state/groups.js';

export default defineHandler({
  api: OffsetCommit,
  versions: declaredVersions(OffsetCommit),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleOffsetCommitRequest): READ on the group, else every partition is
    // refused; then READ on each topic.
    if (!authorize(ctx, 'READ', 'GROUP', request.groupId))
      return { throttleTimeMs: 0, topics: refuseAll(request.topics, GROUP_AUTHORIZATION_FAILED) };
    const { allowed, refused } = splitTopicsByAuthorization(ctx, 'READ', request.topics);
    const { topics } = ctx.cluster;
    const partitionExists = (topic: string) => topics.get(topic) !== undefined;
    const retentionTimeMs = ctx.version >= 2 && ctx.version <= 4 ? Number(request.retentionTimeMs) : -1;
    // A KIP-848 consumer group checks member id and member epoch itself; offsets are shared.
    const consumer = consumerGroupsOf(ctx.cluster).validateOffsetCommit({
      groupId: request.groupId,
      memberId: ctx.version >= 1 ? request.memberId : '',
      memberEpoch: ctx.version >= 1 ? request.generationIdOrMemberEpoch : -1,
      apiVersion: ctx.version,
    });
    if (consumer !== undefined) {
      const topicsOut =
        consumer.errorCode === 0
          ? offsetsOf(ctx.cluster).commit(request.groupId, allowed, {
              now: ctx.now(),
              partitionExists,
              retentionTimeMs,
            })
          : allowed.map((t) => ({
              name: t.name,
              partitions: t.partitions.map((p) => ({
                partitionIndex: p.partitionIndex,
                errorCode: consumer.errorCode,
              })),
            }));
      return { throttleTimeMs: 0, topics: [...refused, ...topicsOut] };
    }
    const results = groupsOf(ctx.cluster).commitOffsets({
      groupId: request.groupId,
      generationId: ctx.version >= 1 ? request.generationIdOrMemberEpoch : -1,
      memberId: ctx.version >= 1 ? request.memberId : '',
      groupInstanceId: ctx.version >= 7 ? request.groupInstanceId : null,
      groupIdNotFoundSupported: ctx.version >= 9,
      topics: allowed,
      partitionExists,
      retentionTimeMs,
    });
    return { throttleTimeMs: 0, topics: [...refused, ...results] };
  },
});
