/**
 * CreatePartitions: v0-3
 *
 * Behaviour:
 * - Grows a topic to `count` partitions; new partitions are empty, at the topic's replication factor,
 *   placed by the controller (striped, continuing the topic's round robin) or as `assignments` say.
 * - Unknown topic → UNKNOWN_TOPIC_OR_PARTITION (3); count equal to or below the current one →
 *   INVALID_PARTITIONS (37); a name twice in one request → INVALID_REQUEST (42); assignments not one
 *   per new partition, naming an unknown broker, one twice or another replica count →
 *   INVALID_REPLICA_ASSIGNMENT (39); more replicas than live brokers → INVALID_REPLICATION_FACTOR (38).
 * - validateOnly runs the checks and changes nothing.
 * - __consumer_offsets may be grown like any topic, as Kafka 4.1.1 allows.
 *
 * Version notes:
 * - v2+ is flexible; the fields are the same in every version.
 */
import { CreatePartitions } from '../../protocol/messages/37-create-partitions.js';
import { controllerOf, INVALID_REPLICA_ASSIGNMENT } from '../cluster/controller.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { authorize, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { type Topic, TopicErrors } from '../state/topics.js';

type Result = ResponseOf<typeof CreatePartitions>['results'] extends (infer R)[] | undefined ? R : never;

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
    const { topics } = ctx.cluster;
    const controller = controllerOf(ctx.cluster);
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
      // ACLs (ControllerApis.createPartitions): ALTER on the topic; no cluster-wide shortcut and
      // no message, as Kafka 4.1.1 answers (test/security/acl-real-kafka.test.ts).
      if (!authorize(ctx, 'ALTER', 'TOPIC', t.name)) {
        results.push({ name: t.name, errorCode: TOPIC_AUTHORIZATION_FAILED, errorMessage: null });
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
      const topic = topics.get(t.name) as Topic;
      const rf = controller.replicationFactor(topic);
      let placement: number[][];
      if (t.assignments) {
        // ReplicationControlManager.createPartitions: one replica list per new partition.
        const problem =
          t.assignments.length !== t.count - current
            ? {
                errorCode: INVALID_REPLICA_ASSIGNMENT,
                errorMessage: `Attempted to add ${t.count - current} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
              }
            : t.assignments
                .map((a) => controller.checkAssignment(a.brokerIds, rf))
                .find((m) => m !== undefined);
        if (problem) {
          results.push({ name: t.name, ...problem });
          continue;
        }
        placement = t.assignments.map((a) => [...a.brokerIds]);
      } else {
        const placed = controller.place(current, t.count - current, rf);
        if ('errorCode' in placed) {
          results.push({ name: t.name, errorCode: placed.errorCode, errorMessage: placed.errorMessage });
          continue;
        }
        placement = placed.replicas;
      }
      if (!request.validateOnly) {
        // The existing partitions keep their registrations; register them first if still lazy.
        controller.partition(topic, 0);
        topics.addPartitions(t.name, t.count);
        controller.register(topic, current, placement);
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
