/**
 * DeleteTopics: v0-6
 *
 * Behaviour:
 * - Deletes at once (no marked-for-deletion phase): its partitions, their data, producer state and,
 *   through the domains' topicDeleted hook, committed offsets.
 * - Unknown name → UNKNOWN_TOPIC_OR_PARTITION (3); unknown id (v6+) → UNKNOWN_TOPIC_ID (100).
 * - __consumer_offsets is deleted like any topic: Kafka 4.1.1 (KRaft) refuses nothing here (seen in
 *   conformance/scenarios/internal-topics.ts); the next FindCoordinator for a group creates it again.
 * - An injected error (hooks) refuses every topic and deletes nothing, as a broker answering
 *   NOT_CONTROLLER does.
 *
 * Version notes:
 * - v0-5 name topics in topicNames; v6 uses topics[] with a name or a topic id; v5 adds errorMessage.
 */

import { DeleteTopics } from '../../protocol/messages/20-delete-topics.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { authorize, authorizeCluster, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { TopicErrors, ZERO_TOPIC_ID } from '../state/topics.js';

type Result = ResponseOf<typeof DeleteTopics>['responses'] extends (infer R)[] | undefined ? R : never;

const UNKNOWN_TOPIC_ID = 100;

export default defineHandler({
  api: DeleteTopics,
  versions: declaredVersions(DeleteTopics),
  handle(request, ctx) {
    const { cluster } = ctx;
    const wanted =
      ctx.version >= 6
        ? request.topics
        : request.topicNames.map((name) => ({ name, topicId: ZERO_TOPIC_ID }));
    const responses: Result[] = [];
    // ACLs (ControllerApis.deleteTopics): DELETE on the cluster allows every topic; else a name the
    // principal may not DESCRIBE is refused before it is looked up, one it may not DELETE after.
    const clusterDelete = authorizeCluster(ctx, 'DELETE');
    const refuse = (name: string | null, topicId: string) =>
      responses.push({
        name,
        topicId,
        errorCode: TOPIC_AUTHORIZATION_FAILED,
        errorMessage: 'Topic authorization failed.',
      });
    for (const w of wanted) {
      if (!clusterDelete && w.name !== null && !authorize(ctx, 'DESCRIBE', 'TOPIC', w.name)) {
        refuse(w.name, ZERO_TOPIC_ID);
        continue;
      }
      const topic = w.name !== null ? cluster.topics.get(w.name) : cluster.topics.getById(w.topicId);
      if (topic && !clusterDelete && !authorize(ctx, 'DELETE', 'TOPIC', topic.name)) {
        // By id: the name only when the principal may describe the topic.
        const named = w.name !== null || authorize(ctx, 'DESCRIBE', 'TOPIC', topic.name);
        refuse(named ? topic.name : null, w.name !== null ? ZERO_TOPIC_ID : w.topicId);
        continue;
      }
      if (!topic) {
        const byId = w.name === null;
        responses.push({
          name: w.name ?? null,
          topicId: w.topicId,
          errorCode: byId ? UNKNOWN_TOPIC_ID : TopicErrors.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: byId
            ? 'This server does not host this topic ID.'
            : 'This server does not host this topic-partition.',
        });
        continue;
      }
      cluster.deleteTopic(topic.name);
      ctx.log(`deleted topic ${topic.name}`);
      responses.push({ name: topic.name, topicId: topic.id, errorCode: 0, errorMessage: null });
    }
    return { throttleTimeMs: 0, responses };
  },
  errorResponse(request, errorCode, ctx) {
    const wanted =
      ctx.version >= 6
        ? request.topics
        : request.topicNames.map((name) => ({ name, topicId: ZERO_TOPIC_ID }));
    return {
      throttleTimeMs: 0,
      responses: wanted.map((w) => ({ name: w.name, topicId: w.topicId, errorCode, errorMessage: null })),
    };
  },
});
