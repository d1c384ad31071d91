/**
 * KIP-848's online migration between the protocols (group.consumer.migration.policy), the data side:
 * a live classic group becomes a consumer group whose members still speak JoinGroup/SyncGroup/
 * Heartbeat (ConsumerGroup.fromClassicGroup), and a consumer group left with classic members only
 * becomes a classic group again (ClassicGroup.fromConsumerGroup). The coordinator decides when.
 *
 * The classic members' subscriptions and assignments are the consumer protocol's embedded bytes
 * (ConsumerProtocolSubscription / ConsumerProtocolAssignment), by topic name; the consumer group
 * keeps them by topic id, so a topic the cluster does not know is dropped, as Kafka's
 * toTopicPartitionMap does.
 */
import {
  type ConsumerSubscription,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
} from '../../../protocol/messages/consumer-protocol.js';
import { type ClassicMemberMetadata, ConsumerGroup, ConsumerMember } from './consumer-group.js';
import type {
  Assignment,
  ClassicGroupImage,
  ClassicMemberImage,
  ClassicProtocol,
  TopicPartitions,
  TopicsView,
} from './types.js';

/** The embedded protocol did not decode: Kafka's SchemaException, answered as GROUP_ID_NOT_FOUND. */
export class MalformedConsumerProtocol extends Error {}

/**
 * ConsumerGroup.fromClassicGroup: group epoch and target assignment epoch are the classic
 * generation; every member is STABLE at that epoch, its target its last assignment, so nothing
 * moves until the member that triggered the upgrade joins (which bumps the epoch).
 */
export function consumerGroupFromClassic(
  groupId: string,
  image: ClassicGroupImage,
  topics: TopicsView,
): ConsumerGroup {
  const group = new ConsumerGroup(groupId);
  group.groupEpoch = image.generationId;
  group.assignmentEpoch = image.generationId;
  for (const m of image.members) {
    const chosen = m.protocols.find((p) => p.name === image.protocolName) ?? m.protocols[0];
    const subscription = decodeOrThrow(() => decodeSubscription(chosen?.metadata ?? new Uint8Array(0)).value);
    const assigned =
      m.assignment.length === 0
        ? new Map()
        : byTopicId(
            decodeOrThrow(() => decodeAssignment(m.assignment).value).assignedPartitions.map((t) => ({
              topic: t.topic,
              partitions: t.partitions,
            })),
            topics,
          );
    const member = new ConsumerMember(m.memberId, m.instanceId);
    member.memberEpoch = image.generationId;
    member.previousMemberEpoch = image.generationId;
    member.state = 'STABLE';
    member.rackId = subscription.rackId ?? null;
    member.rebalanceTimeoutMs = m.rebalanceTimeoutMs;
    member.clientId = m.clientId;
    member.clientHost = m.clientHost;
    member.subscribedTopicNames = [...new Set(subscription.topics)].sort();
    member.assigned = assigned;
    member.classic = { sessionTimeoutMs: m.sessionTimeoutMs, protocols: m.protocols };
    group.members.set(member.memberId, member);
    if (member.instanceId !== null) group.staticMembers.set(member.instanceId, member.memberId);
    group.targetAssignment.set(member.memberId, copy(assigned));
  }
  return group;
}

/**
 * ClassicGroup.fromConsumerGroup: the members that stay (all classic), each with its target
 * assignment serialized in the version of its first protocol's subscription.
 */
export function classicMembersOf(
  group: ConsumerGroup,
  leaving: ReadonlySet<string>,
  topics: TopicsView,
): ClassicMemberImage[] {
  const out: ClassicMemberImage[] = [];
  for (const m of group.members.values()) {
    if (leaving.has(m.memberId) || m.classic === null) continue;
    out.push({
      memberId: m.memberId,
      instanceId: m.instanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.classic.sessionTimeoutMs,
      protocols: m.classic.protocols,
      assignment: serializeAssignment(group.targetAssignment.get(m.memberId) ?? new Map(), m.classic, topics),
    });
  }
  return out;
}

/** The subscription a classic member's JoinGroup carries (all its protocols carry the same one). */
export function subscriptionOf(protocols: readonly ClassicProtocol[]): ConsumerSubscription {
  if (protocols.length === 0) throw new MalformedConsumerProtocol('no protocol');
  return decodeOrThrow(() => decodeSubscription(protocols[0].metadata).value);
}

/** What a classic member says it owns, by topic id (ConsumerProtocolSubscription.ownedPartitions). */
export function ownedPartitionsOf(subscription: ConsumerSubscription, topics: TopicsView): TopicPartitions[] {
  const owned = byTopicId(subscription.ownedPartitions ?? [], topics);
  return [...owned].map(([topicId, s]) => ({ topicId, partitions: [...s].sort((a, b) => a - b) }));
}

/**
 * GroupMetadataManager.prepareAssignment: the member's assignment in the consumer protocol, in the
 * version of the subscription it joined with (ConsumerProtocol.deserializeVersion of its first protocol).
 */
export function serializeAssignment(
  assignment: Assignment,
  classic: ClassicMemberMetadata,
  topics: TopicsView,
): Uint8Array {
  const first = classic.protocols[0]?.metadata;
  const version = first && first.length >= 2 ? (first[0] << 8) | first[1] : 0;
  const assignedPartitions: { topic: string; partitions: number[] }[] = [];
  for (const [topicId, partitions] of assignment) {
    const name = topics.byId(topicId)?.name;
    if (name === undefined || partitions.size === 0) continue;
    assignedPartitions.push({ topic: name, partitions: [...partitions].sort((a, b) => a - b) });
  }
  return encodeAssignment({ assignedPartitions, userData: null }, version);
}

function byTopicId(
  list: readonly { topic: string; partitions: readonly number[] }[],
  topics: TopicsView,
): Assignment {
  const out: Assignment = new Map();
  for (const t of list) {
    const info = topics.byName(t.topic);
    if (!info) continue;
    const s = out.get(info.id) ?? new Set<number>();
    for (const p of t.partitions) s.add(p);
    out.set(info.id, s);
  }
  return out;
}

function copy(a: Assignment): Assignment {
  return new Map([...a].map(([t, s]) => [t, new Set(s)]));
}

function decodeOrThrow<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new MalformedConsumerProtocol(e instanceof Error ? e.message : String(e));
  }
}
