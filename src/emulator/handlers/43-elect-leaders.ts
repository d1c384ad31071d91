/**
 * ElectLeaders: v0-2
 *
 * Behaviour:
 * - The controller's election per partition (ReplicationControlManager.electLeader, in
 *   cluster/controller.ts): preferred (0) makes the first replica lead if it is alive and in the
 *   ISR; unclean (1) gives a leaderless partition a live replica, from outside the ISR if need be
 *   (the ISR becomes just that replica). The leader epoch goes up with each new leader.
 * - Per-partition errors as Kafka's: ELECTION_NOT_NEEDED (84) when the preferred replica already
 *   leads (preferred) or the partition has a leader (unclean); PREFERRED_LEADER_NOT_AVAILABLE (80) /
 *   ELIGIBLE_LEADERS_NOT_AVAILABLE (83) when no election would change the leader;
 *   UNKNOWN_TOPIC_OR_PARTITION (3) with "No such topic as T" / "No such partition as T-P"; the
 *   other errors carry their default text, as Kafka 4.1.1 answers; success a null message.
 * - topicPartitions null: every partition of every topic, leaving out those answered
 *   ELECTION_NOT_NEEDED (a topic with none left is listed with no partitions). Kafka lists topics in
 *   its hash map's order; here by name. An empty list elects nothing and answers no topics.
 * - ALTER on the cluster, checked by the controller: CLUSTER_AUTHORIZATION_FAILED (31) at the top
 *   and for every partition asked for, with "Request … needs ALTER permission.".
 * - Any broker takes it (Kafka forwards it to the controller). timeoutMs is not needed: elections
 *   are done before the answer.
 *
 * Version notes:
 * - v0 has no electionType (always preferred) and no top-level errorCode; v1 adds both (KIP-460);
 *   v2 flexible.
 */
import { ElectLeaders } from '../../protocol/messages/43-elect-leaders.js';
import { controllerOf, ELECTION_NOT_NEEDED, UNKNOWN_TOPIC_OR_PARTITION } from '../cluster/controller.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { CLUSTER_AUTHORIZATION_FAILED, clusterOperationRefusal } from '../security/authorize.js';

const INVALID_REQUEST = 42;

/**
 * The broker answers an election error with the error's default text (Errors.message()), as
 * Apache Kafka 4.1.1 does (test/real-kafka/cluster-failover.test.ts); success has none.
 */
const DEFAULT_MESSAGES: Record<number, string> = {
  80: 'The preferred leader was not available.',
  83: 'Eligible topic partition leaders are not available.',
  84: 'Leader election not needed for topic partition.',
};

export default defineHandler({
  api: ElectLeaders,
  versions: declaredVersions(ElectLeaders),
  handle(request, ctx) {
    // The controller checks ALTER on the cluster; ElectLeadersRequest.getErrorResponse answers every
    // partition asked for with the refusal (none for a request naming no partitions).
    const refusal = clusterOperationRefusal(ctx, ElectLeaders.name, 'ALTER');
    if (refusal !== undefined)
      return {
        throttleTimeMs: 0,
        errorCode: CLUSTER_AUTHORIZATION_FAILED,
        replicaElectionResults: (request.topicPartitions ?? []).map((t) => ({
          topic: t.topic,
          partitionResult: t.partitions.map((partitionId) => ({
            partitionId,
            errorCode: CLUSTER_AUTHORIZATION_FAILED,
            errorMessage: refusal,
          })),
        })),
      };
    const controller = controllerOf(ctx.cluster);
    const type = ctx.version === 0 ? 0 : request.electionType;
    if (type !== 0 && type !== 1)
      return { throttleTimeMs: 0, errorCode: INVALID_REQUEST, replicaElectionResults: [] };
    const election = type === 0 ? 'preferred' : 'unclean';
    const electOne = (topicName: string, partitionId: number) => {
      const topic = ctx.cluster.topics.get(topicName);
      if (!topic)
        return {
          partitionId,
          errorCode: UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `No such topic as ${topicName}`,
        };
      if (!topic.partitions[partitionId])
        return {
          partitionId,
          errorCode: UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `No such partition as ${topicName}-${partitionId}`,
        };
      const r = controller.elect(topic, partitionId, election);
      if (r.change) ctx.log(`elected ${topicName}-${partitionId}: leader ${r.change.from} → ${r.change.to}`);
      return { partitionId, errorCode: r.errorCode, errorMessage: DEFAULT_MESSAGES[r.errorCode] ?? null };
    };
    const replicaElectionResults =
      request.topicPartitions === null
        ? ctx.cluster.topics
            .list()
            .map((t) => t.name)
            .sort()
            .map((topic) => ({
              topic,
              partitionResult: (ctx.cluster.topics.get(topic)?.partitions ?? [])
                .map((_, p) => electOne(topic, p))
                .filter((r) => r.errorCode !== ELECTION_NOT_NEEDED),
            }))
        : request.topicPartitions.map((t) => ({
            topic: t.topic,
            partitionResult: t.partitions.map((p) => electOne(t.topic, p)),
          }));
    return { throttleTimeMs: 0, errorCode: 0, replicaElectionResults };
  },
});
