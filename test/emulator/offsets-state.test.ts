// Committed offsets and OffsetCommit's acceptance rules, without bytes. Expected behaviour: Apache Kafka's
// ClassicGroup.validateOffsetCommit / OffsetMetadataManager as summarised in
// /work/shared/notes/broker-behaviour.md §1.10, §2 G6 and rows 48, 50-55.
import { describe, expect, it } from 'vitest';
import {
  GroupErrors as E,
  Groups,
  type JoinGroupArgs,
  ManualClock,
} from '../../src/emulator/state/groups.js';
import { OffsetStore } from '../../src/emulator/state/offsets.js';
import { joinArgs } from './support/join-args.js';

// This file's members announce one byte of subscription metadata (DescribeGroups shows it).
const join = (over: Partial<JoinGroupArgs> = {}) => joinArgs(over, new Uint8Array([1]));

const oneOffset = (offset: bigint, metadata: string | null = null) => [
  {
    name: 't',
    partitions: [
      { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: metadata },
    ],
  },
];

function commitCode(groups: Groups, over: Partial<Parameters<Groups['commitOffsets']>[0]>): number {
  const r = groups.commitOffsets({
    groupId: 'g',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    groupIdNotFoundSupported: true,
    topics: oneOffset(5n),
    ...over,
  });
  return r[0].partitions[0].errorCode;
}

async function stableMember(groups: Groups) {
  const j = await groups.joinGroup(join());
  await groups.syncGroup({
    groupId: 'g',
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  return j;
}

describe('OffsetCommit acceptance', () => {
  it('a simple/admin commit (generation -1, no member) creates an Empty group and stores the offset', () => {
    const groups = new Groups({ clock: new ManualClock() });
    expect(commitCode(groups, {})).toBe(E.NONE);
    expect(groups.stateOf('g')?.state).toBe('Empty');
    expect(groups.offsets.get('g', 't', 0)?.offset).toBe(5n);
  });

  it('an unknown group with a generation: GROUP_ID_NOT_FOUND on v9+, ILLEGAL_GENERATION before', () => {
    const groups = new Groups({ clock: new ManualClock() });
    expect(commitCode(groups, { generationId: 3, memberId: 'm' })).toBe(E.GROUP_ID_NOT_FOUND);
    expect(commitCode(groups, { generationId: 3, memberId: 'm', groupIdNotFoundSupported: false })).toBe(
      E.ILLEGAL_GENERATION,
    );
    expect(groups.offsets.hasOffsets('g')).toBe(false);
  });

  it('a current member in Stable commits; a stale generation or unknown member does not', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    const m = await stableMember(groups);
    expect(commitCode(groups, { generationId: m.generationId, memberId: m.memberId })).toBe(E.NONE);
    expect(commitCode(groups, { generationId: m.generationId - 1, memberId: m.memberId })).toBe(
      E.ILLEGAL_GENERATION,
    );
    expect(commitCode(groups, { generationId: m.generationId, memberId: 'x' })).toBe(E.UNKNOWN_MEMBER_ID);
    // Without member and generation only an Empty group accepts it.
    expect(commitCode(groups, {})).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('commit-on-revoke: accepted while PreparingRebalance with the current generation', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    const m = await stableMember(groups);
    void groups.joinGroup(join({ clientId: 'newcomer' }));
    expect(groups.stateOf('g')?.state).toBe('PreparingRebalance');
    expect(
      commitCode(groups, { generationId: m.generationId, memberId: m.memberId, topics: oneOffset(9n) }),
    ).toBe(E.NONE);
    expect(groups.offsets.get('g', 't', 0)?.offset).toBe(9n);
  });

  it('REBALANCE_IN_PROGRESS while CompletingRebalance', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    const j = await groups.joinGroup(join());
    expect(groups.stateOf('g')?.state).toBe('CompletingRebalance');
    expect(commitCode(groups, { generationId: j.generationId, memberId: j.memberId })).toBe(
      E.REBALANCE_IN_PROGRESS,
    );
  });

  it('metadata longer than 4096 is OFFSET_METADATA_TOO_LARGE for that partition only', () => {
    const groups = new Groups({ clock: new ManualClock() });
    const r = groups.commitOffsets({
      groupId: 'g',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      groupIdNotFoundSupported: true,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 1n,
              committedLeaderEpoch: -1,
              committedMetadata: 'x'.repeat(4097),
            },
            {
              partitionIndex: 1,
              committedOffset: 2n,
              committedLeaderEpoch: 4,
              committedMetadata: 'y'.repeat(4096),
            },
          ],
        },
      ],
    });
    expect(r[0].partitions).toEqual([
      { partitionIndex: 0, errorCode: 12 },
      { partitionIndex: 1, errorCode: E.NONE },
    ]);
    expect(groups.offsets.get('g', 't', 0)).toBeUndefined();
    expect(groups.offsets.get('g', 't', 1)).toMatchObject({ offset: 2n, leaderEpoch: 4 });
  });

  it('unknown partitions are UNKNOWN_TOPIC_OR_PARTITION when a partition check is given', () => {
    const groups = new Groups({ clock: new ManualClock() });
    expect(commitCode(groups, { partitionExists: () => false })).toBe(3);
  });
});

describe('OffsetFetch', () => {
  it('answers -1 for partitions never committed, and every committed partition when topics is null', () => {
    const store = new OffsetStore();
    store.commit(
      'g',
      [
        {
          name: 't',
          partitions: [
            { partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: 0, committedMetadata: 'meta' },
          ],
        },
      ],
      { now: 1 },
    );
    expect(store.fetch('g', [{ name: 't', partitionIndexes: [0, 1] }])).toEqual([
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          {
            partitionIndex: 1,
            committedOffset: 42n,
            committedLeaderEpoch: 0,
            metadata: 'meta',
            errorCode: 0,
          },
        ],
      },
    ]);
    expect(store.fetch('g', null)).toEqual([
      {
        name: 't',
        partitions: [
          {
            partitionIndex: 1,
            committedOffset: 42n,
            committedLeaderEpoch: 0,
            metadata: 'meta',
            errorCode: 0,
          },
        ],
      },
    ]);
    expect(store.fetch('other', null)).toEqual([]);
  });

  it('committed offsets survive the group going Empty and a new generation', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    const m = await stableMember(groups);
    expect(
      commitCode(groups, { generationId: m.generationId, memberId: m.memberId, topics: oneOffset(77n) }),
    ).toBe(E.NONE);
    groups.leaveGroup('g', [{ memberId: m.memberId, groupInstanceId: null }]);
    expect(groups.stateOf('g')?.state).toBe('Empty');
    expect(groups.offsets.fetch('g', null)[0].partitions[0].committedOffset).toBe(77n);
    await stableMember(groups);
    expect(groups.offsets.get('g', 't', 0)?.offset).toBe(77n);
  });

  it('DeleteTopics drops the topic from every group', () => {
    const store = new OffsetStore();
    store.commit('g', oneOffset(1n), { now: 0 });
    store.topicDeleted('t');
    expect(store.hasOffsets('g')).toBe(false);
  });
});

describe('DeleteGroups, DescribeGroups, ListGroups', () => {
  it('NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for an unknown group, offsets go with the group', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    const m = await stableMember(groups);
    commitCode(groups, { generationId: m.generationId, memberId: m.memberId });
    expect(groups.deleteGroups(['g', 'nope'])).toEqual([
      { groupId: 'g', errorCode: E.NON_EMPTY_GROUP },
      { groupId: 'nope', errorCode: E.GROUP_ID_NOT_FOUND },
    ]);
    groups.leaveGroup('g', [{ memberId: m.memberId, groupInstanceId: null }]);
    expect(groups.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: E.NONE }]);
    expect(groups.stateOf('g')).toBeUndefined();
    expect(groups.offsets.hasOffsets('g')).toBe(false);
    expect(groups.describeGroup('g')).toMatchObject({ errorCode: E.NONE, groupState: 'Dead', members: [] });
  });

  it('DescribeGroups shows metadata and assignment only while Stable', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    const j = await groups.joinGroup(join({ clientId: 'app' }));
    const completing = groups.describeGroup('g');
    expect(completing).toMatchObject({
      groupState: 'CompletingRebalance',
      protocolType: 'consumer',
      protocolData: '',
    });
    expect(completing.members[0].memberMetadata.length).toBe(0);
    await groups.syncGroup({
      groupId: 'g',
      generationId: j.generationId,
      memberId: j.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: j.memberId, assignment: new Uint8Array([7, 7]) }],
    });
    const stable = groups.describeGroup('g');
    expect(stable).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
    expect(stable.members).toEqual([
      {
        memberId: j.memberId,
        groupInstanceId: null,
        clientId: 'app',
        clientHost: '/127.0.0.1',
        memberMetadata: new Uint8Array([1]),
        memberAssignment: new Uint8Array([7, 7]),
      },
    ]);
  });

  it('ListGroups filters by state (case-insensitive) and type', async () => {
    const groups = new Groups({ clock: new ManualClock() });
    await stableMember(groups);
    commitCode(groups, { groupId: 'simple' });
    expect(groups.listGroups().map((g) => [g.groupId, g.groupState, g.protocolType])).toEqual([
      ['g', 'Stable', 'consumer'],
      ['simple', 'Empty', ''],
    ]);
    expect(groups.listGroups({ states: ['empty'] }).map((g) => g.groupId)).toEqual(['simple']);
    expect(groups.listGroups({ types: ['consumer'] })).toEqual([]);
    expect(groups.listGroups({ types: ['Classic'] }).length).toBe(2);
  });
});
