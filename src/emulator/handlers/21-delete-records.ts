/**
 * DeleteRecords: v0-2
 *
 * Behaviour:
 * - Moves each partition's log start offset up to the given offset (ReplicaManager.deleteRecords →
 *   Partition.deleteRecordsOnLeader → UnifiedLog.maybeIncrementLogStartOffset) and answers the new
 *   low watermark — with one replica, the log start offset itself. Never moves it back: an offset
 *   below it answers the current one. -1 means the high watermark.
 * - Offset past the high watermark, or negative other than -1 → OFFSET_OUT_OF_RANGE (1), low
 *   watermark -1. Records go from Fetch and ListOffsets EARLIEST at once; their segments are dropped
 *   at the next retention check (deleteLogStartOffsetBreachedSegments), as in Kafka.
 * - Unknown topic or partition → UNKNOWN_TOPIC_OR_PARTITION (3); then an internal topic →
 *   INVALID_TOPIC_EXCEPTION (17); cleanup.policy without delete (compact only) → POLICY_VIOLATION (44).
 * - No purgatory: a single broker's low watermark is there at once, so timeoutMs never waits.
 *
 * Version notes:
 * - v1 throttles after answering (KIP-219); v2 flexible. Same fields throughout.
 */
import { DeleteRecords } from '../../protocol/messages/21-delete-records.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { authorize, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { topicConfigValue } from '../state/configs.js';
import { INTERNAL_TOPICS } from '../state/topics.js';

type PartitionResult = NonNullable<
  NonNullable<ResponseOf<typeof DeleteRecords>['topics']>[number]['partitions']
>[number];

const OFFSET_OUT_OF_RANGE = 1;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const INVALID_TOPIC_EXCEPTION = 17;
const POLICY_VIOLATION = 44;
/** DeleteRecordsRequest.HIGH_WATERMARK */
const HIGH_WATERMARK = -1;

export default defineHandler({
  api: DeleteRecords,
  versions: declaredVersions(DeleteRecords),
  handle(request, ctx) {
    const { cluster } = ctx;
    const topics = request.topics.map((t) => {
      // ACLs (KafkaApis.handleDeleteRecordsRequest): DELETE on the topic, before it is looked up.
      if (!authorize(ctx, 'DELETE', 'TOPIC', t.name))
        return {
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: TOPIC_AUTHORIZATION_FAILED,
          })),
        };
      const topic = cluster.topics.get(t.name);
      const partitions = t.partitions.map((p): PartitionResult => {
        const failed = (errorCode: number) => ({
          partitionIndex: p.partitionIndex,
          lowWatermark: -1n,
          errorCode,
        });
        // KafkaApis asks the metadata cache first, ReplicaManager then refuses internal topics.
        const log = topic?.partitions[p.partitionIndex];
        if (!topic || !log) return failed(UNKNOWN_TOPIC_OR_PARTITION);
        if (INTERNAL_TOPICS.has(t.name)) return failed(INVALID_TOPIC_EXCEPTION);
        const policy = topicConfigValue(topic, 'cleanup.policy', cluster).split(',');
        if (!policy.map((s) => s.trim()).includes('delete')) return failed(POLICY_VIOLATION);
        const requested = p.offset === BigInt(HIGH_WATERMARK) ? log.highWatermark : Number(p.offset);
        if (requested < 0) return failed(OFFSET_OUT_OF_RANGE);
        const refused = log.maybeIncrementLogStartOffset(requested);
        if (refused) {
          ctx.log(refused.message);
          return failed(refused.errorCode);
        }
        ctx.log(
          `${t.name}-${p.partitionIndex}: log start offset ${log.logStartOffset} (DeleteRecords to ${requested})`,
        );
        return { partitionIndex: p.partitionIndex, lowWatermark: BigInt(log.logStartOffset), errorCode: 0 };
      });
      return { name: t.name, partitions };
    });
    return { throttleTimeMs: 0, topics };
  },
  errorResponse(request, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          lowWatermark: -1n,
          errorCode,
        })),
      })),
    };
  },
});
