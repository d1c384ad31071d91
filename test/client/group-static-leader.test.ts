// A static leader that comes back (KIP-345 + KIP-814): kafkalab's consumer with a groupInstanceId
// closes without LeaveGroup, a new one with the same instance id rejoins the Stable group, and the
// broker answers its JoinGroup (v9+) with skipAssignment. The rejoined leader must send SyncGroup
// with no assignments (the broker keeps the group's) and get its old partitions back in the same
// generation — the other member never rebalances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rangeAssignor } from '../../src/client/assignors/index.js';
import { Consumer } from '../../src/client/consumer/index.js';
import type { Emulator, Exchange } from '../../src/emulator/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { FAST_GROUP, poke, startTestEmulator, until } from './consumer-support.js';

const TOPIC = 'static-leader-4p';
const GROUP = 'static-leader';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator([{ name: TOPIC, partitions: 4 }]);
});

afterAll(async () => {
  await emulator?.stop();
});

function staticMember(instanceId: string): Consumer {
  const consumer = new Consumer({
    bootstrap: emulator.bootstrap,
    groupId: GROUP,
    groupInstanceId: instanceId,
    ...FAST_GROUP,
    autoOffsetReset: 'earliest',
    assignors: [rangeAssignor],
    listener: { onPartitionsAssigned: () => poke(), onPartitionsRevoked: () => poke() },
  });
  consumer.subscribe([TOPIC]);
  consumer.run({ eachMessage: () => undefined }).catch(() => undefined);
  return consumer;
}

const partitionsOf = (c: Consumer) =>
  c
    .assignment()
    .map((p) => p.partition)
    .sort();

describe('a static leader rejoining a Stable group (JoinGroup skipAssignment)', () => {
  it('sends SyncGroup without assignments and gets its partitions back in the same generation', async () => {
    const a = staticMember('a');
    await until('a owns all 4 partitions', () => partitionsOf(a).length === 4);
    const b = staticMember('b');
    await until(
      'a and b share the partitions in one generation',
      () =>
        partitionsOf(a).length === 2 &&
        partitionsOf(b).length === 2 &&
        a.groupMetadata().generationId === b.groupMetadata().generationId,
    );
    const generation = b.groupMetadata().generationId;
    const leaderPartitions = partitionsOf(a);
    expect(a.groupMetadata().memberId).toBe(groupsOf(emulator.cluster).stateOf(GROUP)?.leaderId);

    const joins: Exchange[] = [];
    const syncs: Exchange[] = [];
    const watch = [
      emulator.hooks.observe(11, (e) => joins.push(e)),
      emulator.hooks.observe(14, (e) => syncs.push(e)),
    ];
    try {
      // A static member does not leave on close: its partitions wait for it (KIP-345).
      await a.close();
      const again = staticMember('a');
      await until('the new incarnation of a has partitions', () => partitionsOf(again).length === 2);

      expect(joins.map((e) => e.response?.body.skipAssignment)).toEqual([true]);
      expect(syncs).toHaveLength(1);
      expect(syncs[0].request.assignments).toEqual([]);
      expect(again.groupMetadata().generationId).toBe(generation);
      expect(partitionsOf(again)).toEqual(leaderPartitions);
      expect(b.groupMetadata().generationId).toBe(generation);
      await again.close();
    } finally {
      for (const w of watch) w.remove();
      await b.close();
    }
  });
});
