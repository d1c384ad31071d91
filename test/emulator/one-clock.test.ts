// One clock per emulator: startEmulator({ clock }) is the clock of cluster.now() and of the group
// coordinator, so a ManualClock moved by the test decides when a silent member's session expires
// (Kafka: the member is removed after session.timeout.ms without a heartbeat; broker-behaviour.md §1.10).
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator | undefined;
let client: WireClient | undefined;

afterEach(async () => {
  client?.close();
  await emulator?.stop();
  emulator = client = undefined;
});

/** One member joins `groupId` with a 6000 ms session and, as leader, syncs: the group is Stable. */
async function stableGroup(clock: ManualClock, groupId: string) {
  emulator = await startEmulator({ port: 0, clock });
  client = await WireClient.connect(emulator.port);
  const j = await client.request(JoinGroup, 3, {
    groupId,
    sessionTimeoutMs: 6000,
    rebalanceTimeoutMs: 10_000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array([1]) }],
  });
  expect(j.errorCode).toBe(0);
  const s = await client.request(SyncGroup, 3, {
    groupId,
    generationId: j.generationId,
    memberId: j.memberId,
    assignments: [{ memberId: j.memberId, assignment: new Uint8Array([2]) }],
  });
  expect(s.errorCode).toBe(0);
  expect(groupsOf(emulator.cluster).stateOf(groupId)?.state).toBe('Stable');
  return j;
}

describe('the cluster clock drives the group coordinator', () => {
  it('cluster.now() reads the clock given to startEmulator', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    emulator = await startEmulator({ port: 0, clock });
    expect(emulator.cluster.now()).toBe(1_800_000_000_000);
    clock.advance(1234);
    expect(emulator.cluster.now()).toBe(1_800_000_001_234);
  });

  it('a silent member is evicted when the manual clock passes its 6000 ms session, not before', async () => {
    const clock = new ManualClock();
    await stableGroup(clock, 'g-silent');
    clock.advance(5999);
    expect(groupsOf(emulator!.cluster).stateOf('g-silent')?.state).toBe('Stable');
    clock.advance(1);
    expect(groupsOf(emulator!.cluster).stateOf('g-silent')).toMatchObject({ state: 'Empty', memberIds: [] });
  });

  it('a heartbeat at 5000 ms moves the deadline to 11000 ms', async () => {
    const clock = new ManualClock();
    const j = await stableGroup(clock, 'g-beating');
    clock.advance(5000);
    const hb = await client!.request(Heartbeat, 3, {
      groupId: 'g-beating',
      generationId: j.generationId,
      memberId: j.memberId,
    });
    expect(hb.errorCode).toBe(0);
    clock.advance(5999);
    expect(groupsOf(emulator!.cluster).stateOf('g-beating')?.state).toBe('Stable');
    clock.advance(1);
    expect(groupsOf(emulator!.cluster).stateOf('g-beating')?.state).toBe('Empty');
  });
});
