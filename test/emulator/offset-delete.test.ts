// OffsetDelete (API 47) on the emulator, through kafkalab's GroupAdmin over TCP: what a group is
// subscribed to stays (GROUP_SUBSCRIBED_TO_TOPIC), anything else is forgotten; unknown topics and
// partitions, unknown groups and live non-consumer groups answer as Kafka's coordinator does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer } from '../../src/client/consumer/consumer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { poke, until } from '../support/until.js';

let emulator: Emulator;
let admin: GroupAdmin;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: 'sub', partitions: 2 },
      { name: 'other', partitions: 2 },
    ],
    groupConsumerHeartbeatIntervalMs: 100,
  });
  emulator.hooks.observe('*', () => poke());
  admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
});

afterAll(async () => {
  await admin?.close();
  await emulator?.stop();
});

const committed = async (group: string) =>
  [...(await admin.committedOffsets(group)).values()]
    .map((c) => `${c.topic}-${c.partition}=${c.offset}`)
    .sort();

async function member(groupId: string, protocol: 'classic' | 'consumer'): Promise<Consumer> {
  const c = new Consumer({
    bootstrap: emulator.bootstrap,
    groupId,
    groupProtocol: protocol,
    autoCommit: false,
  });
  c.subscribe(['sub']);
  void c.run({ eachMessage: async () => {} });
  // Re-checked after every exchange the emulator handles (fetches keep coming once it is assigned).
  await until(`${groupId} to get its partitions`, () => c.assignment().length > 0);
  return c;
}

describe('OffsetDelete', () => {
  for (const protocol of ['classic', 'consumer'] as const) {
    it(`a ${protocol} group keeps the offsets of the topic it is subscribed to and forgets the others`, async () => {
      const group = `od-${protocol}`;
      const c = await member(group, protocol);
      try {
        await c.commit([
          { topic: 'sub', partition: 0, offset: 1n },
          { topic: 'other', partition: 0, offset: 2n },
          { topic: 'other', partition: 1, offset: 3n },
        ]);
        const r = await admin.deleteOffsets(group, [
          { topic: 'sub', partition: 0 },
          { topic: 'sub', partition: 1 },
          { topic: 'other', partition: 1 },
        ]);
        expect(r).toEqual({
          errorCode: 0,
          partitions: [
            { topic: 'sub', partition: 0, errorCode: 86 },
            { topic: 'sub', partition: 1, errorCode: 86 },
            { topic: 'other', partition: 1, errorCode: 0 },
          ],
        });
        expect(await committed(group)).toEqual(['other-0=2', 'sub-0=1']);
      } finally {
        await c.close();
      }
    });
  }

  it('an Empty group: the named partitions go, unknown topics and partitions are UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await admin.alterOffsets('od-empty', [
      { topic: 'sub', partition: 0, offset: 5n },
      { topic: 'sub', partition: 1, offset: 6n },
    ]);
    const r = await admin.deleteOffsets('od-empty', [
      { topic: 'sub', partition: 1 },
      { topic: 'sub', partition: 7 },
      { topic: 'nope', partition: 0 },
    ]);
    expect(r.errorCode).toBe(0);
    expect(r.partitions).toEqual([
      { topic: 'sub', partition: 1, errorCode: 0 },
      { topic: 'sub', partition: 7, errorCode: 3 },
      { topic: 'nope', partition: 0, errorCode: 3 },
    ]);
    expect(await committed('od-empty')).toEqual(['sub-0=5']);
    // Deleting what is not there is no error.
    expect(
      (await admin.deleteOffsets('od-empty', [{ topic: 'sub', partition: 1 }])).partitions[0].errorCode,
    ).toBe(0);
  });

  it('an unknown group is GROUP_ID_NOT_FOUND; a live group of another protocol type is NON_EMPTY_GROUP', async () => {
    expect(await admin.deleteOffsets('od-missing', [{ topic: 'sub', partition: 0 }])).toEqual({
      errorCode: 69,
      partitions: [],
    });
    // A Kafka Connect-style group (protocol type "connect") with a member, joined at the coordinator.
    const join = groupsOf(emulator.cluster).joinGroup({
      groupId: 'od-connect',
      memberId: '',
      groupInstanceId: null,
      clientId: 'worker',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 30_000,
      protocolType: 'connect',
      protocols: [{ name: 'sessioned', metadata: new Uint8Array([1]) }],
      requireKnownMemberId: false,
      skipAssignmentSupported: false,
    });
    void join; // parked until the join phase ends; the group has a member meanwhile
    const state = groupsOf(emulator.cluster).stateOf('od-connect')?.state;
    expect(state).not.toBe('Empty');
    expect((await admin.deleteOffsets('od-connect', [{ topic: 'sub', partition: 0 }])).errorCode).toBe(68);
  });
});
