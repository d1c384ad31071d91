// The KIP-848 consumer group coordinator without bytes or sockets, on a ManualClock. Expected
// behaviour is Kafka's GroupMetadataManager.consumerGroupHeartbeat and CurrentAssignmentBuilder:
// epochs, revocation before reassignment, session and rebalance timeouts, the two assignors.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/emulator/clock.js';
import {
  ConsumerGroups,
  ConsumerGroupErrors as E,
  type HeartbeatArgs,
  type HeartbeatResult,
  type TopicInfo,
  type TopicPartitions,
} from '../../src/emulator/state/group-consumer/index.js';

const T = { id: 'topicAAAAAAAAAAAAAAAAA', name: 't', numPartitions: 4 };

function setup(
  options: { topics?: TopicInfo[]; config?: ConstructorParameters<typeof ConsumerGroups>[0]['config'] } = {},
) {
  const clock = new ManualClock();
  const topics = options.topics ?? [T];
  const classic = new Map<string, 'empty' | 'active'>();
  const groups = new ConsumerGroups({
    clock,
    config: options.config,
    topics: {
      byName: (n) => topics.find((t) => t.name === n),
      byId: (id) => topics.find((t) => t.id === id),
      all: () => topics,
    },
    classic: { kind: (g) => classic.get(g) ?? 'none', removeEmpty: (g) => void classic.delete(g) },
  });
  return { clock, groups, topics, classic };
}

function args(over: Partial<HeartbeatArgs>): HeartbeatArgs {
  return {
    groupId: 'g',
    memberId: '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 300_000,
    subscribedTopicNames: ['t'],
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: [],
    clientId: 'c',
    clientHost: '/127.0.0.1',
    apiVersion: 1,
    ...over,
  };
}

/** A regular heartbeat: only what changed is sent (Java's heartbeat state), owned partitions given. */
function beat(
  member: { id: string; epoch: number },
  owned: TopicPartitions[] | null,
  over: Partial<HeartbeatArgs> = {},
) {
  return args({
    memberId: member.id,
    memberEpoch: member.epoch,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    topicPartitions: owned,
    ...over,
  });
}

const parts = (r: HeartbeatResult) => r.assignment?.topicPartitions.flatMap((t) => t.partitions) ?? null;
const owned = (ps: number[]): TopicPartitions[] => (ps.length ? [{ topicId: T.id, partitions: ps }] : []);

describe('ConsumerGroupHeartbeat: joining and epochs', () => {
  it('one member then two with uniform: group epochs 1 and 2, the second waits until the first revokes', () => {
    const { groups } = setup();
    const a = groups.heartbeat(args({ memberId: 'A' }));
    expect(a).toMatchObject({ errorCode: 0, memberId: 'A', memberEpoch: 1, heartbeatIntervalMs: 5000 });
    expect(parts(a)).toEqual([0, 1, 2, 3]);
    expect(groups.snapshot('g')).toMatchObject({
      state: 'Stable',
      groupEpoch: 1,
      assignmentEpoch: 1,
      assignor: 'uniform',
    });

    // B joins: epoch 2, target 2+2, but A still owns everything: B gets epoch 2 and nothing yet.
    const b = groups.heartbeat(args({ memberId: 'B' }));
    expect(b).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(parts(b)).toEqual([]);
    const snap = groups.snapshot('g')!;
    expect(snap).toMatchObject({ state: 'Reconciling', groupEpoch: 2, assignmentEpoch: 2 });
    expect(snap.members.find((m) => m.memberId === 'B')!.state).toBe('UNRELEASED_PARTITIONS');

    // A's next heartbeat: revoke two partitions, still at epoch 1.
    const a2 = groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1, 2, 3])));
    expect(a2.memberEpoch).toBe(1);
    expect(parts(a2)).toEqual([0, 1]);
    expect(groups.snapshot('g')!.members.find((m) => m.memberId === 'A')).toMatchObject({
      state: 'UNREVOKED_PARTITIONS',
      pendingRevocation: [{ topicId: T.id, partitions: [2, 3] }],
    });

    // Until A says it no longer owns 2 and 3, B gets nothing.
    expect(parts(groups.heartbeat(beat({ id: 'B', epoch: 2 }, [])))).toBeNull();
    const a3 = groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1])));
    expect(a3.memberEpoch).toBe(2);
    expect(a3.assignment).toBeNull(); // same partitions, new epoch only

    const b2 = groups.heartbeat(beat({ id: 'B', epoch: 2 }, []));
    expect(b2.memberEpoch).toBe(2);
    expect(parts(b2)).toEqual([2, 3]);
    expect(groups.snapshot('g')!.state).toBe('Stable');
  });

  it('v0: the coordinator makes up the member id; v1 refuses an empty one', () => {
    const { groups } = setup();
    const r = groups.heartbeat(args({ memberId: '', apiVersion: 0 }));
    expect(r.errorCode).toBe(0);
    expect(r.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(groups.heartbeat(args({ memberId: '', apiVersion: 1 }))).toMatchObject({
      errorCode: E.INVALID_REQUEST,
      errorMessage: "MemberId can't be empty.",
    });
  });

  it('a heartbeat with an epoch ahead of the member, or an old one, is FENCED_MEMBER_EPOCH; unknown members UNKNOWN_MEMBER_ID', () => {
    const { groups } = setup();
    groups.heartbeat(args({ memberId: 'A' }));
    expect(groups.heartbeat(beat({ id: 'A', epoch: 5 }, owned([0, 1, 2, 3]))).errorCode).toBe(
      E.FENCED_MEMBER_EPOCH,
    );
    groups.heartbeat(args({ memberId: 'B' })); // group epoch 2
    groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1, 2, 3])));
    groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1]))); // A now at epoch 2, previous 1
    // The previous epoch with a subset of the assignment is a lost response: accepted.
    expect(groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0]))).errorCode).toBe(0);
    expect(groups.heartbeat(beat({ id: 'A', epoch: 0 }, owned([0]), { memberEpoch: -3 })).errorCode).toBe(
      E.INVALID_REQUEST,
    );
    expect(groups.heartbeat(beat({ id: 'Z', epoch: 3 }, [])).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect(groups.heartbeat(beat({ id: 'Z', epoch: 3 }, [], { groupId: 'nope' })).errorCode).toBe(
      E.GROUP_ID_NOT_FOUND,
    );
  });

  it('GROUP_MAX_SIZE_REACHED beyond group.consumer.max.size; UNSUPPORTED_ASSIGNOR for an unknown assignor', () => {
    const { groups } = setup({ config: { maxSize: 1 } });
    groups.heartbeat(args({ memberId: 'A' }));
    expect(groups.heartbeat(args({ memberId: 'B' })).errorCode).toBe(E.GROUP_MAX_SIZE_REACHED);
    expect(groups.heartbeat(beat({ id: 'A', epoch: 1 }, null)).errorCode).toBe(0);
    expect(groups.heartbeat(args({ memberId: 'C', groupId: 'h', serverAssignor: 'sticky' }))).toMatchObject({
      errorCode: E.UNSUPPORTED_ASSIGNOR,
      errorMessage: 'ServerAssignor sticky is not supported. Supported assignors: uniform, range.',
    });
  });

  it('a live classic group of that id is not a consumer group; an Empty one gives way', () => {
    const { groups, classic } = setup();
    classic.set('g', 'active');
    expect(groups.heartbeat(args({ memberId: 'A' })).errorCode).toBe(E.GROUP_ID_NOT_FOUND);
    classic.set('g', 'empty');
    expect(groups.heartbeat(args({ memberId: 'A' })).errorCode).toBe(0);
    expect(classic.has('g')).toBe(false);
  });
});

describe('leaving and timeouts', () => {
  it('a member that leaves (-1) bumps the group epoch; the other gets its partitions', () => {
    const { groups } = setup();
    groups.heartbeat(args({ memberId: 'A' }));
    groups.heartbeat(args({ memberId: 'B' }));
    groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1, 2, 3])));
    groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1])));
    groups.heartbeat(beat({ id: 'B', epoch: 2 }, []));
    expect(groups.heartbeat(beat({ id: 'A', epoch: 2 }, null, { memberEpoch: -1 }))).toMatchObject({
      errorCode: 0,
      memberId: 'A',
      memberEpoch: -1,
    });
    expect(groups.snapshot('g')).toMatchObject({ state: 'Assigning', groupEpoch: 3, assignmentEpoch: 2 });
    const b = groups.heartbeat(beat({ id: 'B', epoch: 2 }, owned([2, 3])));
    expect(b.memberEpoch).toBe(3);
    expect(parts(b)).toEqual([0, 1, 2, 3]);
    expect(groups.heartbeat(beat({ id: 'A', epoch: 2 }, null)).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('a silent member is fenced at group.consumer.session.timeout.ms, not before', () => {
    const { groups, clock } = setup({ config: { sessionTimeoutMs: 45_000 } });
    groups.heartbeat(args({ memberId: 'A' }));
    groups.heartbeat(args({ memberId: 'B' }));
    clock.advance(30_000);
    groups.heartbeat(beat({ id: 'B', epoch: 2 }, []));
    clock.advance(14_999);
    expect(groups.snapshot('g')!.members).toHaveLength(2);
    clock.advance(1);
    expect(groups.snapshot('g')!.members.map((m) => m.memberId)).toEqual(['B']);
    expect(groups.snapshot('g')!.groupEpoch).toBe(3);
    // B now gets everything A had, which nobody owns any more.
    expect(parts(groups.heartbeat(beat({ id: 'B', epoch: 2 }, [])))).toEqual([0, 1, 2, 3]);
  });

  it('a member that does not revoke within its rebalance timeout is fenced', () => {
    const { groups, clock } = setup();
    groups.heartbeat(args({ memberId: 'A', rebalanceTimeoutMs: 10_000 }));
    groups.heartbeat(args({ memberId: 'B' }));
    groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1, 2, 3]))); // revocation asked
    clock.advance(5000);
    groups.heartbeat(beat({ id: 'A', epoch: 1 }, owned([0, 1, 2, 3]))); // still owns them
    groups.heartbeat(beat({ id: 'B', epoch: 2 }, []));
    clock.advance(5000);
    expect(groups.snapshot('g')!.members.map((m) => m.memberId)).toEqual(['B']);
  });

  it('a static member leaving with -2 keeps its partitions; its next incarnation takes them back, another instance id is UNRELEASED_INSTANCE_ID while it holds them', () => {
    const { groups } = setup();
    groups.heartbeat(args({ memberId: 'A', instanceId: 'i1' }));
    expect(groups.heartbeat(args({ memberId: 'A2', instanceId: 'i1' })).errorCode).toBe(
      E.UNRELEASED_INSTANCE_ID,
    );
    expect(
      groups.heartbeat(beat({ id: 'A', epoch: 1 }, null, { memberEpoch: -2, instanceId: 'i1' })),
    ).toMatchObject({ errorCode: 0, memberEpoch: -2 });
    expect(groups.snapshot('g')!.groupEpoch).toBe(1);
    const again = groups.heartbeat(args({ memberId: 'A2', instanceId: 'i1' }));
    expect(again).toMatchObject({ errorCode: 0, memberId: 'A2', memberEpoch: 1 });
    expect(parts(again)).toEqual([0, 1, 2, 3]);
    expect(groups.heartbeat(beat({ id: 'A', epoch: 1 }, null, { instanceId: 'i1' })).errorCode).toBe(
      E.FENCED_INSTANCE_ID,
    );
  });
});

describe('assignors', () => {
  const T2 = { id: 'topicBBBBBBBBBBBBBBBBB', name: 'u', numPartitions: 3 };

  it('range: contiguous ranges per topic in member id order, the first members one extra', () => {
    const { groups } = setup({ topics: [T, T2] });
    const sub = { subscribedTopicNames: ['t', 'u'], serverAssignor: 'range' };
    groups.heartbeat(args({ memberId: 'm2', ...sub }));
    groups.heartbeat(args({ memberId: 'm1', ...sub }));
    groups.heartbeat(args({ memberId: 'm3', ...sub }));
    const target = Object.fromEntries(groups.snapshot('g')!.members.map((m) => [m.memberId, m.target]));
    expect(target).toEqual({
      m1: [
        { topicId: T.id, partitions: [0, 1] },
        { topicId: T2.id, partitions: [0] },
      ],
      m2: [
        { topicId: T.id, partitions: [2] },
        { topicId: T2.id, partitions: [1] },
      ],
      m3: [
        { topicId: T.id, partitions: [3] },
        { topicId: T2.id, partitions: [2] },
      ],
    });
    expect(groups.describe('g').assignorName).toBe('range');
  });

  it('uniform is sticky: a third member takes partitions without moving the others more than needed', () => {
    const six = { id: 'topicCCCCCCCCCCCCCCCCC', name: 'six', numPartitions: 6 };
    const { groups } = setup({ topics: [six] });
    const sub = { subscribedTopicNames: ['six'] };
    groups.heartbeat(args({ memberId: 'A', ...sub }));
    groups.heartbeat(args({ memberId: 'B', ...sub }));
    const before = Object.fromEntries(
      groups.snapshot('g')!.members.map((m) => [m.memberId, m.target[0].partitions]),
    );
    groups.heartbeat(args({ memberId: 'C', ...sub }));
    const after = Object.fromEntries(
      groups.snapshot('g')!.members.map((m) => [m.memberId, m.target[0]?.partitions ?? []]),
    );
    expect(Object.values(after).map((p) => p.length)).toEqual([2, 2, 2]);
    for (const id of ['A', 'B']) for (const p of after[id]) expect(before[id]).toContain(p);
    expect([...after.A, ...after.B, ...after.C].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('regular expression subscriptions', () => {
  it('resolved off the heartbeat: the member joins with nothing, gets the partitions at the next epoch, and a new matching topic later', () => {
    const { groups, clock, topics } = setup({
      topics: [T, { id: 'otherAAAAAAAAAAAAAAAAA', name: 'other', numPartitions: 2 }],
    });
    const j = groups.heartbeat(
      args({ memberId: 'A', subscribedTopicNames: null, subscribedTopicRegex: 't.*' }),
    );
    expect(j).toMatchObject({ errorCode: 0, memberEpoch: 1 });
    expect(parts(j)).toEqual([]);
    clock.advance(0); // the resolution runs
    expect(groups.snapshot('g')!.groupEpoch).toBe(2);
    const h = groups.heartbeat(beat({ id: 'A', epoch: 1 }, []));
    expect(h.memberEpoch).toBe(2);
    expect(h.assignment?.topicPartitions).toEqual([{ topicId: T.id, partitions: [0, 1, 2, 3] }]);

    topics.push({ id: 'txAAAAAAAAAAAAAAAAAAAA', name: 'tx', numPartitions: 1 });
    // Kafka batches resolutions: none within 10 s of the last one started (REGEX_BATCHING_INTERVAL_MS).
    clock.advance(10_000);
    expect(groups.heartbeat(beat({ id: 'A', epoch: 2 }, owned([0, 1, 2, 3]))).memberEpoch).toBe(2);
    clock.advance(0);
    expect(groups.snapshot('g')!.groupEpoch).toBe(2);
    // Past it, the new topic calls for a resolution; its result is at the next heartbeat.
    clock.advance(1);
    expect(groups.heartbeat(beat({ id: 'A', epoch: 2 }, owned([0, 1, 2, 3]))).memberEpoch).toBe(2);
    clock.advance(0);
    const later = groups.heartbeat(beat({ id: 'A', epoch: 2 }, owned([0, 1, 2, 3])));
    expect(later.memberEpoch).toBe(3);
    expect(later.assignment?.topicPartitions.map((t) => t.topicId).sort()).toEqual(
      [T.id, 'txAAAAAAAAAAAAAAAAAAAA'].sort(),
    );
    expect(groups.describe('g').members[0]).toMatchObject({
      subscribedTopicRegex: 't.*',
      subscribedTopicNames: [],
    });
  });

  it('a full heartbeat of a regex member (rebalance timeout, regex, owned; no names) gets its assignment back, as Kafka 4.1', () => {
    const { groups, clock } = setup();
    groups.heartbeat(args({ memberId: 'A', subscribedTopicNames: null, subscribedTopicRegex: 't' }));
    clock.advance(0);
    expect(parts(groups.heartbeat(beat({ id: 'A', epoch: 1 }, [])))).toEqual([0, 1, 2, 3]);
    // Nothing changed: a partial heartbeat carries no assignment; a full one (after an error) does.
    expect(groups.heartbeat(beat({ id: 'A', epoch: 2 }, owned([0, 1, 2, 3]))).assignment).toBeNull();
    const full = groups.heartbeat(
      beat({ id: 'A', epoch: 2 }, owned([0, 1, 2, 3]), {
        rebalanceTimeoutMs: 300_000,
        subscribedTopicRegex: 't',
      }),
    );
    expect(parts(full)).toEqual([0, 1, 2, 3]);
    // Without the owned partitions it is not full.
    const notFull = groups.heartbeat(
      beat({ id: 'A', epoch: 2 }, null, { rebalanceTimeoutMs: 300_000, subscribedTopicRegex: 't' }),
    );
    expect(notFull.assignment).toBeNull();
  });

  it("an invalid expression is INVALID_REGULAR_EXPRESSION with RE2/J's description, and the member is not created", () => {
    const { groups } = setup();
    const bad = (regex: string) =>
      groups.heartbeat(args({ memberId: 'A', subscribedTopicNames: null, subscribedTopicRegex: regex }));
    expect(bad('(')).toMatchObject({
      errorCode: E.INVALID_REGULAR_EXPRESSION,
      errorMessage: 'SubscribedTopicRegex `(` is not a valid regular expression: missing closing ).',
    });
    // JavaScript takes lookahead and backreferences; RE2 has neither.
    expect(bad('(?=t)t').errorMessage).toBe(
      'SubscribedTopicRegex `(?=t)t` is not a valid regular expression: invalid or unsupported Perl syntax.',
    );
    expect(bad('(t)\\1').errorMessage).toMatch(/: invalid escape sequence\.$/);
    expect(groups.has('g')).toBe(false);
  });

  it('the whole name matches; a member moving to a regex the group already resolved bumps the epoch at once', () => {
    const { groups, clock } = setup({
      topics: [T, { id: 'ttAAAAAAAAAAAAAAAAAAAA', name: 'tt', numPartitions: 1 }],
    });
    groups.heartbeat(args({ memberId: 'A', subscribedTopicNames: null, subscribedTopicRegex: 't' }));
    groups.heartbeat(args({ memberId: 'B', subscribedTopicNames: ['tt'] }));
    clock.advance(0);
    const a = groups.snapshot('g')!.members[0]!;
    groups.heartbeat(beat({ id: 'A', epoch: a.memberEpoch }, []));
    // 't' is 't' only, not 'tt' (a search would take both).
    expect(groups.describe('g').members[0]!.targetAssignment.topicPartitions.map((t) => t.topicName)).toEqual(
      ['t'],
    );
    const epoch = groups.snapshot('g')!.groupEpoch;
    const b = groups.snapshot('g')!.members[1]!;
    groups.heartbeat(
      beat({ id: 'B', epoch: b.memberEpoch }, null, { subscribedTopicNames: [], subscribedTopicRegex: 't' }),
    );
    expect(groups.snapshot('g')!.groupEpoch).toBe(epoch + 1);
  });
});

describe('offsets and views', () => {
  it('OffsetCommit: STALE_MEMBER_EPOCH for an old epoch, UNKNOWN_MEMBER_ID for a stranger, UNSUPPORTED_VERSION below v9', () => {
    const { groups } = setup();
    groups.heartbeat(args({ memberId: 'A' }));
    const v = (memberId: string, memberEpoch: number, apiVersion = 9) =>
      groups.validateOffsetCommit({ groupId: 'g', memberId, memberEpoch, apiVersion })?.errorCode;
    expect(v('A', 1)).toBe(0);
    expect(v('A', 0)).toBe(E.STALE_MEMBER_EPOCH);
    expect(v('X', 1)).toBe(E.UNKNOWN_MEMBER_ID);
    expect(v('', -1)).toBe(E.UNKNOWN_MEMBER_ID);
    expect(v('A', 1, 8)).toBe(E.UNSUPPORTED_VERSION);
    expect(
      groups.validateOffsetCommit({ groupId: 'classic', memberId: 'A', memberEpoch: 1, apiVersion: 9 }),
    ).toBeUndefined();
    expect(groups.validateOffsetFetch({ groupId: 'g', memberId: 'A', memberEpoch: 0 })).toBe(
      E.STALE_MEMBER_EPOCH,
    );
    expect(groups.validateOffsetFetch({ groupId: 'g', memberId: null, memberEpoch: -1 })).toBe(0);
  });

  it('ListGroups shows consumer groups with type and state filters; describe answers GROUP_ID_NOT_FOUND for others', () => {
    const { groups, classic } = setup();
    groups.heartbeat(args({ memberId: 'A' }));
    expect(groups.list()).toEqual([
      { groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    ]);
    expect(groups.list({ types: ['Classic'] })).toEqual([]);
    expect(groups.list({ states: ['empty'] })).toEqual([]);
    classic.set('old', 'active');
    expect(groups.describe('old')).toMatchObject({
      errorCode: E.GROUP_ID_NOT_FOUND,
      errorMessage: 'Group old is not a consumer group.',
    });
    expect(groups.describe('none')).toMatchObject({
      errorCode: E.GROUP_ID_NOT_FOUND,
      errorMessage: 'Group none not found.',
    });
    expect(groups.describe('g').members[0]).toMatchObject({
      memberId: 'A',
      memberEpoch: 1,
      subscribedTopicNames: ['t'],
      assignment: { topicPartitions: [{ topicId: T.id, topicName: 't', partitions: [0, 1, 2, 3] }] },
      memberType: 1,
    });
  });
});
