/**
 * The server-side assignors of KIP-848 (org.apache.kafka.coordinator.group.assignor): `uniform`
 * (Kafka's default: balanced and sticky) and `range` (per topic, contiguous ranges in member order).
 * Pure functions from the group's subscriptions and the previous target assignment to the next one.
 */
import type { Assignment, AssignorName, TopicInfo } from './types.js';

export interface AssignorMember {
  memberId: string;
  instanceId: string | null;
  /** Topic ids the member is subscribed to that exist. */
  subscribedTopicIds: ReadonlySet<string>;
  /** The member's current target assignment (stickiness). */
  target: Assignment;
}

export interface AssignorInput {
  /** In the order members joined. */
  members: readonly AssignorMember[];
  topics: ReadonlyMap<string, TopicInfo>;
}

export function assign(name: AssignorName, input: AssignorInput): Map<string, Assignment> {
  return name === 'range' ? rangeAssign(input) : uniformAssign(input);
}

function isHomogeneous(members: readonly AssignorMember[]): boolean {
  const first = members[0]?.subscribedTopicIds;
  if (!first) return true;
  return members.every(
    (m) => m.subscribedTopicIds.size === first.size && [...first].every((t) => m.subscribedTopicIds.has(t)),
  );
}

/** Topic ids in a stable order (by name), so an assignment does not depend on Map insertion history. */
function sortedTopicIds(ids: Iterable<string>, topics: ReadonlyMap<string, TopicInfo>): string[] {
  return [...ids]
    .filter((id) => topics.has(id))
    .sort((a, b) => topics.get(a)!.name.localeCompare(topics.get(b)!.name));
}

function add(a: Assignment, topicId: string, partition: number): void {
  let s = a.get(topicId);
  if (!s) {
    s = new Set();
    a.set(topicId, s);
  }
  s.add(partition);
}

// ---------------------------------------------------------------------------------------------------
// Range (RangeAssignor): members sorted by instance id (static members first), then member id; per
// topic, each takes the next contiguous range, the first `partitions % members` one extra.

function rangeAssign({ members, topics }: AssignorInput): Map<string, Assignment> {
  const sorted = [...members].sort((x, y) => {
    if (x.instanceId !== null && y.instanceId !== null) return cmp(x.instanceId, y.instanceId);
    if (x.instanceId !== null) return -1;
    if (y.instanceId !== null) return 1;
    return cmp(x.memberId, y.memberId);
  });
  const out = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
  const allTopics = new Set<string>();
  for (const m of sorted) for (const t of m.subscribedTopicIds) allTopics.add(t);
  for (const topicId of sortedTopicIds(allTopics, topics)) {
    const subscribers = sorted.filter((m) => m.subscribedTopicIds.has(topicId));
    const n = topics.get(topicId)!.numPartitions;
    const quota = Math.floor(n / subscribers.length);
    let extra = n % subscribers.length;
    let next = 0;
    for (const m of subscribers) {
      const size = quota + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
      for (let p = next; p < Math.min(next + size, n); p++) add(out.get(m.memberId)!, topicId, p);
      next += size;
    }
  }
  return out;
}

/** Java's String.compareTo: UTF-16 code units. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Uniform (UniformAssignor). Homogeneous subscriptions as UniformHomogeneousAssignmentBuilder: every
// member has a quota (total / members, the first `total % members` one more); each keeps what it
// already has up to its quota, then the unassigned partitions fill the members with room, in order.
// Heterogeneous subscriptions: per topic, the partitions a subscriber already has stay; the rest go
// one by one to the subscriber with the fewest partitions — balanced per topic, not Kafka's
// heterogeneous builder exactly (SKIPPED.md).

function uniformAssign(input: AssignorInput): Map<string, Assignment> {
  const { members } = input;
  if (members.length === 0) return new Map();
  return isHomogeneous(members) ? uniformHomogeneous(input) : uniformHeterogeneous(input);
}

function uniformHomogeneous({ members, topics }: AssignorInput): Map<string, Assignment> {
  const subscribed = sortedTopicIds(members[0].subscribedTopicIds, topics);
  const out = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
  if (subscribed.length === 0) return out;
  const subscribedSet = new Set(subscribed);
  const taken = new Set<string>();
  let total = 0;
  for (const t of subscribed) total += topics.get(t)!.numPartitions;
  const minQuota = Math.floor(total / members.length);
  let extra = total % members.length;
  const room = new Map<string, number>();
  for (const m of members) {
    let quota = minQuota + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    const mine = out.get(m.memberId)!;
    for (const topicId of sortedTopicIds(m.target.keys(), topics)) {
      if (!subscribedSet.has(topicId)) continue;
      const n = topics.get(topicId)!.numPartitions;
      for (const p of [...m.target.get(topicId)!].sort((a, b) => a - b)) {
        const key = `${topicId}:${p}`;
        if (quota === 0 || p >= n || taken.has(key)) continue;
        add(mine, topicId, p);
        taken.add(key);
        quota--;
      }
    }
    room.set(m.memberId, quota);
  }
  const unassigned: [string, number][] = [];
  for (const topicId of subscribed) {
    for (let p = 0; p < topics.get(topicId)!.numPartitions; p++) {
      if (!taken.has(`${topicId}:${p}`)) unassigned.push([topicId, p]);
    }
  }
  let i = 0;
  for (const m of members) {
    for (let q = room.get(m.memberId)!; q > 0 && i < unassigned.length; q--, i++) {
      add(out.get(m.memberId)!, unassigned[i][0], unassigned[i][1]);
    }
  }
  return out;
}

function uniformHeterogeneous({ members, topics }: AssignorInput): Map<string, Assignment> {
  const out = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
  const load = new Map<string, number>(members.map((m) => [m.memberId, 0]));
  const allTopics = new Set<string>();
  for (const m of members) for (const t of m.subscribedTopicIds) allTopics.add(t);
  for (const topicId of sortedTopicIds(allTopics, topics)) {
    const subscribers = members.filter((m) => m.subscribedTopicIds.has(topicId));
    const n = topics.get(topicId)!.numPartitions;
    const perMember = Math.ceil(n / subscribers.length);
    const owner = new Map<number, string>();
    const count = new Map<string, number>();
    for (const m of subscribers) {
      for (const p of [...(m.target.get(topicId) ?? [])].sort((a, b) => a - b)) {
        if (p >= n || owner.has(p) || (count.get(m.memberId) ?? 0) >= perMember) continue;
        owner.set(p, m.memberId);
        count.set(m.memberId, (count.get(m.memberId) ?? 0) + 1);
      }
    }
    for (let p = 0; p < n; p++) {
      if (owner.has(p)) continue;
      let best = subscribers[0];
      for (const m of subscribers) {
        const lm = (count.get(m.memberId) ?? 0) * 1e6 + load.get(m.memberId)!;
        const lb = (count.get(best.memberId) ?? 0) * 1e6 + load.get(best.memberId)!;
        if (lm < lb) best = m;
      }
      owner.set(p, best.memberId);
      count.set(best.memberId, (count.get(best.memberId) ?? 0) + 1);
    }
    for (const [p, memberId] of owner) {
      add(out.get(memberId)!, topicId, p);
      load.set(memberId, load.get(memberId)! + 1);
    }
  }
  return out;
}
