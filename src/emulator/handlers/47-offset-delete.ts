/**
 * OffsetDelete: v0 (KIP-496; kafka-consumer-groups --delete-offsets)
 *
 * Behaviour (KafkaApis.handleOffsetDeleteRequest, then OffsetMetadataManager.deleteOffsets):
 * - A topic this broker does not have, or a partition it does not have → UNKNOWN_TOPIC_OR_PARTITION
 *   (3) for it; the rest goes to the group.
 * - An unknown (or Dead) group → GROUP_ID_NOT_FOUND (69) for the whole request, no topics.
 * - A classic group with members (Stable, PreparingRebalance, CompletingRebalance) whose protocol
 *   type is not `consumer` → NON_EMPTY_GROUP (68), no topics.
 * - A topic the group is subscribed to → GROUP_SUBSCRIBED_TO_TOPIC (86) for each of its partitions;
 *   any other partition's committed offset is forgotten (no error, whether there was one or not).
 *   Subscribed means: a classic `consumer` group — the topics its members' subscriptions name (decoded
 *   from their JoinGroup metadata); while the group has no chosen protocol yet, or a subscription
 *   cannot be decoded, every topic counts as subscribed, as Kafka's ClassicGroup.isSubscribedToTopic
 *   falls back to; a KIP-848 consumer group — its members' subscribed topic names, and for a regex
 *   subscription the topics it currently assigns from (Kafka resolves the regex into the same set).
 *
 * Difference: Kafka keeps a classic group's subscribed topics from its last completed generation;
 * here a group that is rebalancing counts as subscribed to everything (its members' metadata is only
 * described while Stable), which refuses more than Kafka might, never less.
 */

import { OffsetDelete } from '../../protocol/messages/47-offset-delete.js';
import { decodeSubscription } from '../../protocol/messages/consumer-protocol.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { groupsOf, offsetsOf } from '../state/groups.js';

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const NON_EMPTY_GROUP = 68;
const GROUP_ID_NOT_FOUND = 69;
const GROUP_SUBSCRIBED_TO_TOPIC = 86;

export default defineHandler({
  api: OffsetDelete,
  versions: declaredVersions(OffsetDelete),
  handle(request, ctx) {
    const groupId = request.groupId;
    // ACLs (KafkaApis.handleOffsetDeleteRequest): DELETE on the group, READ on each topic.
    if (!authorize(ctx, 'DELETE', 'GROUP', groupId))
      return { errorCode: GROUP_AUTHORIZATION_FAILED, throttleTimeMs: 0, topics: [] };
    const subscribed = subscriptionOf(ctx.cluster, groupId);
    if (typeof subscribed === 'number') return { errorCode: subscribed, throttleTimeMs: 0, topics: [] };
    const offsets = offsetsOf(ctx.cluster);
    const topics = request.topics.map((t) => {
      const topic = ctx.cluster.topics.get(t.name);
      const refused = !authorize(ctx, 'READ', 'TOPIC', t.name);
      return {
        name: t.name,
        partitions: t.partitions.map(({ partitionIndex }) => {
          if (refused) return { partitionIndex, errorCode: TOPIC_AUTHORIZATION_FAILED };
          if (!topic || partitionIndex < 0 || partitionIndex >= topic.partitions.length)
            return { partitionIndex, errorCode: UNKNOWN_TOPIC_OR_PARTITION };
          if (subscribed(t.name)) return { partitionIndex, errorCode: GROUP_SUBSCRIBED_TO_TOPIC };
          offsets.deletePartition(groupId, t.name, partitionIndex);
          return { partitionIndex, errorCode: 0 };
        }),
      };
    });
    return { errorCode: 0, throttleTimeMs: 0, topics };
  },
});

/** Whether the group is subscribed to a topic, or the group-level error code that refuses the request. */
function subscriptionOf(
  cluster: Parameters<typeof groupsOf>[0],
  groupId: string,
): number | ((topic: string) => boolean) {
  const consumer = consumerGroupsOf(cluster).describe(groupId);
  if (consumer.errorCode === 0) {
    const names = new Set<string>();
    for (const m of consumer.members) {
      for (const t of m.subscribedTopicNames) names.add(t);
      if (m.subscribedTopicRegex) {
        for (const tp of [...m.assignment.topicPartitions, ...m.targetAssignment.topicPartitions])
          names.add(tp.topicName);
      }
    }
    return (topic) => names.has(topic);
  }
  const classic = groupsOf(cluster);
  const state = classic.stateOf(groupId)?.state;
  if (state === undefined || state === 'Dead') return GROUP_ID_NOT_FOUND;
  const described = classic.describeGroup(groupId);
  const usesConsumerProtocol = described.protocolType === 'consumer';
  if (state !== 'Empty' && !usesConsumerProtocol) return NON_EMPTY_GROUP;
  if (!usesConsumerProtocol) return () => false;
  if (described.members.length === 0) return () => false;
  if (state !== 'Stable') return () => true;
  const names = new Set<string>();
  for (const m of described.members) {
    try {
      for (const t of decodeSubscription(m.memberMetadata).value.topics) names.add(t);
    } catch {
      return () => true;
    }
  }
  return (topic) => names.has(topic);
}
