// DeleteGroups (API 42) on a KIP-848 consumer group, the same assertions on both targets: the
// in-process emulator and a real Apache Kafka 4.1.1. Kafka's ConsumerGroup.validateDeleteGroup
// refuses anything but Empty with NON_EMPTY_GROUP (the offsets stay); a static member that left
// temporarily (epoch -2) still counts as a member; once the group is Empty it goes with its offsets.
//
// The real broker runs with group.consumer.heartbeat.interval.ms 500 (its minimum lowered to match),
// the emulator with the same. Waits are bounded and re-checked on every 50 ms tick (the real broker
// has no hook to tell us something happened).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { startRealKafka } from '../support/real-kafka.js';
import { poke, until } from '../support/until.js';

const HEARTBEAT_MS = 500;
const NON_EMPTY_GROUP = 68;
const GROUP_ID_NOT_FOUND = 69;

interface Target {
  name: string;
  start(): Promise<{ bootstrap: string; stop(): Promise<void> }>;
}

const TARGETS: Target[] = [
  {
    name: 'emulator',
    async start() {
      const emulator = await startEmulator({ groupConsumerHeartbeatIntervalMs: HEARTBEAT_MS });
      emulator.hooks.observe('*', poke);
      return { bootstrap: emulator.bootstrap, stop: () => emulator.stop() };
    },
  },
  {
    name: 'Apache Kafka 4.1.1',
    async start() {
      const kafka = await startRealKafka({
        overrides: {
          'group.consumer.min.heartbeat.interval.ms': String(HEARTBEAT_MS),
          'group.consumer.heartbeat.interval.ms': String(HEARTBEAT_MS),
          'auto.create.topics.enable': 'false',
        },
      });
      return { bootstrap: kafka.bootstrap, stop: () => kafka.stop() };
    },
  },
];

describe.each(TARGETS)('DeleteGroups on a consumer-protocol group against $name', (target) => {
  let broker: { bootstrap: string; stop(): Promise<void> };
  let admin: GroupAdmin;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    broker = await target.start();
    ticker = setInterval(poke, 50);
    const topics = new Admin({ bootstrap: broker.bootstrap });
    try {
      await topics.createTopics({ topics: [{ topic: 'del-t', numPartitions: 2 }] });
    } finally {
      await topics.close();
    }
    admin = new GroupAdmin({ bootstrap: broker.bootstrap });
  }, 300_000);

  afterAll(async () => {
    clearInterval(ticker);
    await admin?.close();
    await broker?.stop();
  }, 60_000);

  async function member(groupId: string, groupInstanceId: string | null = null): Promise<Consumer> {
    const c = new Consumer({
      bootstrap: broker.bootstrap,
      groupId,
      groupInstanceId,
      groupProtocol: 'consumer',
      autoCommit: false,
      fetchMaxWaitMs: 100,
    });
    c.subscribe(['del-t']);
    let failure: unknown;
    c.run({ eachMessage: async () => {} }).catch((e) => {
      failure = e;
    });
    await until(
      `${groupId} to get both partitions`,
      () => {
        if (failure !== undefined) throw failure;
        return c.assignment().length === 2;
      },
      30_000,
    );
    return c;
  }

  /** Re-asks the broker every 50 ms until `check` holds (a real broker has no hook to wait on). */
  async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!(await check())) {
      if (performance.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const deleteCode = async (groupId: string) => (await admin.deleteGroups([groupId]))[0]!.error?.code ?? 0;
  const committed = async (groupId: string) =>
    [...(await admin.committedOffsets(groupId)).values()].map((c) => `${c.topic}-${c.partition}=${c.offset}`);

  it('a group with a member answers NON_EMPTY_GROUP and keeps its offsets; Empty, it goes with them', async () => {
    const group = 'del-dynamic';
    const c = await member(group);
    try {
      await c.commit([{ topic: 'del-t', partition: 0, offset: 1n }]);
      expect(await deleteCode(group)).toBe(NON_EMPTY_GROUP);
      expect(await committed(group)).toEqual(['del-t-0=1']);
      expect((await admin.describeGroup(group))?.members.length).toBe(1);
    } finally {
      await c.close({ timeoutMs: 10_000 });
    }
    await eventually(
      'the group to be Empty',
      async () => (await admin.describeGroup(group))?.state === 'Empty',
    );
    expect(await deleteCode(group)).toBe(0);
    expect(await committed(group)).toEqual([]);
    expect(await admin.describeGroup(group)).toBeNull();
    expect(await deleteCode(group)).toBe(GROUP_ID_NOT_FOUND);
  }, 90_000);

  it('a static member that left temporarily still holds the group: NON_EMPTY_GROUP', async () => {
    const group = 'del-static';
    const c = await member(group, 'instance-1');
    await c.commit([{ topic: 'del-t', partition: 1, offset: 2n }]);
    // A static member's close leaves with epoch -2: it stays a member until its session times out.
    await c.close({ timeoutMs: 10_000 });
    const described = await admin.describeGroup(group);
    expect(described?.members.map((m) => m.groupInstanceId)).toEqual(['instance-1']);
    expect(await deleteCode(group)).toBe(NON_EMPTY_GROUP);
    expect(await committed(group)).toEqual(['del-t-1=2']);
  }, 90_000);
});
