/**
 * Kafka's default classic assignor, `range` (RangeAssignor). Topic by topic: partitions in numeric
 * order, the members subscribed to that topic in member order; each gets ⌊P/N⌋ consecutive
 * partitions and the first P mod N members one more. Topics are independent, so with several topics
 * the first members collect every topic's extra partition (the known imbalance of range).
 * Without rack information this is exactly what Kafka's RangeAssignor computes.
 */
import {
  type AssignInput,
  AssignmentBuilder,
  type Assignor,
  compareMembers,
  type GroupAssignment,
  type MemberSubscription,
} from './types.js';

export function rangeAssign({ members, partitionsPerTopic }: AssignInput): GroupAssignment {
  const builder = new AssignmentBuilder(members.map((m) => m.memberId));
  const byTopic = new Map<string, MemberSubscription[]>();
  for (const member of members) {
    for (const topic of new Set(member.topics)) {
      let list = byTopic.get(topic);
      if (!list) {
        list = [];
        byTopic.set(topic, list);
      }
      list.push(member);
    }
  }
  for (const [topic, subscribers] of byTopic) {
    const count = partitionsPerTopic.get(topic);
    if (count === undefined) continue;
    subscribers.sort(compareMembers);
    const n = subscribers.length;
    const perMember = Math.floor(count / n);
    const withExtra = count % n;
    for (let i = 0; i < n; i++) {
      const start = perMember * i + Math.min(i, withExtra);
      const length = perMember + (i < withExtra ? 1 : 0);
      for (let p = start; p < start + length; p++) builder.add(subscribers[i].memberId, topic, p);
    }
  }
  return builder.build();
}

export const rangeAssignor: Assignor = {
  name: 'range',
  rebalanceProtocol: 'eager',
  assign: rangeAssign,
};
