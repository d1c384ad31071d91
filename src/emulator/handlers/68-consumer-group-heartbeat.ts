/**
 * ConsumerGroupHeartbeat: v0-1
 *
 * Behaviour:
 * - KIP-848's one request for a consumer group member (state/group-consumer/): memberEpoch 0 joins,
 *   a positive epoch heartbeats, -1 leaves, -2 leaves a static member's place open until its
 *   session times out. The coordinator bumps the group epoch when membership or subscriptions
 *   change, computes the target assignment with the server-side assignor (uniform by default,
 *   range; the client's serverAssignor / group.remote.assignor), and moves each member one step:
 *   revoke first (same epoch), then the new epoch and the partitions their previous owners released.
 * - The assignment comes back when it changed or the request was a full one (joining, or all of
 *   rebalanceTimeoutMs, subscribedTopicNames and topicPartitions sent); null otherwise.
 * - heartbeatIntervalMs is group.consumer.heartbeat.interval.ms (5000); a member silent for
 *   group.consumer.session.timeout.ms (45000) is fenced, as is one that does not revoke within its
 *   rebalanceTimeoutMs.
 * - Errors with Kafka's messages: INVALID_REQUEST (42), UNSUPPORTED_ASSIGNOR (112),
 *   FENCED_MEMBER_EPOCH (110), UNKNOWN_MEMBER_ID (25), UNRELEASED_INSTANCE_ID (111),
 *   FENCED_INSTANCE_ID (82), GROUP_MAX_SIZE_REACHED (81, group.consumer.max.size),
 *   GROUP_ID_NOT_FOUND (69: unknown group when not joining, or a live classic group of that id),
 *   INVALID_REGULAR_EXPRESSION (128).
 *
 * Version notes:
 * - v0: the coordinator makes up the member id of a joining member (memberId '').
 * - v1 (KIP-1082): the member brings its own id, also when joining (empty → INVALID_REQUEST);
 *   subscribedTopicRegex (RE2/J syntax, resolved by the broker against the topics that exist,
 *   the whole name matched; group-consumer/re2j.ts).
 */
import { ConsumerGroupHeartbeat } from '../../protocol/messages/68-consumer-group-heartbeat.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { clientHostOf } from '../state/groups.js';

export default defineHandler({
  api: ConsumerGroupHeartbeat,
  versions: declaredVersions(ConsumerGroupHeartbeat),
  handle(request, ctx) {
    // ACLs (KafkaApis.handleConsumerGroupHeartbeat): READ on the group, then DESCRIBE on every
    // subscribed topic name; both refused with no message, as Kafka 4.1.1 answers
    // (test/security/acl-real-kafka.test.ts). A regex resolves only to topics the principal of the
    // heartbeat that started the resolution may DESCRIBE.
    const refused = !authorize(ctx, 'READ', 'GROUP', request.groupId)
      ? GROUP_AUTHORIZATION_FAILED
      : (request.subscribedTopicNames ?? []).some((t) => !authorize(ctx, 'DESCRIBE', 'TOPIC', t))
        ? TOPIC_AUTHORIZATION_FAILED
        : 0;
    if (refused !== 0)
      return {
        throttleTimeMs: 0,
        errorCode: refused,
        errorMessage: null,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    const r = consumerGroupsOf(ctx.cluster).heartbeat({
      groupId: request.groupId,
      memberId: request.memberId,
      memberEpoch: request.memberEpoch,
      instanceId: request.instanceId,
      rackId: request.rackId,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      subscribedTopicNames: request.subscribedTopicNames,
      subscribedTopicRegex: ctx.version >= 1 ? request.subscribedTopicRegex : null,
      serverAssignor: request.serverAssignor,
      topicPartitions: request.topicPartitions,
      clientId: ctx.header.clientId ?? '',
      clientHost: clientHostOf(ctx.connection.remote),
      apiVersion: ctx.version,
      canDescribeTopic: (topic) => authorize(ctx, 'DESCRIBE', 'TOPIC', topic),
    });
    return { throttleTimeMs: 0, ...r };
  },
});
