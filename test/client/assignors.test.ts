// Assignors: Kafka's own sample inputs with Kafka's expected results (origins named per case), and
// fast-check properties over random groups: every partition of a subscribed topic assigned exactly
// once, only to a member subscribed to it, and the balance each assignor promises.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stickyBalancedAssignment } from '../../src/client/assignors/cooperative-sticky.js';
import {
  cooperativeStickyAssign,
  type GroupAssignment,
  type MemberSubscription,
  rangeAssign,
  roundRobinAssign,
} from '../../src/client/assignors/index.js';

/** "t0p1"-style listing of one member's assignment, in assignment order. */
function names(assignment: GroupAssignment, memberId: string): string[] {
  return (assignment.get(memberId) ?? []).flatMap((tp) => tp.partitions.map((p) => `${tp.topic}p${p}`));
}

function sub(
  memberId: string,
  topics: string[],
  extra: Partial<MemberSubscription> = {},
): MemberSubscription {
  return { memberId, topics, ...extra };
}

const counts = (o: Record<string, number>) => new Map(Object.entries(o));

describe('range: the results Kafka gives for the same inputs', () => {
  it('two consumers, two topics of three partitions (RangeAssignor javadoc, testTwoConsumersTwoTopicsSixPartitions)', () => {
    const a = rangeAssign({
      members: [sub('C1', ['t1', 't0']), sub('C0', ['t0', 't1'])],
      partitionsPerTopic: counts({ t0: 3, t1: 3 }),
    });
    expect(names(a, 'C0')).toEqual(['t0p0', 't0p1', 't1p0', 't1p1']);
    expect(names(a, 'C1')).toEqual(['t0p2', 't1p2']);
  });

  it('mixed topics (RangeAssignorTest.testMultipleConsumersMixedTopics)', () => {
    const a = rangeAssign({
      members: [
        sub('consumer1', ['topic1']),
        sub('consumer2', ['topic1', 'topic2']),
        sub('consumer3', ['topic1']),
      ],
      partitionsPerTopic: counts({ topic1: 3, topic2: 2 }),
    });
    expect(names(a, 'consumer1')).toEqual(['topic1p0']);
    expect(names(a, 'consumer2')).toEqual(['topic1p1', 'topic2p0', 'topic2p1']);
    expect(names(a, 'consumer3')).toEqual(['topic1p2']);
  });

  it('static members sort by instance id, before dynamic ones (testTwoStaticConsumers…, testOneStaticConsumerAndOneDynamic…)', () => {
    const members = [sub('consumer-b', ['topic1', 'topic2'], { groupInstanceId: 'instance1' })];
    for (const high of [
      sub('consumer-a', ['topic1', 'topic2'], { groupInstanceId: 'instance2' }),
      sub('consumer-a', ['topic1', 'topic2']),
    ]) {
      const a = rangeAssign({
        members: [...members, high],
        partitionsPerTopic: counts({ topic1: 3, topic2: 3 }),
      });
      expect(names(a, 'consumer-b')).toEqual(['topic1p0', 'topic1p1', 'topic2p0', 'topic2p1']);
      expect(names(a, 'consumer-a')).toEqual(['topic1p2', 'topic2p2']);
    }
  });

  it('three static members and a dynamic one (testStaticMemberRangeAssignmentPersistent)', () => {
    const statics = [1, 2, 3].map((i) =>
      sub(`consumer${i}`, ['topic1', 'topic2'], { groupInstanceId: `instance${i}` }),
    );
    for (const dynamic of ['consumer4', 'consumer5']) {
      const a = rangeAssign({
        members: [...statics, sub(dynamic, ['topic1', 'topic2'])],
        partitionsPerTopic: counts({ topic1: 5, topic2: 4 }),
      });
      expect(names(a, 'consumer1')).toEqual(['topic1p0', 'topic1p1', 'topic2p0']);
      expect(names(a, 'consumer2')).toEqual(['topic1p2', 'topic2p1']);
      expect(names(a, 'consumer3')).toEqual(['topic1p3', 'topic2p2']);
      expect(names(a, dynamic)).toEqual(['topic1p4', 'topic2p3']);
    }
  });

  it('a topic the metadata does not know gives nothing, and every member has an entry (testOneConsumerNonexistentTopic)', () => {
    const a = rangeAssign({ members: [sub('consumer1', ['topic1'])], partitionsPerTopic: new Map() });
    expect([...a.keys()]).toEqual(['consumer1']);
    expect(a.get('consumer1')).toEqual([]);
  });
});

describe('roundrobin: the results Kafka gives for the same inputs', () => {
  it('identical subscriptions (RoundRobinAssignor javadoc)', () => {
    const a = roundRobinAssign({
      members: [sub('C1', ['t0', 't1']), sub('C0', ['t1', 't0'])],
      partitionsPerTopic: counts({ t0: 3, t1: 3 }),
    });
    expect(names(a, 'C0')).toEqual(['t0p0', 't0p2', 't1p1']);
    expect(names(a, 'C1')).toEqual(['t0p1', 't1p0', 't1p2']);
  });

  it('different subscriptions skip members not subscribed (RoundRobinAssignor javadoc)', () => {
    const a = roundRobinAssign({
      members: [sub('C0', ['t0']), sub('C1', ['t0', 't1']), sub('C2', ['t0', 't1', 't2'])],
      partitionsPerTopic: counts({ t0: 1, t1: 2, t2: 3 }),
    });
    expect(names(a, 'C0')).toEqual(['t0p0']);
    expect(names(a, 'C1')).toEqual(['t1p0']);
    expect(names(a, 'C2')).toEqual(['t1p1', 't2p0', 't2p1', 't2p2']);
  });

  it('static members keep their slots across new member ids (RoundRobinAssignor javadoc, I0..I2)', () => {
    const before = roundRobinAssign({
      members: ['C0', 'C1', 'C2'].map((id, i) => sub(id, ['t0', 't1'], { groupInstanceId: `I${i}` })),
      partitionsPerTopic: counts({ t0: 3, t1: 3 }),
    });
    // After a rolling bounce: C0→C5, C1→C3, C2→C4 with the same instance ids.
    const after = roundRobinAssign({
      members: [
        sub('C5', ['t0', 't1'], { groupInstanceId: 'I0' }),
        sub('C3', ['t0', 't1'], { groupInstanceId: 'I1' }),
        sub('C4', ['t0', 't1'], { groupInstanceId: 'I2' }),
      ],
      partitionsPerTopic: counts({ t0: 3, t1: 3 }),
    });
    expect(names(before, 'C0')).toEqual(['t0p0', 't1p0']);
    expect(names(before, 'C1')).toEqual(['t0p1', 't1p1']);
    expect(names(before, 'C2')).toEqual(['t0p2', 't1p2']);
    expect(names(after, 'C5')).toEqual(names(before, 'C0'));
    expect(names(after, 'C3')).toEqual(names(before, 'C1'));
    expect(names(after, 'C4')).toEqual(names(before, 'C2'));
  });
});

// ---- properties ----

const topicNames = ['a', 'b', 'c', 'd'];

/** A group: 1-6 members with distinct ids, each subscribed to a non-empty subset of topics. */
const groupArb = fc
  .record({
    partitions: fc.tuple(...topicNames.map(() => fc.integer({ min: 0, max: 9 }))),
    members: fc.uniqueArray(
      fc.record({
        memberId: fc.string({ minLength: 1, maxLength: 6 }),
        topics: fc.subarray(topicNames, { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 6, selector: (m) => m.memberId },
    ),
  })
  .map(({ partitions, members }) => ({
    partitionsPerTopic: new Map(topicNames.map((t, i) => [t, partitions[i]] as const)),
    members: members as MemberSubscription[],
  }));

/** Checks exactly-once and eligibility; returns member → partition count. */
function checkCoverage(
  input: { members: MemberSubscription[]; partitionsPerTopic: Map<string, number> },
  a: GroupAssignment,
) {
  expect(new Set(a.keys())).toEqual(new Set(input.members.map((m) => m.memberId)));
  const seen = new Map<string, string>();
  const load = new Map<string, number>();
  for (const m of input.members) {
    let n = 0;
    for (const tp of a.get(m.memberId)!) {
      expect(m.topics).toContain(tp.topic);
      for (const p of tp.partitions) {
        const key = `${tp.topic}/${p}`;
        expect(seen.has(key), `${key} given to ${seen.get(key)} and ${m.memberId}`).toBe(false);
        seen.set(key, m.memberId);
        n++;
      }
    }
    load.set(m.memberId, n);
  }
  const subscribed = new Set(input.members.flatMap((m) => m.topics));
  let expected = 0;
  for (const t of subscribed) expected += input.partitionsPerTopic.get(t) ?? 0;
  expect(seen.size).toBe(expected);
  return load;
}

const spread = (load: Map<string, number>) => Math.max(...load.values()) - Math.min(...load.values());

describe('assignor properties', () => {
  it('range: each partition exactly once; per topic the subscribers differ by at most one', () => {
    fc.assert(
      fc.property(groupArb, (input) => {
        const a = rangeAssign(input);
        checkCoverage(input, a);
        for (const t of topicNames) {
          const subs = input.members.filter((m) => m.topics.includes(t));
          const per = subs.map(
            (m) => a.get(m.memberId)!.find((tp) => tp.topic === t)?.partitions.length ?? 0,
          );
          if (per.length) expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('roundrobin: each partition exactly once; identical subscriptions differ by at most one', () => {
    fc.assert(
      fc.property(groupArb, fc.boolean(), (input, identical) => {
        if (identical) for (const m of input.members) m.topics = [...topicNames];
        const load = checkCoverage(input, roundRobinAssign(input));
        if (identical) expect(spread(load)).toBeLessThanOrEqual(1);
      }),
    );
  });

  /**
   * Previous ownership: a random assignment of each partition to at most one member (from the same
   * generation). Builds fresh objects: fast-check may map one generated value more than once.
   */
  const withOwnershipArb = groupArb.chain((group) => {
    const slots = topicNames.flatMap((t) =>
      Array.from({ length: group.partitionsPerTopic.get(t)! }, (_, p) => ({ topic: t, p })),
    );
    return fc
      .tuple(
        fc.array(fc.integer({ min: -1, max: group.members.length - 1 }), {
          minLength: slots.length,
          maxLength: slots.length,
        }),
        fc.boolean(),
      )
      .map(([owners, identical]) => {
        const members: MemberSubscription[] = group.members.map((m, i) => {
          const topics = identical ? [...topicNames] : [...m.topics];
          const mine = slots.filter((s, k) => owners[k] === i && topics.includes(s.topic));
          const ownedPartitions = topicNames
            .map((t) => ({ topic: t, partitions: mine.filter((s) => s.topic === t).map((s) => s.p) }))
            .filter((tp) => tp.partitions.length > 0);
          return { memberId: m.memberId, topics, ownedPartitions, generationId: 5 };
        });
        return { input: { members, partitionsPerTopic: group.partitionsPerTopic }, identical };
      });
  });

  it('cooperative-sticky target: exactly once, balanced for identical subscriptions, moves only what balance needs', () => {
    fc.assert(
      fc.property(withOwnershipArb, ({ input, identical }) => {
        const target = stickyBalancedAssignment(input);
        const asAssignment: GroupAssignment = new Map(
          [...target].map(([id, slots]) => [
            id,
            topicNames
              .map((t) => ({
                topic: t,
                partitions: slots.filter((s) => s.topic === t).map((s) => s.partition),
              }))
              .filter((tp) => tp.partitions.length > 0),
          ]),
        );
        const load = checkCoverage(input, asAssignment);
        if (!identical) return;
        expect(spread(load)).toBeLessThanOrEqual(1);
        // Fewest moves possible: owners of more than their share keep exactly their share (the
        // members that already hold the most get the ⌈P/N⌉ places); nobody else loses anything.
        const total = [...load.values()].reduce((x, y) => x + y, 0);
        const n = input.members.length;
        const owned = input.members
          .map((m) => (m.ownedPartitions ?? []).reduce((k, tp) => k + tp.partitions.length, 0))
          .sort((x, y) => y - x);
        const floor = Math.floor(total / n);
        const lowerBound = owned.reduce(
          (sum, k, i) => sum + Math.max(0, k - (floor + (i < total % n ? 1 : 0))),
          0,
        );
        let moved = 0;
        for (const m of input.members) {
          const now = new Set(target.get(m.memberId)!.map((s) => s.key));
          for (const tp of m.ownedPartitions ?? []) {
            for (const p of tp.partitions) if (!now.has(`${tp.topic}\u0000${p}`)) moved++;
          }
        }
        expect(moved).toBe(lowerBound);
      }),
    );
  });

  it('cooperative-sticky: never gives a member a partition another member still owns (KIP-429 phase one)', () => {
    fc.assert(
      fc.property(withOwnershipArb, ({ input }) => {
        const a = cooperativeStickyAssign(input);
        const ownerOf = new Map<string, string>();
        for (const m of input.members) {
          for (const tp of m.ownedPartitions ?? [])
            for (const p of tp.partitions) ownerOf.set(`${tp.topic}/${p}`, m.memberId);
        }
        for (const [memberId, tps] of a) {
          for (const tp of tps) {
            for (const p of tp.partitions) {
              const owner = ownerOf.get(`${tp.topic}/${p}`);
              if (owner !== undefined) expect(owner).toBe(memberId);
            }
          }
        }
      }),
    );
  });

  it('cooperative-sticky: rebalancing again after the revocations settles (in one more round for identical subscriptions)', () => {
    fc.assert(
      fc.property(withOwnershipArb, ({ input, identical }) => {
        let owned = cooperativeStickyAssign(input);
        let rounds = 1;
        // Every member now owns exactly what it was given (it revoked the rest) and rejoins; stop
        // when a round changes nothing.
        for (; rounds < 10; rounds++) {
          const next = cooperativeStickyAssign({
            partitionsPerTopic: input.partitionsPerTopic,
            members: input.members.map((m) => ({
              ...m,
              ownedPartitions: owned.get(m.memberId)!,
              generationId: 5 + rounds,
            })),
          });
          // Nothing a member kept is taken from it while it owns it.
          for (const [id, tps] of next) {
            for (const tp of tps) {
              for (const p of tp.partitions) {
                for (const [other, had] of owned) {
                  if (other !== id)
                    expect(had.some((x) => x.topic === tp.topic && x.partitions.includes(p))).toBe(false);
                }
              }
            }
          }
          const same = JSON.stringify([...next]) === JSON.stringify([...owned]);
          owned = next;
          if (same) break;
        }
        expect(rounds).toBeLessThan(10);
        const load = checkCoverage(input, owned);
        if (identical) {
          expect(rounds).toBeLessThanOrEqual(2);
          expect(spread(load)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe('cooperative-sticky: worked examples', () => {
  it('a third member joins: each old member gives up only its surplus, the newcomer waits one round', () => {
    // 6 partitions, A owns 0-2, B owns 3-5; C joins owning nothing.
    const members = [
      sub('A', ['t'], { ownedPartitions: [{ topic: 't', partitions: [0, 1, 2] }], generationId: 3 }),
      sub('B', ['t'], { ownedPartitions: [{ topic: 't', partitions: [3, 4, 5] }], generationId: 3 }),
      sub('C', ['t'], { generationId: -1 }),
    ];
    const first = cooperativeStickyAssign({ members, partitionsPerTopic: counts({ t: 6 }) });
    expect(names(first, 'A')).toHaveLength(2);
    expect(names(first, 'B')).toHaveLength(2);
    expect(names(first, 'C')).toEqual([]);
    const second = cooperativeStickyAssign({
      members: members.map((m) => ({ ...m, ownedPartitions: first.get(m.memberId), generationId: 4 })),
      partitionsPerTopic: counts({ t: 6 }),
    });
    expect(second.get('A')).toEqual(first.get('A'));
    expect(second.get('B')).toEqual(first.get('B'));
    expect(names(second, 'C')).toHaveLength(2);
  });

  it('claims from an older generation are not trusted; a partition claimed twice goes to neither claimant first', () => {
    const stale = cooperativeStickyAssign({
      members: [
        sub('A', ['t'], { ownedPartitions: [{ topic: 't', partitions: [0, 1] }], generationId: 7 }),
        sub('B', ['t'], { ownedPartitions: [{ topic: 't', partitions: [0, 1] }], generationId: 6 }),
      ],
      partitionsPerTopic: counts({ t: 2 }),
    });
    // A's claim (gen 7) wins over B's stale one; p that A keeps stays, the other is withheld because B still claims it.
    expect(names(stale, 'B')).toEqual([]);
    expect(names(stale, 'A')).toHaveLength(1);
  });
});
