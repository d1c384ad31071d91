/**
 * CreateTopics: v0-7
 *
 * Behaviour:
 * - Kafka's checks, in Kafka's order (ReplicationControlManager, ControllerApis): a name twice in one
 *   request → INVALID_REQUEST (42); invalid name or '.'/'_' collision → INVALID_TOPIC_EXCEPTION (17);
 *   exists → TOPIC_ALREADY_EXISTS (36); numPartitions 0 or < -1 → INVALID_PARTITIONS (37);
 *   replicationFactor 0, < -1 or more than the live brokers → INVALID_REPLICATION_FACTOR (38); a
 *   manual assignment not numbered 0.., with an unknown broker, a broker twice or replica lists of
 *   different lengths → INVALID_REPLICA_ASSIGNMENT (39); an unknown or bad config → INVALID_CONFIG (40).
 * - Replicas placed by the controller (cluster/controller.ts: striped, leaders round robin), or as
 *   the manual assignment says; the leader is the first replica.
 * - -1 for numPartitions / replicationFactor means the broker defaults (num.partitions,
 *   default.replication.factor 1).
 * - More than 10000 partitions in the whole request → POLICY_VIOLATION (44) for every topic, before any
 *   other check (ReplicationControlManager.validateTotalNumberOfPartitions, MAX_PARTITIONS_PER_BATCH).
 * - validateOnly (v1+) runs every check and creates nothing.
 * - An injected error (hooks) refuses every topic and creates nothing, as a broker answering
 *   NOT_CONTROLLER does.
 *
 * Version notes:
 * - v1 adds validateOnly and errorMessage; v5+ (flexible) returns partitions, replication factor and
 *   the topic's configs; v7 returns the topic id.
 */

import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import {
  controllerOf,
  DEFAULT_REPLICATION_FACTOR,
  INVALID_REPLICA_ASSIGNMENT,
} from '../cluster/controller.js';
import { declaredVersions, defineHandler, type ResponseOf } from '../handler.js';
import { authorize, authorizeCluster, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { invalidTopicConfig, normaliseTopicConfig, topicConfigEntries } from '../state/configs.js';
import { TopicErrors } from '../state/topics.js';

type Result = ResponseOf<typeof CreateTopics>['topics'] extends (infer R)[] | undefined ? R : never;

const INVALID_CONFIG = 40;
const POLICY_VIOLATION = 44;
/** QuorumController's cap on the records one request may create. */
const MAX_PARTITIONS_PER_BATCH = 10_000;

export default defineHandler({
  api: CreateTopics,
  versions: declaredVersions(CreateTopics),
  handle(request, ctx) {
    const { cluster } = ctx;
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results: Result[] = [];
    const reported = new Set<string>();
    let totalPartitions = 0;
    for (const t of request.topics) {
      if (t.assignments.length > 0) totalPartitions += t.assignments.length;
      else if (t.numPartitions === -1) totalPartitions += cluster.config.numPartitions;
      else if (t.numPartitions > 0) totalPartitions += t.numPartitions;
    }
    const tooMany = totalPartitions > MAX_PARTITIONS_PER_BATCH;
    const clusterCreate = authorizeCluster(ctx, 'CREATE');
    for (const t of request.topics) {
      if (reported.has(t.name)) continue;
      reported.add(t.name);
      const fail = (errorCode: number, errorMessage: string): void => {
        results.push({
          name: t.name,
          errorCode,
          errorMessage,
          numPartitions: -1,
          replicationFactor: -1,
          // An empty list, not null, as Apache Kafka 4.1.1 answers (conformance/scenarios/admin-topics.ts).
          configs: [],
        });
      };
      if (tooMany) {
        fail(POLICY_VIOLATION, 'Excessively large number of partitions per request.');
        continue;
      }
      if ((counts.get(t.name) ?? 0) > 1) {
        fail(TopicErrors.INVALID_REQUEST, 'Duplicate topic name.');
        continue;
      }
      // ACLs (ControllerApis.createTopics): CREATE on the cluster, or else on the topic.
      if (!clusterCreate && !authorize(ctx, 'CREATE', 'TOPIC', t.name)) {
        fail(TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
        continue;
      }
      const manual = t.assignments.length > 0;
      if (manual && (t.numPartitions !== -1 || t.replicationFactor !== -1)) {
        fail(
          TopicErrors.INVALID_REQUEST,
          'A manual partition assignment was specified, but numPartitions or replicationFactor was not set to -1.',
        );
        continue;
      }
      const numPartitions = manual
        ? t.assignments.length
        : t.numPartitions === -1
          ? cluster.config.numPartitions
          : t.numPartitions;
      const problem = cluster.topics.checkCreate(t.name, t.numPartitions < -1 ? 0 : numPartitions);
      if (problem) {
        fail(problem.errorCode, problem.errorMessage);
        continue;
      }
      const rf = t.replicationFactor;
      if (!manual && (rf === 0 || rf < -1)) {
        fail(
          TopicErrors.INVALID_REPLICATION_FACTOR,
          'Replication factor must be larger than 0, or -1 to use the default value.',
        );
        continue;
      }
      const controller = controllerOf(cluster);
      let placement: number[][];
      if (manual) {
        const problem =
          t.assignments.findIndex((a, i) => a.partitionIndex !== i) >= 0
            ? {
                errorCode: INVALID_REPLICA_ASSIGNMENT,
                errorMessage: 'partitions should be a consecutive 0-based integer sequence',
              }
            : t.assignments
                .map((a) => controller.checkAssignment(a.brokerIds, t.assignments[0]?.brokerIds.length))
                .find((m) => m !== undefined);
        if (problem) {
          fail(problem.errorCode, problem.errorMessage);
          continue;
        }
        placement = t.assignments.map((a) => [...a.brokerIds]);
      } else {
        const placed = controller.place(0, numPartitions, rf === -1 ? DEFAULT_REPLICATION_FACTOR : rf);
        if ('errorCode' in placed) {
          fail(placed.errorCode, placed.errorMessage);
          continue;
        }
        placement = placed.replicas;
      }
      const replicationFactor = placement[0]?.length ?? DEFAULT_REPLICATION_FACTOR;
      const configs = new Map<string, string>();
      const badConfig = t.configs
        .map((c) => invalidTopicConfig(c.name, c.value))
        .find((m) => m !== undefined);
      if (badConfig) {
        fail(INVALID_CONFIG, badConfig);
        continue;
      }
      for (const c of t.configs) configs.set(c.name, normaliseTopicConfig(c.name, c.value as string));
      if (request.validateOnly) {
        results.push({
          name: t.name,
          errorCode: 0,
          errorMessage: null,
          numPartitions,
          replicationFactor,
          configs: [],
        });
        continue;
      }
      const created = cluster.topics.create(t.name, numPartitions, configs);
      if (created.errorCode !== 0 || !('topic' in created)) {
        fail(created.errorCode, 'errorMessage' in created ? created.errorMessage : 'could not create');
        continue;
      }
      controller.register(created.topic, 0, placement);
      ctx.log(
        `created topic ${t.name} (${numPartitions} partitions, replication factor ${replicationFactor})`,
      );
      results.push({
        name: t.name,
        topicId: created.topic.id,
        errorCode: 0,
        errorMessage: null,
        numPartitions,
        replicationFactor,
        configs: topicConfigEntries(created.topic, cluster).map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          configSource: e.source,
          isSensitive: e.isSensitive,
        })),
      });
    }
    return { throttleTimeMs: 0, topics: results };
  },
  errorResponse(request, errorCode) {
    const names = [...new Set(request.topics.map((t) => t.name))];
    return {
      throttleTimeMs: 0,
      topics: names.map((name) => ({
        name,
        errorCode,
        errorMessage: null,
        numPartitions: -1,
        replicationFactor: -1,
        configs: [],
      })),
    };
  },
});
