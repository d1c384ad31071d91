// Eviction and rebalance timing on the cluster's clock, as Kafka's GroupMetadataManager times them:
// a member that stops sending anything is removed exactly session.timeout.ms after its last request
// (the heartbeat timer re-armed by every Heartbeat, SyncGroup and JoinGroup answer), and the
// rebalance that follows completes as soon as every remaining member has rejoined
// (maybeCompleteJoinPhase → hasAllMembersJoined), not at the rebalance timeout. The clock is a
// ManualClock stepped by the test; requests go over the wire to the emulator's handlers.
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { WireClient } from './support/wire-client.js';

const GROUP = 'g-evict';
const SESSION_MS = 6000;
const REBALANCE_MS = 60_000;

let emulator: Emulator | undefined;
const clients: WireClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await emulator?.stop();
  emulator = undefined;
});

class Member {
  memberId = '';
  generationId = -1;
  constructor(readonly client: WireClient) {}

  /** JoinGroup v3 (no KIP-394 round trip): resolves when the join phase completes. */
  async join() {
    const r = await this.client.request(JoinGroup, 3, {
      groupId: GROUP,
      sessionTimeoutMs: SESSION_MS,
      rebalanceTimeoutMs: REBALANCE_MS,
      memberId: this.memberId,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: new Uint8Array([1]) }],
    });
    expect(r.errorCode).toBe(0);
    this.memberId = r.memberId;
    this.generationId = r.generationId;
    return r;
  }

  async sync(assignments: { memberId: string; assignment: Uint8Array }[] = []) {
    const r = await this.client.request(SyncGroup, 3, {
      groupId: GROUP,
      generationId: this.generationId,
      memberId: this.memberId,
      assignments,
    });
    expect(r.errorCode).toBe(0);
  }

  async heartbeat(): Promise<number> {
    const r = await this.client.request(Heartbeat, 3, {
      groupId: GROUP,
      generationId: this.generationId,
      memberId: this.memberId,
    });
    return r.errorCode;
  }
}

/** `n` members joined into one Stable generation at clock time 0, each having just synced. */
async function stableGroup(clock: ManualClock, n: number): Promise<Member[]> {
  emulator = await startEmulator({ port: 0, clock });
  const members: Member[] = [];
  for (let i = 0; i < n; i++) {
    const c = await WireClient.connect(emulator.port);
    clients.push(c);
    members.push(new Member(c));
  }
  // All join together: the first JoinGroup forms generation 1 at once; the others wait for it to rejoin.
  await members[0].join();
  const joins = members.slice(1).map((m) => m.join());
  await members[0].heartbeat(); // REBALANCE_IN_PROGRESS once the others have joined
  await members[0].join();
  await Promise.all(joins);
  const leader = members[0];
  const followerSyncs = members.slice(1).map((m) => m.sync());
  await leader.sync(members.map((m) => ({ memberId: m.memberId, assignment: new Uint8Array([7]) })));
  await Promise.all(followerSyncs);
  expect(groupsOf(emulator.cluster).stateOf(GROUP)).toMatchObject({ state: 'Stable', generationId: 2 });
  return members;
}

const stateOf = () => groupsOf(emulator!.cluster).stateOf(GROUP)!;

describe('a member that goes silent (killed, no LeaveGroup)', () => {
  it('is evicted exactly session.timeout.ms after its last request while the others heartbeat every second', async () => {
    const clock = new ManualClock();
    const [survivor, victim] = await stableGroup(clock, 2);
    for (let t = 1000; t <= 5000; t += 1000) {
      clock.advance(1000);
      expect(await survivor.heartbeat()).toBe(0);
    }
    clock.advance(999); // 5999 ms after the victim's SyncGroup
    expect(stateOf()).toMatchObject({ state: 'Stable', memberIds: [survivor.memberId, victim.memberId] });
    clock.advance(1); // 6000 ms
    expect(stateOf()).toMatchObject({ state: 'PreparingRebalance', memberIds: [survivor.memberId] });
    expect(await survivor.heartbeat()).toBe(27);
  });

  it('the rebalance completes when the last live member rejoins, not at the rebalance timeout', async () => {
    const clock = new ManualClock();
    const [a, b, victim] = await stableGroup(clock, 3);
    const start = clock.now();
    clock.advance(3000);
    expect([await a.heartbeat(), await b.heartbeat()]).toEqual([0, 0]);
    clock.advance(3000); // the victim's session ends
    expect(stateOf()).toMatchObject({ state: 'PreparingRebalance', memberIds: [a.memberId, b.memberId] });
    expect(victim.memberId).not.toBe('');

    clock.advance(1000); // a learns on its next heartbeat, rejoins and waits for b
    expect(await a.heartbeat()).toBe(27);
    const aJoin = a.join();
    await expect.poll(() => stateOf().awaitingJoin).toEqual([a.memberId]);
    expect(stateOf().state).toBe('PreparingRebalance');

    clock.advance(500); // b's heartbeat half a second later: its JoinGroup completes the phase at once
    expect(await b.heartbeat()).toBe(27);
    const bJoin = await b.join();
    const aJoinResult = await aJoin;
    expect([aJoinResult.generationId, bJoin.generationId]).toEqual([3, 3]);
    expect(stateOf()).toMatchObject({ state: 'CompletingRebalance', generationId: 3 });
    expect(aJoinResult.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    // 7500 ms after the victim's last request: nothing waited for the 60 000 ms rebalance timeout.
    expect(clock.now() - start).toBe(7500);
  });

  it('a rebalance already under way completes at the silent member’s session expiry, not the rebalance timeout', async () => {
    const clock = new ManualClock();
    const [a, victim] = await stableGroup(clock, 2);
    const start = clock.now();
    clock.advance(1000);
    // A newcomer starts a rebalance; a rejoins at once; the victim never will.
    const c = new Member(await WireClient.connect(emulator!.port));
    clients.push(c.client);
    const cJoin = c.join();
    await expect.poll(() => stateOf().state).toBe('PreparingRebalance');
    expect(await a.heartbeat()).toBe(27);
    const aJoin = a.join();
    await expect.poll(() => stateOf().awaitingJoin.length).toBe(2);
    clock.advance(4999); // 5999 ms after the victim's SyncGroup
    expect(stateOf()).toMatchObject({ state: 'PreparingRebalance', generationId: 2 });
    expect(stateOf().memberIds).toContain(victim.memberId);
    clock.advance(1);
    const [aResult, cResult] = await Promise.all([aJoin, cJoin]);
    expect([aResult.generationId, cResult.generationId]).toEqual([3, 3]);
    expect(stateOf().memberIds).not.toContain(victim.memberId);
    expect(clock.now() - start).toBe(SESSION_MS);
  });
});
