// Static membership (KIP-345) in the classic group coordinator, as Apache Kafka's
// GroupMetadataManager does it: a static member that restarts (JoinGroup with its group.instance.id
// and no member id) takes over its old member id's place, generation and assignment without a
// rebalance unless the protocol the group would select changes; the old id is fenced
// (FENCED_INSTANCE_ID); a leader coming back gets skipAssignment (KIP-814, JoinGroup v9+); static
// members that miss a rebalance stay in the next generation; LeaveGroup by instance id (Admin
// removeMembersFromConsumerGroup). No bytes here: the group state only, time on a ManualClock.
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  GroupErrors as E,
  Groups,
  type JoinGroupArgs,
  type JoinGroupResult,
  ManualClock,
  type MemberProtocol,
} from '../../src/emulator/state/groups.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { joinArgs } from './support/join-args.js';
import { WireClient } from './support/wire-client.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const flush = () => new Promise<void>((r) => setImmediate(r));

function setup() {
  const clock = new ManualClock();
  return { clock, groups: new Groups({ clock }) };
}

/** Tracks whether a parked promise has settled, without awaiting it. */
function track<T>(p: Promise<T>): { settled: () => boolean; value: () => T } {
  let done = false;
  let v: T;
  p.then((x) => {
    done = true;
    v = x;
  });
  return { settled: () => done, value: () => v! };
}

function sync(
  groups: Groups,
  j: { memberId: string; generationId: number },
  instanceId: string | null,
  assignments: { memberId: string; assignment: Uint8Array }[] = [],
) {
  return groups.syncGroup({
    groupId: 'g',
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: instanceId,
    protocolType: null,
    protocolName: null,
    assignments,
  });
}

function heartbeat(groups: Groups, j: { memberId: string; generationId: number }, instanceId: string | null) {
  return groups.heartbeat({
    groupId: 'g',
    generationId: j.generationId,
    memberId: j.memberId,
    groupInstanceId: instanceId,
  });
}

/**
 * Static members a (leader) and b formed into one Stable generation: a joins alone (gen 1), b joins
 * (a rebalance a rejoins for, gen 2), the leader assigns "for-a" / "for-b".
 */
async function stableStaticPair(over: Partial<JoinGroupArgs> = {}) {
  const { clock, groups } = setup();
  const a1 = await groups.joinGroup(joinArgs({ groupInstanceId: 'a', clientId: 'app-a', ...over }));
  expect(
    (await sync(groups, a1, 'a', [{ memberId: a1.memberId, assignment: bytes('alone') }])).errorCode,
  ).toBe(E.NONE);
  const bJoin = track(groups.joinGroup(joinArgs({ groupInstanceId: 'b', clientId: 'app-b', ...over })));
  await flush();
  expect(bJoin.settled()).toBe(false);
  const a = await groups.joinGroup(
    joinArgs({ memberId: a1.memberId, groupInstanceId: 'a', clientId: 'app-a', ...over }),
  );
  await flush();
  const b = bJoin.value();
  expect([a.generationId, b.generationId]).toEqual([2, 2]);
  expect(a.leader).toBe(a.memberId);
  const bSync = sync(groups, b, 'b');
  const aSync = await sync(groups, a, 'a', [
    { memberId: a.memberId, assignment: bytes('for-a') },
    { memberId: b.memberId, assignment: bytes('for-b') },
  ]);
  expect(text(aSync.assignment)).toBe('for-a');
  expect(text((await bSync).assignment)).toBe('for-b');
  expect(groups.stateOf('g')?.state).toBe('Stable');
  return { clock, groups, a, b };
}

/** A restart: the same instance id, no member id. */
function restart(groups: Groups, instanceId: string, over: Partial<JoinGroupArgs> = {}) {
  return groups.joinGroup(
    joinArgs({ groupInstanceId: instanceId, clientId: `app-${instanceId}-restarted`, ...over }),
  );
}

describe('a static member restarts without LeaveGroup', () => {
  it('a follower gets its generation and assignment back, no rebalance; the old id is fenced', async () => {
    const { groups, a, b } = await stableStaticPair();
    const b2 = await restart(groups, 'b');
    expect(b2).toMatchObject({
      errorCode: E.NONE,
      generationId: 2,
      leader: a.memberId,
      skipAssignment: false,
      members: [],
    });
    expect(b2.memberId).not.toBe(b.memberId);
    expect(groups.stateOf('g')).toMatchObject({ state: 'Stable', generationId: 2 });
    expect(text((await sync(groups, b2, 'b')).assignment)).toBe('for-b');
    // The leader is not asked to rejoin.
    expect(heartbeat(groups, a, 'a')).toBe(E.NONE);
    // Anyone still using the old id is fenced.
    expect(heartbeat(groups, b, 'b')).toBe(E.FENCED_INSTANCE_ID);
    expect((await sync(groups, b, 'b')).errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect(
      groups.validateOffsetCommit({
        ...b,
        groupId: 'g',
        groupInstanceId: 'b',
        groupIdNotFoundSupported: true,
      }),
    ).toBe(E.FENCED_INSTANCE_ID);
    expect((await groups.joinGroup(joinArgs({ memberId: b.memberId, groupInstanceId: 'b' }))).errorCode).toBe(
      E.FENCED_INSTANCE_ID,
    );
    expect(heartbeat(groups, b2, 'b')).toBe(E.NONE);
  });

  it('new subscription metadata under the same selected protocol is no rebalance (Java sends new ownedPartitions)', async () => {
    // Kafka rebalances a static rejoin in Stable only when group.selectProtocol() would change; a
    // restarted KafkaConsumer's metadata differs (no owned partitions, generation -1) every time.
    const { groups, a } = await stableStaticPair();
    const b2 = await restart(groups, 'b', {
      protocols: [{ name: 'range', metadata: bytes('restarted, owns nothing') }],
    });
    expect(b2).toMatchObject({ errorCode: E.NONE, generationId: 2, leader: a.memberId });
    expect(groups.stateOf('g')?.state).toBe('Stable');
    expect(heartbeat(groups, a, 'a')).toBe(E.NONE);
    expect(text((await sync(groups, b2, 'b')).assignment)).toBe('for-b');
    // A later JoinGroup with the known id and changed metadata is an ordinary rebalance.
    const b3 = track(
      groups.joinGroup(
        joinArgs({
          memberId: b2.memberId,
          groupInstanceId: 'b',
          protocols: [{ name: 'range', metadata: bytes('new topics') }],
        }),
      ),
    );
    await flush();
    expect(b3.settled()).toBe(false);
    expect(heartbeat(groups, a, 'a')).toBe(E.REBALANCE_IN_PROGRESS);
  });

  it('the leader, JoinGroup v9+: the member list with skipAssignment, and SyncGroup returns its assignment', async () => {
    const { groups, a, b } = await stableStaticPair();
    const a2 = await restart(groups, 'a');
    expect(a2).toMatchObject({ errorCode: E.NONE, generationId: 2, skipAssignment: true });
    expect(a2.leader).toBe(a2.memberId);
    expect(a2.members.map((m) => [m.memberId, m.groupInstanceId]).sort()).toEqual(
      [
        [a2.memberId, 'a'],
        [b.memberId, 'b'],
      ].sort(),
    );
    expect(groups.stateOf('g')).toMatchObject({ state: 'Stable', generationId: 2, leaderId: a2.memberId });
    // KIP-814: the leader syncs without computing an assignment and gets the one it had.
    expect(text((await sync(groups, a2, 'a', [])).assignment)).toBe('for-a');
    expect(text((await sync(groups, b, 'b')).assignment)).toBe('for-b');
    expect(heartbeat(groups, b, 'b')).toBe(E.NONE);
    expect(heartbeat(groups, a, 'a')).toBe(E.FENCED_INSTANCE_ID);
  });

  it('the leader before JoinGroup v9: no member list, no skipAssignment, the old leader id (as Kafka answers)', async () => {
    const { groups, a } = await stableStaticPair({ skipAssignmentSupported: false });
    const a2 = await restart(groups, 'a', { skipAssignmentSupported: false });
    expect(a2).toMatchObject({
      errorCode: E.NONE,
      generationId: 2,
      skipAssignment: false,
      members: [],
      leader: a.memberId,
    });
    expect(groups.stateOf('g')).toMatchObject({ state: 'Stable', leaderId: a2.memberId });
  });

  it('protocols that change the selected protocol rebalance everyone', async () => {
    const both: MemberProtocol[] = [
      { name: 'range', metadata: bytes('m') },
      { name: 'roundrobin', metadata: bytes('m') },
    ];
    const { groups, a } = await stableStaticPair({ protocols: both });
    const b2 = track(restart(groups, 'b', { protocols: [{ name: 'roundrobin', metadata: bytes('m') }] }));
    await flush();
    expect(b2.settled()).toBe(false);
    expect(groups.stateOf('g')?.state).toBe('PreparingRebalance');
    expect(heartbeat(groups, a, 'a')).toBe(E.REBALANCE_IN_PROGRESS);
    const a3 = await groups.joinGroup(
      joinArgs({ memberId: a.memberId, groupInstanceId: 'a', protocols: both }),
    );
    await flush();
    expect(a3).toMatchObject({ generationId: 3, protocolName: 'roundrobin' });
    expect(b2.value()).toMatchObject({ errorCode: E.NONE, generationId: 3, protocolName: 'roundrobin' });
  });

  it('during CompletingRebalance: the old incarnation’s parked SyncGroup is fenced and a rebalance starts', async () => {
    const { groups, a, b } = await stableStaticPair();
    // b's metadata changes: a rebalance to gen 3; b's sync parks before the leader has synced.
    const bJoin = track(
      groups.joinGroup(
        joinArgs({
          memberId: b.memberId,
          groupInstanceId: 'b',
          protocols: [{ name: 'range', metadata: bytes('x') }],
        }),
      ),
    );
    await groups.joinGroup(joinArgs({ memberId: a.memberId, groupInstanceId: 'a' }));
    await flush();
    const b3 = bJoin.value();
    expect(groups.stateOf('g')).toMatchObject({ state: 'CompletingRebalance', generationId: 3 });
    const parked = sync(groups, b3, 'b');
    const b4 = track(restart(groups, 'b'));
    expect((await parked).errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect(groups.stateOf('g')?.state).toBe('PreparingRebalance');
    await groups.joinGroup(joinArgs({ memberId: a.memberId, groupInstanceId: 'a' }));
    await flush();
    expect(b4.value()).toMatchObject({ errorCode: E.NONE, generationId: 4 });
  });
});

describe('static members and the rebalance', () => {
  it('a static member that misses a rebalance stays in the next generation; the leader moves to one that rejoined', async () => {
    // Kafka's completeClassicGroupJoin removes only dynamic members that did not rejoin.
    const { clock, groups } = setup();
    const s1 = await groups.joinGroup(
      joinArgs({ groupInstanceId: 's', sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 5000 }),
    );
    expect(s1.leader).toBe(s1.memberId);
    expect(
      (await sync(groups, s1, 's', [{ memberId: s1.memberId, assignment: bytes('for-s') }])).errorCode,
    ).toBe(E.NONE);
    // A dynamic member joins; s (the leader) stays silent, so the join phase ends at the rebalance timeout.
    const d = track(groups.joinGroup(joinArgs({ sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 5000 })));
    await flush();
    clock.advance(4999);
    await flush();
    expect(d.settled()).toBe(false);
    clock.advance(1);
    await flush();
    const dj = d.value();
    expect(dj).toMatchObject({ errorCode: E.NONE, generationId: 2 });
    expect(dj.leader).toBe(dj.memberId);
    expect(dj.members.map((m) => m.memberId).sort()).toEqual([s1.memberId, dj.memberId].sort());
    expect(groups.stateOf('g')).toMatchObject({ state: 'CompletingRebalance', generationId: 2 });
    expect(groups.stateOf('g')?.memberIds).toContain(s1.memberId);
    // s restarts while the leader is assigning: another rebalance, in which both take part.
    const s2 = track(restart(groups, 's', { sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 5000 }));
    await groups.joinGroup(
      joinArgs({ memberId: dj.memberId, sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 5000 }),
    );
    await flush();
    expect(s2.value()).toMatchObject({ errorCode: E.NONE, generationId: 3 });
  });

  it('a silent static member is evicted at its session timeout and the others rebalance; its instance id is free again', async () => {
    const { clock, groups, a, b } = await stableStaticPair();
    clock.advance(5000);
    expect(heartbeat(groups, a, 'a')).toBe(E.NONE);
    clock.advance(4999); // b's last word was its SyncGroup at 0 ms; its session is 10 000 ms
    expect(groups.stateOf('g')?.state).toBe('Stable');
    clock.advance(1);
    expect(groups.stateOf('g')).toMatchObject({ state: 'PreparingRebalance', memberIds: [a.memberId] });
    expect(heartbeat(groups, b, 'b')).toBe(E.UNKNOWN_MEMBER_ID);
    expect(heartbeat(groups, a, 'a')).toBe(E.REBALANCE_IN_PROGRESS);
    const a3 = await groups.joinGroup(joinArgs({ memberId: a.memberId, groupInstanceId: 'a' }));
    expect(a3).toMatchObject({ generationId: 3 });
    expect(a3.members.map((m) => m.groupInstanceId)).toEqual(['a']);
  });
});

describe('LeaveGroup by group.instance.id (Admin removeMembersFromConsumerGroup)', () => {
  it('each member gets its own error: removed, FENCED_INSTANCE_ID, UNKNOWN_MEMBER_ID', async () => {
    const { groups, a, b } = await stableStaticPair();
    const r = groups.leaveGroup('g', [
      { memberId: '', groupInstanceId: 'a' },
      { memberId: 'not-b', groupInstanceId: 'b' },
      { memberId: '', groupInstanceId: 'nobody' },
      { memberId: '', groupInstanceId: null },
    ]);
    expect(r.errorCode).toBe(E.NONE);
    expect(r.members.map((m) => m.errorCode)).toEqual([
      E.NONE,
      E.FENCED_INSTANCE_ID,
      E.UNKNOWN_MEMBER_ID,
      E.UNKNOWN_MEMBER_ID,
    ]);
    expect(groups.stateOf('g')).toMatchObject({ state: 'PreparingRebalance', memberIds: [b.memberId] });
    expect(heartbeat(groups, a, 'a')).toBe(E.UNKNOWN_MEMBER_ID);
    expect(
      groups.leaveGroup('g', [{ memberId: b.memberId, groupInstanceId: 'b' }]).members[0].errorCode,
    ).toBe(E.NONE);
    expect(groups.stateOf('g')?.state).toBe('Empty');
  });
});

describe('DescribeGroups of static members', () => {
  it('shows each groupInstanceId; a restarted instance keeps the client id of its first JoinGroup (as Kafka)', async () => {
    const { groups, b } = await stableStaticPair();
    const b2: JoinGroupResult = await restart(groups, 'b');
    const d = groups.describeGroup('g');
    expect(d.members.map((m) => [m.groupInstanceId, m.clientId]).sort()).toEqual([
      ['a', 'app-a'],
      ['b', 'app-b'],
    ]);
    expect(d.members.find((m) => m.groupInstanceId === 'b')?.memberId).toBe(b2.memberId);
    expect(d.members.map((m) => m.memberId)).not.toContain(b.memberId);
    expect(text(d.members.find((m) => m.groupInstanceId === 'b')!.memberAssignment)).toBe('for-b');
  });
});

describe('through the JoinGroup handler', () => {
  let emulator: Emulator | undefined;
  const clients: WireClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await emulator?.stop();
    emulator = undefined;
  });

  /** A static leader restarted with JoinGroup `version`: what comes back on the wire. */
  async function leaderRestartAt(version: number) {
    emulator = await startEmulator({ port: 0 });
    const connect = async () => {
      const c = await WireClient.connect(emulator!.port);
      clients.push(c);
      return c;
    };
    const body = {
      groupId: 'g-wire',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      groupInstanceId: 'leader-1',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: bytes('m') }],
    };
    const first = await (await connect()).request(JoinGroup, version, body);
    expect(first.errorCode).toBe(E.NONE);
    const c1 = clients[0];
    const s = await c1.request(SyncGroup, 3, {
      groupId: 'g-wire',
      generationId: first.generationId,
      memberId: first.memberId,
      groupInstanceId: 'leader-1',
      assignments: [{ memberId: first.memberId, assignment: bytes('mine') }],
    });
    expect(s.errorCode).toBe(E.NONE);
    const again = await (await connect()).request(JoinGroup, version, body);
    return { first, again };
  }

  it('v9: skipAssignment true and the member list for the returning leader', async () => {
    const { first, again } = await leaderRestartAt(9);
    expect(again).toMatchObject({
      errorCode: E.NONE,
      generationId: first.generationId,
      skipAssignment: true,
    });
    expect(again.leader).toBe(again.memberId);
    expect(again.members.map((m) => m.groupInstanceId)).toEqual(['leader-1']);
  });

  it('v8: no skipAssignment, no members, the old leader id', async () => {
    const { first, again } = await leaderRestartAt(8);
    expect(again).toMatchObject({ errorCode: E.NONE, generationId: first.generationId, members: [] });
    expect(again.leader).toBe(first.memberId);
  });
});
