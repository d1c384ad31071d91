/**
 * DescribeTopicPartitions: v0
 *
 * Behaviour:
 * - The asked-for topics (all topics when the list is empty), sorted by name, each with its
 *   partitions' leader, epoch, replicas, ISR and offline replicas from the controller
 *   (cluster/controller.ts); unknown topic → UNKNOWN_TOPIC_OR_PARTITION (3).
 * - Paged (KIP-966): at most responsePartitionLimit partitions (capped at 2000, Kafka's
 *   max.request.partition.size.limit); nextCursor names where the next page starts; a request cursor
 *   resumes there.
 * - ACLs (DESCRIBE on each topic): a named topic the principal may not describe is answered
 *   TOPIC_AUTHORIZATION_FAILED (29), zero id, after the others; listing all leaves such topics out;
 *   topicAuthorizedOperations is what the principal may do on the topic.
 * - eligibleLeaderReplicas / lastKnownElr (KIP-966, on in Kafka 4.1.1) from the controller: the
 *   replicas that left the ISR while it was below min.insync.replicas (cluster/controller.ts).
 *
 * Version notes:
 * - Only v0 exists. Java's kafka-topics --describe prefers it over Metadata when advertised.
 */
import { DescribeTopicPartitions } from '../../protocol/messages/75-describe-topic-partitions.js';
import { controllerOf } from '../cluster/controller.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { authorize, authorizedOperations, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { INTERNAL_TOPICS, ZERO_TOPIC_ID } from '../state/topics.js';

type TopicResult = NonNullable<ResponseOf<typeof DescribeTopicPartitions>['topics']>[number];

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const MAX_PARTITIONS_PER_RESPONSE = 2000;
const ALL_TOPIC_OPERATIONS = 0b1101_1111_1000;

export default defineHandler({
  api: DescribeTopicPartitions,
  versions: declaredVersions(DescribeTopicPartitions),
  handle(request, ctx) {
    const { topics } = ctx.cluster;
    const controller = controllerOf(ctx.cluster);
    const names = (
      request.topics.length > 0
        ? [...new Set(request.topics.map((t) => t.name))]
        : topics.list().map((t) => t.name)
    ).sort();
    const cursor = request.cursor;
    let budget = Math.max(1, Math.min(request.responsePartitionLimit, MAX_PARTITIONS_PER_RESPONSE));
    const out: TopicResult[] = [];
    // Kafka neither discloses nor looks up a topic the principal may not DESCRIBE: a named one is
    // answered TOPIC_AUTHORIZATION_FAILED after the others, unnamed ones are left out.
    const refused: TopicResult[] = [];
    const listingAll = request.topics.length === 0;
    let nextCursor: { topicName: string; partitionIndex: number } | null = null;
    for (const name of names) {
      if (cursor && name < cursor.topicName) continue;
      if (!authorize(ctx, 'DESCRIBE', 'TOPIC', name)) {
        if (!listingAll)
          refused.push({
            errorCode: TOPIC_AUTHORIZATION_FAILED,
            name,
            topicId: ZERO_TOPIC_ID,
            isInternal: false,
            partitions: [],
          });
        continue;
      }
      const topic = topics.get(name);
      if (!topic) {
        out.push({
          errorCode: UNKNOWN_TOPIC_OR_PARTITION,
          name,
          topicId: ZERO_TOPIC_ID,
          // Kafka names an internal topic internal even when it does not exist (Topic.isInternal).
          isInternal: INTERNAL_TOPICS.has(name),
          partitions: [],
        });
        continue;
      }
      if (budget === 0) {
        nextCursor = { topicName: name, partitionIndex: 0 };
        break;
      }
      const first = cursor && name === cursor.topicName ? Math.max(0, cursor.partitionIndex) : 0;
      const last = Math.min(topic.partitions.length, first + budget);
      const partitions = [];
      for (let p = first; p < last; p++) {
        partitions.push({
          errorCode: 0,
          partitionIndex: p,
          ...controller.describe(topic, p),
          ...controller.eligibleLeaders(topic, p),
        });
      }
      budget -= last - first;
      out.push({
        errorCode: 0,
        name,
        topicId: topic.id,
        isInternal: topic.isInternal,
        partitions,
        topicAuthorizedOperations: authorizedOperations(ctx, 'TOPIC', name, ALL_TOPIC_OPERATIONS),
      });
      if (last < topic.partitions.length) {
        nextCursor = { topicName: name, partitionIndex: last };
        break;
      }
    }
    return { throttleTimeMs: 0, topics: [...out, ...refused], nextCursor };
  },
});
