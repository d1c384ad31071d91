/**
 * Kafka's `roundrobin` assignor (RoundRobinAssignor): every partition of every subscribed topic
 * (topics sorted by name, partitions ascending) is dealt in turn to the members in member order,
 * skipping members not subscribed to that partition's topic. With identical subscriptions the
 * counts differ by at most one; with different ones it can be uneven, as in Kafka.
 */
import {
  type AssignInput,
  AssignmentBuilder,
  type Assignor,
  compareMembers,
  type GroupAssignment,
  sortedPartitions,
} from './types.js';

export function roundRobinAssign({ members, partitionsPerTopic }: AssignInput): GroupAssignment {
  const builder = new AssignmentBuilder(members.map((m) => m.memberId));
  const ring = [...members].sort(compareMembers);
  const subscribed = ring.map((m) => new Set(m.topics));
  let cursor = 0;
  for (const { topic, partition } of sortedPartitions(
    members.flatMap((m) => m.topics),
    partitionsPerTopic,
  )) {
    // Some member subscribes to `topic` (that is how it got into the list): at most one lap.
    let steps = 0;
    while (!subscribed[cursor].has(topic) && steps++ < ring.length) cursor = (cursor + 1) % ring.length;
    builder.add(ring[cursor].memberId, topic, partition);
    cursor = (cursor + 1) % ring.length;
  }
  return builder.build();
}

export const roundRobinAssignor: Assignor = {
  name: 'roundrobin',
  rebalanceProtocol: 'eager',
  assign: roundRobinAssign,
};
