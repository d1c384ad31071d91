/**
 * Metadata: v0-13
 *
 * Behaviour:
 * - Every live broker at its advertised address (advertised.listeners) with its rack; controllerId is
 *   the first live broker (Kafka's KRaft brokers name a random live one: clients cannot reach the
 *   controller quorum).
 * - Each partition's leader, leader epoch, replicas, ISR and offline replicas from the controller
 *   (cluster/controller.ts); a partition with no live leader is LEADER_NOT_AVAILABLE (5).
 * - Any broker answers for the whole cluster, as Kafka's metadata cache does.
 * - Topics: null list (v1+) or empty list (v0) means all topics; otherwise the ones asked for.
 * - A missing topic: with auto-creation on (broker setting and the request's allowAutoTopicCreation)
 *   and a valid name, it is created with num.partitions and reported UNKNOWN_TOPIC_OR_PARTITION (3)
 *   this once, as a KRaft broker does: it forwards CreateTopics to the controller and answers before
 *   the topic reaches its metadata cache (AutoTopicCreationManager.sendCreateTopicRequest; measured
 *   on Kafka 4.1.1 — ZooKeeper-era brokers said LEADER_NOT_AVAILABLE); an invalid name is INVALID_TOPIC_EXCEPTION
 *   (17); with auto-creation off, UNKNOWN_TOPIC_OR_PARTITION (3) (KafkaApis.getTopicMetadata).
 * - Topics asked for by id (v10+, name null) are never auto-created; unknown → UNKNOWN_TOPIC_ID (100).
 * - Internal topics: __consumer_offsets is listed (isInternal true) once the group coordinator has
 *   started (the first FindCoordinator for a group, 10-find-coordinator.ts), as Kafka 4.1.1 does — not
 *   at start. Auto-creating it by name uses offsets.topic.num.partitions (AutoTopicCreationManager).
 *   __transaction_state likewise, once the transaction coordinator has started (FindCoordinator for a
 *   transactional id), with transaction.state.log.num.partitions.
 *   An internal name that does not exist is still reported isInternal (Topic.isInternal).
 *
 * Version notes:
 * - v0 cannot say "all topics" with null; v1 added controllerId/rack/isInternal, v2 clusterId,
 *   v4 allowAutoTopicCreation, v7 leaderEpoch, v8 authorized operations, v10 topic ids, v12 null names.
 * - v13 adds the top-level errorCode (KIP-1102), always 0 here: REBOOTSTRAP_REQUIRED is for brokers
 *   and proxies that want clients to start over from bootstrap.servers.
 */
import { CLUSTER_NAME } from '../../protocol/acls.js';
import { Metadata } from '../../protocol/messages/03-metadata.js';
import { controllerOf, NO_LEADER } from '../cluster/controller.js';
import { declaredVersions, defineHandler, type HandlerContext, type ResponseOf } from '../handler.js';
import {
  authorize,
  authorizeCluster,
  authorizedOperations,
  TOPIC_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import {
  GROUP_METADATA_TOPIC,
  INTERNAL_TOPICS,
  invalidTopicName,
  type Topic,
  TRANSACTION_STATE_TOPIC,
} from '../state/topics.js';

type MetadataTopic = NonNullable<ResponseOf<typeof Metadata>['topics']>[number];

const LEADER_NOT_AVAILABLE = 5;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const INVALID_TOPIC_EXCEPTION = 17;
const UNKNOWN_TOPIC_ID = 100;
/** Topic operations allowed without an authorizer: READ..ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS (AclOperation codes 3-8, 10, 11). */
const ALL_TOPIC_OPERATIONS = 0b1101_1111_1000;
const OPERATIONS_NOT_REQUESTED = -2147483648;
/** CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE (codes 5, 7-12). */
const ALL_CLUSTER_OPERATIONS = 0b1_1111_1010_0000;

export function describeTopic(topic: Topic, ctx: HandlerContext, withOperations: boolean): MetadataTopic {
  const controller = controllerOf(ctx.cluster);
  return {
    errorCode: 0,
    name: topic.name,
    topicId: topic.id,
    isInternal: topic.isInternal,
    partitions: topic.partitions.map((_, partitionIndex) => {
      const p = controller.describe(topic, partitionIndex);
      // Kafka answers LEADER_NOT_AVAILABLE for a partition with no live leader (MetadataCache).
      return { errorCode: p.leaderId === NO_LEADER ? LEADER_NOT_AVAILABLE : 0, partitionIndex, ...p };
    }),
    topicAuthorizedOperations: withOperations
      ? authorizedOperations(ctx, 'TOPIC', topic.name, ALL_TOPIC_OPERATIONS)
      : OPERATIONS_NOT_REQUESTED,
  };
}

export default defineHandler({
  api: Metadata,
  versions: declaredVersions(Metadata),
  handle(request, ctx) {
    const { cluster } = ctx;
    const withOps = request.includeTopicAuthorizedOperations;
    const allTopics = request.topics === null || (ctx.version === 0 && request.topics.length === 0);
    const topics: MetadataTopic[] = [];
    if (allTopics) {
      for (const t of cluster.topics.list().sort((a, b) => a.name.localeCompare(b.name))) {
        // ACLs: a topic the principal may not DESCRIBE is left out of an all-topics answer.
        if (!authorize(ctx, 'DESCRIBE', 'TOPIC', t.name)) continue;
        topics.push(describeTopic(t, ctx, withOps));
      }
    } else {
      const seen = new Set<string>();
      for (const wanted of request.topics ?? []) {
        if (wanted.name === null) {
          const t = cluster.topics.getById(wanted.topicId);
          if (t && !authorize(ctx, 'DESCRIBE', 'TOPIC', t.name)) {
            topics.push(missing(TOPIC_AUTHORIZATION_FAILED, ctx.version >= 12 ? null : '', wanted.topicId));
            continue;
          }
          topics.push(
            t
              ? describeTopic(t, ctx, withOps)
              : missing(UNKNOWN_TOPIC_ID, ctx.version >= 12 ? null : '', wanted.topicId),
          );
          continue;
        }
        if (seen.has(wanted.name)) continue;
        seen.add(wanted.name);
        // ACLs (KafkaApis.handleTopicMetadataRequest): a named topic the principal may not DESCRIBE
        // is refused whether it exists or not (its existence is not disclosed); auto-creating one
        // needs CREATE on the cluster or on the topic. Kafka lists these refusals after the others.
        if (!authorize(ctx, 'DESCRIBE', 'TOPIC', wanted.name)) {
          topics.push({ ...missing(TOPIC_AUTHORIZATION_FAILED, wanted.name), isInternal: false });
          continue;
        }
        const t = cluster.topics.get(wanted.name);
        if (t) {
          topics.push(describeTopic(t, ctx, withOps));
        } else if (invalidTopicName(wanted.name)) {
          topics.push(missing(INVALID_TOPIC_EXCEPTION, wanted.name));
        } else if (
          cluster.config.autoCreateTopics &&
          request.allowAutoTopicCreation &&
          !authorizeCluster(ctx, 'CREATE') &&
          !authorize(ctx, 'CREATE', 'TOPIC', wanted.name)
        ) {
          topics.push(missing(TOPIC_AUTHORIZATION_FAILED, wanted.name));
        } else if (cluster.config.autoCreateTopics && request.allowAutoTopicCreation) {
          const groupLog = wanted.name === GROUP_METADATA_TOPIC;
          const txnLog = wanted.name === TRANSACTION_STATE_TOPIC;
          const partitions = groupLog
            ? cluster.config.offsetsTopicNumPartitions
            : txnLog
              ? cluster.config.transactionStateLogNumPartitions
              : cluster.config.numPartitions;
          const created = groupLog
            ? cluster.topics.ensureGroupMetadataTopic(partitions)
            : txnLog
              ? cluster.topics.ensureTransactionStateTopic(partitions)
              : cluster.topics.create(wanted.name, partitions);
          ctx.log(`auto-created topic ${wanted.name} (${partitions} partitions)`);
          topics.push(
            missing(created.errorCode === 0 ? UNKNOWN_TOPIC_OR_PARTITION : created.errorCode, wanted.name),
          );
        } else {
          topics.push(missing(UNKNOWN_TOPIC_OR_PARTITION, wanted.name));
        }
      }
    }
    const controller = controllerOf(cluster);
    return {
      throttleTimeMs: 0,
      brokers: controller.liveBrokers().map((b) => ({
        nodeId: b.nodeId,
        ...b.endpointFor(ctx.connection.security?.listener),
        rack: b.rack,
      })),
      clusterId: cluster.config.clusterId,
      controllerId: controller.controllerId(),
      topics,
      // v8-10 (KIP-430; DescribeCluster carries it from v11): what the principal may do on the cluster.
      clusterAuthorizedOperations:
        ctx.version >= 8 && ctx.version <= 10 && request.includeClusterAuthorizedOperations
          ? authorizedOperations(ctx, 'CLUSTER', CLUSTER_NAME, ALL_CLUSTER_OPERATIONS)
          : OPERATIONS_NOT_REQUESTED,
    };
  },
});

function missing(errorCode: number, name: string | null, topicId?: string): MetadataTopic {
  return { errorCode, name, topicId, isInternal: name !== null && INTERNAL_TOPICS.has(name), partitions: [] };
}
