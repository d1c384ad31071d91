// Real client against the emulator: kafkajs 2.2.4 (installed devDependency) consumer groups of 1, 2
// and 3 members on a 2-partition topic, committed offsets across an Empty group, and eviction of a
// member that stops heartbeating. Scenario from issue 3 ("Proof with real clients": kafkajs).
// Synchronisation is by events only (kafkajs instrumentation events and emulator exchanges), each
// wait bounded by a timeout that fails the test.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { groupsOf, offsetsOf } from '../../src/emulator/state/groups.js';
import { startTestEmulator } from '../client/consumer-support.js';
import { poke, until } from '../support/until.js';

type Consumer = ReturnType<Kafka['consumer']>;

const TOPIC = 'kj-groups';

let emulator: Emulator;
let kafka: Kafka;

beforeAll(async () => {
  // Short session timeouts for the eviction test (group.min.session.timeout.ms 500); every exchange
  // re-checks the pending waits.
  emulator = await startTestEmulator([{ name: TOPIC, partitions: 2 }]);
  kafka = new Kafka({ clientId: 'kj', brokers: [emulator.bootstrap], logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await emulator?.stop();
});

interface Member {
  consumer: Consumer;
  name: string;
  /** Partitions of the latest assignment (kafkajs GROUP_JOIN event). */
  assigned: number[] | null;
  memberId: string | null;
}

interface Seen {
  partition: number;
  offset: string;
  by: string;
}

async function startMember(
  groupId: string,
  name: string,
  seen: Seen[],
  opts: { sessionTimeout?: number } = {},
) {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: opts.sessionTimeout ?? 10_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 200,
    retry: { retries: 5 },
  });
  const m: Member = { consumer, name, assigned: null, memberId: null };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    m.assigned = (e.payload.memberAssignment[TOPIC] ?? []).slice().sort();
    m.memberId = e.payload.memberId;
    poke();
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      seen.push({ partition, offset: message.offset, by: name });
      poke();
    },
  });
  return m;
}

/** The group is Stable with exactly these members and their latest assignments split {0,1}. */
function settled(groupId: string, members: Member[]): boolean {
  const s = groupsOf(emulator.cluster).stateOf(groupId);
  if (s?.state !== 'Stable' || s.memberIds.length !== members.length) return false;
  if (members.some((m) => m.assigned === null || !s.memberIds.includes(m.memberId!))) return false;
  const all = members.flatMap((m) => m.assigned!).sort();
  return all.length === 2 && all[0] === 0 && all[1] === 1;
}

async function produce(count: number, tag: string) {
  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `${tag}-key-${i}`,
    value: `${tag}-${i}`,
  }));
  await producer.send({ topic: TOPIC, messages });
  await producer.disconnect();
}

function partitionEnds(): number[] {
  return emulator.cluster.topics.get(TOPIC)!.partitions.map((p) => p.highWatermark);
}

describe('kafkajs consumer groups against the emulator', () => {
  it('groups of 1, 2 and 3 split 2 partitions and consume every message exactly once', async () => {
    const timings: Record<number, number> = {};
    for (const size of [1, 2, 3]) {
      const groupId = `kj-group-of-${size}`;
      const seen: Seen[] = [];
      const members: Member[] = [];
      const started = performance.now();
      for (let i = 0; i < size; i++) members.push(await startMember(groupId, `${size}-${i}`, seen));
      await until(`group of ${size} to settle`, () => settled(groupId, members));
      timings[size] = performance.now() - started;

      const sizes = members.map((m) => m.assigned!.length).sort();
      if (size === 1) expect(sizes).toEqual([2]);
      if (size === 2) expect(sizes).toEqual([1, 1]);
      if (size === 3) expect(sizes).toEqual([0, 1, 1]);

      const before = partitionEnds();
      await produce(1000, groupId);
      const after = partitionEnds();
      // Keys spread over both partitions (kafkajs' murmur2 partitioner).
      expect(after[0] - before[0]).toBeGreaterThan(0);
      expect(after[1] - before[1]).toBeGreaterThan(0);

      // Only what this round produced counts; earlier rounds' messages are consumed too (fromBeginning).
      const mine = () => seen.filter((s) => Number(s.offset) >= before[s.partition]);
      await until(`group of ${size} to consume 1000`, () => mine().length >= 1000);
      const distinct = new Set(mine().map((s) => `${s.partition}:${s.offset}`));
      expect(distinct.size).toBe(1000);
      expect(mine().length).toBe(1000);
      // Each partition's messages came from the one member assigned to it.
      for (const p of [0, 1]) {
        const owner = members.find((m) => m.assigned!.includes(p))!;
        expect(
          new Set(
            mine()
              .filter((s) => s.partition === p)
              .map((s) => s.by),
          ),
        ).toEqual(new Set([owner.name]));
      }
      // Everything consumed gets committed (kafkajs commits after each batch).
      await until(`group of ${size} to commit`, () =>
        [0, 1].every((p) => offsetsOf(emulator.cluster).get(groupId, TOPIC, p)?.offset === BigInt(after[p])),
      );
      for (const m of members) await m.consumer.disconnect();
      expect(groupsOf(emulator.cluster).stateOf(groupId)?.state).toBe('Empty');
      expect(mine().length).toBe(1000);
    }
    console.log(
      `kafkajs group formation (first run() → Stable, all members assigned): 1: ${timings[1].toFixed(0)} ms, ` +
        `2: ${timings[2].toFixed(0)} ms, 3: ${timings[3].toFixed(0)} ms`,
    );
  });

  it('committed offsets survive the group going Empty and coming back', async () => {
    const groupId = 'kj-comeback';
    const seen: Seen[] = [];
    const first = await startMember(groupId, 'first', seen);
    await until('first member to settle', () => settled(groupId, [first]));
    const ends = partitionEnds();
    await until('first member to consume everything', () => seen.length >= ends[0] + ends[1]);
    await until('offsets committed', () =>
      [0, 1].every((p) => offsetsOf(emulator.cluster).get(groupId, TOPIC, p)?.offset === BigInt(ends[p])),
    );
    await first.consumer.disconnect();
    expect(groupsOf(emulator.cluster).stateOf(groupId)?.state).toBe('Empty');

    // kafkajs' admin reads them back through OffsetFetch while the group is Empty.
    const admin = kafka.admin();
    await admin.connect();
    const fetched = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
    expect(fetched[0].partitions.map((p) => [p.partition, Number(p.offset)]).sort()).toEqual([
      [0, ends[0]],
      [1, ends[1]],
    ]);
    const listed = await admin.listGroups();
    expect(listed.groups.find((g) => g.groupId === groupId)).toEqual({ groupId, protocolType: 'consumer' });
    await admin.disconnect();

    await produce(10, 'comeback');
    const again: Seen[] = [];
    const second = await startMember(groupId, 'second', again);
    await until('second member to settle', () => settled(groupId, [second]));
    await until('the 10 new messages', () => again.length >= 10);
    // It resumed from the committed offsets: nothing before them is read again.
    expect(again.every((s) => Number(s.offset) >= ends[s.partition])).toBe(true);
    expect(again.length).toBe(10);
    await second.consumer.disconnect();
  });

  it('a member that stops heartbeating is evicted after its session timeout and its partition moves', async () => {
    const groupId = 'kj-eviction';
    const seen: Seen[] = [];
    const alive = await startMember(groupId, 'alive', seen, { sessionTimeout: 1500 });
    await until('alive to settle', () => settled(groupId, [alive]));
    // The stuck member blocks inside eachMessage, so kafkajs sends no heartbeat (a hung process).
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let stuckAt = 0;
    const stuckConsumer = kafka.consumer({
      groupId,
      sessionTimeout: 1500,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    const stuck: Member = { consumer: stuckConsumer, name: 'stuck', assigned: null, memberId: null };
    stuckConsumer.on(stuckConsumer.events.GROUP_JOIN, (e) => {
      stuck.assigned = (e.payload.memberAssignment[TOPIC] ?? []).slice().sort();
      stuck.memberId = e.payload.memberId;
      poke();
    });
    await stuckConsumer.connect();
    await stuckConsumer.subscribe({ topic: TOPIC, fromBeginning: false });
    await stuckConsumer.run({
      eachMessage: async () => {
        stuckAt = performance.now();
        poke();
        await released;
      },
    });
    await until('two members to settle', () => settled(groupId, [alive, stuck]));
    const stuckId = stuck.memberId!;
    await produce(20, 'eviction');
    await until('the stuck member to block', () => stuckAt > 0);

    await until(
      'the stuck member to be evicted and alive to own both partitions',
      () => settled(groupId, [alive]) && alive.assigned!.length === 2,
      15_000,
    );
    const evictedAfter = performance.now() - stuckAt;
    expect(groupsOf(emulator.cluster).stateOf(groupId)?.memberIds).not.toContain(stuckId);
    // Not before the 1.5 s session timeout (the last heartbeat came at most one interval earlier).
    expect(evictedAfter).toBeGreaterThan(1000);
    console.log(
      `kafkajs eviction: stuck member out and partitions moved ${evictedAfter.toFixed(0)} ms after it stopped`,
    );

    release();
    await stuckConsumer.disconnect();
    await alive.consumer.disconnect();
  });
});
