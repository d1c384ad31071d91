/**
 * CreatePartitions: v0-3
 *
 * Behaviour:
 * - Grows a topic to `count` partitions; new partitions are empty and led by this node.
 * - Unknown topic → UNKNOWN_TOPIC_OR_PARTITION (3); count equal to or below the current one →
 *   INVALID_PARTITIONS (37); a name twice in one request → INVALID_REQUEST (42); an assignment that
 *   names another broker → INVALID_REPLICA_ASSIGNMENT (39).
 * - validateOnly runs the checks and changes nothing.
 * - __consumer_offsets may be grown like any topic, as Kafka 4.1.1 allows.
 *
 * Version notes:
 * - v2+ is flexible; the fields are the same in every version.
 */
import { CreatePartitions } from '../../protocol/messages/37-create-partitions.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { TopicErrors } from '../state/topics.js';

type Result = ResponseOf<typeof CreatePartitions>['results'] extends (infer R)[] | undefined ? R : never;

const INVALID_REPLICA_ASSIGNMENT = 39;
const POLICY_VIOLATION = 44;
/**
 * Emulator guard, mirroring CreateTopics' MAX_PARTITIONS_PER_BATCH: one request may not add more than
 * this many partitions, so a single frame cannot make the process allocate millions of partition logs.
 */
const MAX_NEW_PARTITIONS_PER_REQUEST = 10_000;

export default defineHandler({
  api: CreatePartitions,
  versions: declaredVersions(CreatePartitions),
  handle(request, ctx) {
    const { topics, broker } = ctx.cluster;
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results: Result[] = [];
    const reported = new Set<string>();
    for (const t of request.topics) {
      if (reported.has(t.name)) continue;
      reported.add(t.name);
      if ((counts.get(t.name) ?? 0) > 1) {
        results.push({
          name: t.name,
          errorCode: TopicErrors.INVALID_REQUEST,
          errorMessage: 'Duplicate topic name.',
        });
        continue;
      }
      const current = topics.get(t.name)?.partitions.length ?? 0;
      if (t.count - current > MAX_NEW_PARTITIONS_PER_REQUEST) {
        results.push({
          name: t.name,
          errorCode: POLICY_VIOLATION,
          errorMessage: 'Excessively large number of partitions per request.',
        });
        continue;
      }
      const problem = topics.checkAddPartitions(t.name, t.count);
      if (problem) {
        results.push({ name: t.name, ...problem });
        continue;
      }
      if (t.assignments?.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.nodeId)) {
        results.push({
          name: t.name,
          errorCode: INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `New partitions must be assigned to broker ${broker.nodeId} only.`,
        });
        continue;
      }
      if (!request.validateOnly) {
        topics.addPartitions(t.name, t.count);
        ctx.log(`topic ${t.name} now has ${t.count} partitions`);
      }
      results.push({ name: t.name, errorCode: 0, errorMessage: null });
    }
    return { throttleTimeMs: 0, results };
  },
  // An injected error (hooks) refuses every topic and adds nothing, as a broker answering NOT_CONTROLLER does.
  errorResponse(request, errorCode) {
    return {
      throttleTimeMs: 0,
      results: request.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })),
    };
  },
});
