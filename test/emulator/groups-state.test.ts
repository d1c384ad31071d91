// The classic group state machine without bytes or sockets. Expected behaviour is Apache Kafka's group
// coordinator as summarised in /work/shared/notes/broker-behaviour.md §1.10, §2 (G7, G8) and rows 43-57.
import { describe, expect, it } from 'vitest';
import {
  GroupErrors as E,
  Groups,
  type JoinGroupArgs,
  type JoinGroupResult,
  ManualClock,
} from '../../src/emulator/state/groups.js';
import { joinArgs } from './support/join-args.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function setup(config: ConstructorParameters<typeof Groups>[0] extends infer O ? O : never = {}) {
  const clock = new ManualClock();
  const groups = new Groups({ clock, ...config });
  return { clock, groups };
}

/** Tracks whether a parked promise has settled, without awaiting it. */
function track<T>(p: Promise<T>): { settled: () => boolean; value: () => T; promise: Promise<T> } {
  let done = false;
  let v: T;
  p.then((x) => {
    done = true;
    v = x;
  });
  return { settled: () => done, value: () => v!, promise: p };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** Joins one member with a single JoinGroup v0-3 style call and syncs it; returns its id and generation. */
async function joinAndSync(groups: Groups, over: Partial<JoinGroupArgs> = {}): Promise<JoinGroupResult> {
  const j = await groups.joinGroup(joinArgs(over));
  expect(j.errorCode).toBe(E.NONE);
  const s = await groups.syncGroup({
    groupId: over.groupId ?? 'g',
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: over.groupInstanceId ?? null,
    protocolType: null,
    protocolName: null,
    assignments: j.members.map((m) => ({ memberId: m.memberId, assignment: bytes(`a-${m.memberId}`) })),
  });
  expect(s.errorCode).toBe(E.NONE);
  return j;
}

describe('JoinGroup validation', () => {
  it('rejects an empty group id with INVALID_GROUP_ID', async () => {
    const { groups } = setup();
    expect((await groups.joinGroup(joinArgs({ groupId: '' }))).errorCode).toBe(E.INVALID_GROUP_ID);
  });

  it('enforces configurable session-timeout bounds with INVALID_SESSION_TIMEOUT', async () => {
    const { groups } = setup();
    expect((await groups.joinGroup(joinArgs({ sessionTimeoutMs: 5999 }))).errorCode).toBe(
      E.INVALID_SESSION_TIMEOUT,
    );
    expect((await groups.joinGroup(joinArgs({ sessionTimeoutMs: 1_800_001 }))).errorCode).toBe(
      E.INVALID_SESSION_TIMEOUT,
    );
    expect((await groups.joinGroup(joinArgs({ sessionTimeoutMs: 6000 }))).errorCode).toBe(E.NONE);
    const narrow = setup({ config: { minSessionTimeoutMs: 100, maxSessionTimeoutMs: 200 } }).groups;
    expect((await narrow.joinGroup(joinArgs({ sessionTimeoutMs: 100 }))).errorCode).toBe(E.NONE);
    expect((await narrow.joinGroup(joinArgs({ groupId: 'h', sessionTimeoutMs: 6000 }))).errorCode).toBe(
      E.INVALID_SESSION_TIMEOUT,
    );
  });

  it('answers UNKNOWN_MEMBER_ID for a member id in a group that does not exist', async () => {
    const { groups } = setup();
    expect((await groups.joinGroup(joinArgs({ memberId: 'ghost' }))).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect(groups.stateOf('g')).toBeUndefined();
  });

  it('rejects an empty protocol type or list, and a protocol no member shares', async () => {
    const { groups } = setup();
    expect((await groups.joinGroup(joinArgs({ protocolType: '' }))).errorCode).toBe(
      E.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect((await groups.joinGroup(joinArgs({ protocols: [] }))).errorCode).toBe(
      E.INCONSISTENT_GROUP_PROTOCOL,
    );
    await joinAndSync(groups);
    const other = await groups.joinGroup(joinArgs({ protocols: [{ name: 'sticky', metadata: bytes('') }] }));
    expect(other.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    const otherType = await groups.joinGroup(joinArgs({ protocolType: 'connect' }));
    expect(otherType.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('v4+: a new dynamic member gets MEMBER_ID_REQUIRED with an id, then joins with it', async () => {
    const { groups } = setup();
    const first = await groups.joinGroup(joinArgs({ requireKnownMemberId: true, clientId: 'app' }));
    expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    const second = await groups.joinGroup(joinArgs({ requireKnownMemberId: true, memberId: first.memberId }));
    expect(second.errorCode).toBe(E.NONE);
    expect(second.memberId).toBe(first.memberId);
    expect(second.leader).toBe(first.memberId);
    expect(second.generationId).toBe(1);
  });

  it('a pending member id expires after the session timeout and a late join is then UNKNOWN_MEMBER_ID', async () => {
    const { groups, clock } = setup();
    const a = await joinAndSync(groups);
    const pending = await groups.joinGroup(joinArgs({ requireKnownMemberId: true, sessionTimeoutMs: 7000 }));
    expect(pending.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    clock.advance(7000);
    // The first member keeps heartbeating, so only the pending id is gone.
    expect(
      groups.heartbeat({
        groupId: 'g',
        generationId: a.generationId,
        memberId: a.memberId,
        groupInstanceId: null,
      }),
    ).toBe(E.NONE);
    const late = await groups.joinGroup(joinArgs({ memberId: pending.memberId }));
    expect(late.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('GROUP_MAX_SIZE_REACHED when the group is full', async () => {
    const { groups } = setup({ config: { maxSize: 1 } });
    await joinAndSync(groups);
    expect((await groups.joinGroup(joinArgs())).errorCode).toBe(E.GROUP_MAX_SIZE_REACHED);
  });
});

describe('rebalance', () => {
  it('walks Empty → PreparingRebalance → CompletingRebalance → Stable and bumps the generation', async () => {
    const { groups } = setup();
    const j = track(groups.joinGroup(joinArgs()));
    await flush();
    // With group.initial.rebalance.delay.ms = 0 a lone first member completes the join at once.
    expect(j.settled()).toBe(true);
    expect(groups.stateOf('g')?.state).toBe('CompletingRebalance');
    const r = j.value();
    expect(r.generationId).toBe(1);
    expect(r.protocolName).toBe('range');
    expect(r.protocolType).toBe('consumer');
    expect(r.members.map((m) => m.memberId)).toEqual([r.memberId]);
    const s = await groups.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: r.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: r.memberId, assignment: bytes('mine') }],
    });
    expect(s).toMatchObject({ errorCode: E.NONE, protocolName: 'range' });
    expect(new TextDecoder().decode(s.assignment)).toBe('mine');
    expect(groups.stateOf('g')?.state).toBe('Stable');
  });

  it('a second member triggers a rebalance that completes when everyone has rejoined', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const b = track(groups.joinGroup(joinArgs({ clientId: 'b' })));
    await flush();
    expect(b.settled()).toBe(false);
    expect(groups.stateOf('g')?.state).toBe('PreparingRebalance');
    expect(
      groups.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }),
    ).toBe(E.REBALANCE_IN_PROGRESS);
    const a2 = await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    await flush();
    expect(b.settled()).toBe(true);
    expect(a2.generationId).toBe(2);
    expect(b.value().generationId).toBe(2);
    // The existing leader is kept, and only the leader receives the member list.
    expect(a2.leader).toBe(a.memberId);
    expect(b.value().leader).toBe(a.memberId);
    expect(a2.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.value().memberId].sort());
    expect(b.value().members).toEqual([]);
  });

  it('SyncGroup parks followers until the leader syncs, then hands each member its own assignment', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const bJoin = track(groups.joinGroup(joinArgs({ clientId: 'b' })));
    const aJoin = await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    const bId = (await bJoin.promise).memberId;
    const follower = track(
      groups.syncGroup({
        groupId: 'g',
        generationId: 2,
        memberId: bId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments: [],
      }),
    );
    await flush();
    expect(follower.settled()).toBe(false);
    const leader = await groups.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: aJoin.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [
        { memberId: a.memberId, assignment: bytes('p0') },
        { memberId: bId, assignment: bytes('p1') },
      ],
    });
    expect(new TextDecoder().decode(leader.assignment)).toBe('p0');
    expect(new TextDecoder().decode((await follower.promise).assignment)).toBe('p1');
    expect(groups.stateOf('g')?.state).toBe('Stable');
  });

  it('removes members that do not rejoin within the rebalance timeout', async () => {
    const { groups, clock } = setup();
    const a = await joinAndSync(groups, { rebalanceTimeoutMs: 20_000 });
    const b = track(groups.joinGroup(joinArgs({ clientId: 'b', rebalanceTimeoutMs: 20_000 })));
    await flush();
    // a keeps its session alive but never rejoins.
    for (let t = 0; t < 4; t++) {
      clock.advance(5000);
      if (t < 3)
        expect(
          groups.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }),
        ).toBe(E.REBALANCE_IN_PROGRESS);
    }
    await flush();
    expect(b.settled()).toBe(true);
    const r = b.value();
    expect(r.generationId).toBe(2);
    // The old leader was dropped, so the newcomer leads.
    expect(r.leader).toBe(r.memberId);
    expect(groups.stateOf('g')?.memberIds).toEqual([r.memberId]);
    expect(
      groups.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null }),
    ).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('a session timeout evicts a silent member and the others are told to rejoin', async () => {
    const { groups, clock } = setup();
    const a = await joinAndSync(groups);
    const bJoin = track(groups.joinGroup(joinArgs({ clientId: 'b' })));
    await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    const b = await bJoin.promise;
    const syncB = groups.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: b.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    await groups.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    await syncB;
    expect(groups.stateOf('g')?.state).toBe('Stable');
    // a heartbeats every 3 s; b is silent; session timeout 10 s.
    for (let t = 0; t < 3; t++) {
      clock.advance(3000);
      expect(
        groups.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null }),
      ).toBe(E.NONE);
    }
    clock.advance(3000);
    expect(groups.stateOf('g')?.memberIds).toEqual([a.memberId]);
    expect(groups.stateOf('g')?.state).toBe('PreparingRebalance');
    expect(
      groups.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null }),
    ).toBe(E.REBALANCE_IN_PROGRESS);
    const again = await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    expect(again.generationId).toBe(3);
  });

  it('the last member leaving makes the group Empty with a new generation', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const r = groups.leaveGroup('g', [{ memberId: a.memberId, groupInstanceId: null }]);
    expect(r.members).toEqual([{ memberId: a.memberId, groupInstanceId: null, errorCode: E.NONE }]);
    expect(groups.stateOf('g')).toMatchObject({ state: 'Empty', generationId: 2, leaderId: null });
    expect(
      groups.heartbeat({ groupId: 'g', generationId: 2, memberId: a.memberId, groupInstanceId: null }),
    ).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('LeaveGroup of several members at once; unknown ones get UNKNOWN_MEMBER_ID each', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const r = groups.leaveGroup('g', [
      { memberId: a.memberId, groupInstanceId: null },
      { memberId: 'nobody', groupInstanceId: null },
    ]);
    expect(r.members.map((m) => m.errorCode)).toEqual([E.NONE, E.UNKNOWN_MEMBER_ID]);
    expect(
      groups.leaveGroup('missing', [{ memberId: 'x', groupInstanceId: null }]).members[0].errorCode,
    ).toBe(E.UNKNOWN_MEMBER_ID);
    expect(groups.leaveGroup('', []).errorCode).toBe(E.INVALID_GROUP_ID);
  });

  it('a leader joining in Stable rebalances; a follower with the same metadata gets the current generation', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const bJoin = track(groups.joinGroup(joinArgs({ clientId: 'b' })));
    await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    const b = await bJoin.promise;
    const syncs = [a.memberId, b.memberId].map((id) =>
      groups.syncGroup({
        groupId: 'g',
        generationId: 2,
        memberId: id,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments: [],
      }),
    );
    await Promise.all(syncs);
    const followerAgain = await groups.joinGroup(joinArgs({ memberId: b.memberId }));
    expect(followerAgain).toMatchObject({ errorCode: E.NONE, generationId: 2, members: [] });
    expect(groups.stateOf('g')?.state).toBe('Stable');
    const leaderAgain = track(groups.joinGroup(joinArgs({ memberId: a.memberId })));
    await flush();
    expect(leaderAgain.settled()).toBe(false);
    expect(groups.stateOf('g')?.state).toBe('PreparingRebalance');
  });

  it('picks the protocol every member supports by vote', async () => {
    const { groups } = setup();
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: bytes(name) }));
    const a = await joinAndSync(groups, { protocols: p('range', 'roundrobin') });
    const bJoin = track(groups.joinGroup(joinArgs({ protocols: p('sticky', 'roundrobin', 'range') })));
    const cJoin = track(groups.joinGroup(joinArgs({ protocols: p('roundrobin', 'range') })));
    const a2 = await groups.joinGroup(
      joinArgs({ memberId: a.memberId, protocols: p('range', 'roundrobin') }),
    );
    await flush();
    expect(bJoin.settled() && cJoin.settled()).toBe(true);
    // Candidates: range, roundrobin. Votes: a → range, b → roundrobin, c → roundrobin.
    expect(a2.protocolName).toBe('roundrobin');
    expect(a2.members.map((m) => new TextDecoder().decode(m.metadata))).toEqual([
      'roundrobin',
      'roundrobin',
      'roundrobin',
    ]);
  });

  it('group.initial.rebalance.delay.ms holds a new group open so that early joiners share a generation', async () => {
    const { groups, clock } = setup({ config: { initialRebalanceDelayMs: 3000 } });
    const a = track(groups.joinGroup(joinArgs()));
    clock.advance(2000);
    const b = track(groups.joinGroup(joinArgs()));
    await flush();
    expect(a.settled() || b.settled()).toBe(false);
    clock.advance(1000); // first delay over, but b arrived during it: extended once more
    await flush();
    expect(a.settled()).toBe(false);
    clock.advance(3000);
    await flush();
    expect(a.value().generationId).toBe(1);
    expect(b.value().generationId).toBe(1);
  });

  it('SyncGroup errors: unknown member, stale generation, rebalance in progress, inconsistent protocol', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const base = {
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    };
    expect((await groups.syncGroup({ ...base, memberId: 'x' })).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await groups.syncGroup({ ...base, generationId: 0 })).errorCode).toBe(E.ILLEGAL_GENERATION);
    expect((await groups.syncGroup({ ...base, protocolName: 'sticky' })).errorCode).toBe(
      E.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect((await groups.syncGroup({ ...base, groupId: '' })).errorCode).toBe(E.INVALID_GROUP_ID);
    groups.joinGroup(joinArgs());
    expect((await groups.syncGroup(base)).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
  });

  it('Heartbeat errors: empty group id, unknown group, stale generation', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups);
    const hb = { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null };
    expect(groups.heartbeat({ ...hb, groupId: '' })).toBe(E.INVALID_GROUP_ID);
    expect(groups.heartbeat({ ...hb, groupId: 'other' })).toBe(E.UNKNOWN_MEMBER_ID);
    expect(groups.heartbeat({ ...hb, generationId: 7 })).toBe(E.ILLEGAL_GENERATION);
    expect(groups.heartbeat(hb)).toBe(E.NONE);
  });

  it('a rebalance during CompletingRebalance sends waiting SyncGroups back with REBALANCE_IN_PROGRESS', async () => {
    const { groups } = setup();
    const a = await groups.joinGroup(joinArgs());
    const bJoin = track(groups.joinGroup(joinArgs({ clientId: 'b' })));
    // b's join moved the group to PreparingRebalance before a synced generation 1, so a's sync is refused.
    expect(
      (
        await groups.syncGroup({
          groupId: 'g',
          generationId: 1,
          memberId: a.memberId,
          groupInstanceId: null,
          protocolType: null,
          protocolName: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe(E.REBALANCE_IN_PROGRESS);
    await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    const b = await bJoin.promise;
    expect(groups.stateOf('g')?.state).toBe('CompletingRebalance');
    const bSync = groups.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: b.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    groups.joinGroup(joinArgs({ clientId: 'c' }));
    expect((await bSync).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
  });

  it('removes members that never send SyncGroup within the rebalance timeout', async () => {
    const { groups, clock } = setup();
    const a = await joinAndSync(groups);
    const bJoin = track(groups.joinGroup(joinArgs({ clientId: 'b' })));
    await groups.joinGroup(joinArgs({ memberId: a.memberId }));
    const b = await bJoin.promise;
    // Leader a syncs; b never does.
    await groups.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    for (let i = 0; i < 5; i++) {
      clock.advance(6000);
      groups.heartbeat({
        groupId: 'g',
        generationId: groups.stateOf('g')!.generationId,
        memberId: a.memberId,
        groupInstanceId: null,
      });
    }
    expect(groups.stateOf('g')?.memberIds).not.toContain(b.memberId);
  });
});

describe('static membership (KIP-345)', () => {
  it('a restarted instance takes over its member id without a rebalance; the old id is fenced', async () => {
    const { groups } = setup();
    const first = await joinAndSync(groups, { groupInstanceId: 'i-1', requireKnownMemberId: true });
    expect(first.leader).toBe(first.memberId);
    const again = await groups.joinGroup(joinArgs({ groupInstanceId: 'i-1', requireKnownMemberId: true }));
    expect(again.errorCode).toBe(E.NONE);
    expect(again.memberId).not.toBe(first.memberId);
    expect(again.generationId).toBe(first.generationId);
    expect(again.skipAssignment).toBe(true);
    expect(groups.stateOf('g')?.state).toBe('Stable');
    expect(
      groups.heartbeat({ groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: 'i-1' }),
    ).toBe(E.FENCED_INSTANCE_ID);
    const sync = await groups.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: again.memberId,
      groupInstanceId: 'i-1',
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(new TextDecoder().decode(sync.assignment)).toBe(`a-${first.memberId}`);
  });

  it('a known instance id with another member id is FENCED_INSTANCE_ID; leave by instance id works', async () => {
    const { groups } = setup();
    const a = await joinAndSync(groups, { groupInstanceId: 'i-1' });
    const wrong = await groups.joinGroup(joinArgs({ memberId: 'someone-else', groupInstanceId: 'i-1' }));
    expect(wrong.errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect(
      groups.leaveGroup('g', [{ memberId: 'someone-else', groupInstanceId: 'i-1' }]).members[0].errorCode,
    ).toBe(E.FENCED_INSTANCE_ID);
    expect(groups.leaveGroup('g', [{ memberId: '', groupInstanceId: 'i-1' }]).members[0].errorCode).toBe(
      E.NONE,
    );
    expect(groups.stateOf('g')?.state).toBe('Empty');
    expect(
      groups.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: 'i-1' }),
    ).toBe(E.UNKNOWN_MEMBER_ID);
  });
});

describe('stop', () => {
  it('settles parked joins and clears every timer', async () => {
    const { groups, clock } = setup({ config: { initialRebalanceDelayMs: 3000 } });
    const parked = groups.joinGroup(joinArgs());
    expect(clock.scheduled).toBeGreaterThan(0);
    groups.stop();
    expect((await parked).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(clock.scheduled).toBe(0);
  });
});
