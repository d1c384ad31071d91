// Issue 16, the no-loss check with kafkalab's own clients: 3 brokers, a topic with 2 partitions at
// RF 3 and min.insync.replicas 2, kafkalab's idempotent producer (acks=all) sending one record at a
// time and a kafkalab group consumer reading. Ten times, at moments drawn from a seeded generator,
// the leader of one of the partitions is stopped or killed (fenced after 300 ms, real time) and
// started again. Every acknowledged record is in its partition exactly once, in send order, and the
// consumer reads every one (a redelivery after a rebalance holds the same record at the same offset).
import { afterEach, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { Consumer } from '../../../src/client/consumer/consumer.js';
import { Producer } from '../../../src/client/producer/producer.js';
import { controllerOf } from '../../../src/emulator/cluster/controller.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Rng } from '../../support/rng.js';
import { poke, until } from '../../support/until.js';

const SEED = 1616;
let emulator: Emulator | undefined;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  await emulator?.stop();
  emulator = undefined;
});

it(`kafkalab's producer and consumer lose and duplicate nothing over 10 leader failures (seed ${SEED})`, async () => {
  emulator = await startEmulator({ brokers: 3, port: 0, brokerSessionTimeoutMs: 300 });
  const e = emulator;
  const admin = new Admin({ bootstrap: [...e.addresses] });
  closers.push(() => admin.close());
  await admin.createTopics({
    topics: [
      { topic: 'nl', numPartitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
    ],
  });

  const seen = [new Map<bigint, string>(), new Map<bigint, string>()];
  const conflicts: string[] = [];
  const consumer = new Consumer({
    bootstrap: [...e.addresses],
    groupId: 'nl-group',
    autoOffsetReset: 'earliest',
    heartbeatIntervalMs: 200,
    sessionTimeoutMs: 6000,
  });
  closers.push(() => consumer.close());
  consumer.subscribe('nl');
  consumer
    .run({
      eachMessage: (r) => {
        const value = String(r.value);
        const before = seen[r.partition]?.get(r.offset);
        if (before !== undefined && before !== value)
          conflicts.push(`${r.partition}@${r.offset}: ${before} then ${value}`);
        seen[r.partition]?.set(r.offset, value);
        poke();
      },
    })
    .catch(() => undefined);

  const producer = new Producer({ bootstrap: [...e.addresses], acks: 'all', idempotent: true });
  closers.push(() => producer.close());
  const rng = new Rng(SEED);
  const acked: string[][] = [[], []];
  const events: string[] = [];
  let sent = 0;
  for (let round = 0; round < 10; round++) {
    const partition = rng.int(2);
    const t = e.cluster.topics.get('nl');
    const leader = t ? controllerOf(e.cluster).describe(t, partition).leaderId : -1;
    for (let n = 1 + rng.int(20); n > 0; n--) {
      const p = sent % 2;
      const value = `r${sent++}`;
      const [meta] = await producer.send({ topic: 'nl', messages: [{ partition: p, value }] });
      expect(meta?.partition).toBe(p);
      acked[p]?.push(value);
    }
    const how = rng.int(2) === 0 ? 'stop' : 'kill';
    events.push(how === 'stop' ? await e.stopBroker(leader) : await e.killBroker(leader));
    for (let n = 1 + rng.int(20); n > 0; n--) {
      const p = sent % 2;
      const value = `r${sent++}`;
      await producer.send({ topic: 'nl', messages: [{ partition: p, value }] });
      acked[p]?.push(value);
    }
    events.push(await e.startBroker(leader));
  }
  expect(events).toHaveLength(20);
  await until(
    'every acknowledged record consumed',
    () => seen.every((m, p) => m.size >= (acked[p]?.length ?? 0)),
    30_000,
  );
  expect(conflicts).toEqual([]);
  for (const p of [0, 1]) {
    const log = [...(seen[p]?.entries() ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(log.map(([o]) => o)).toEqual(acked[p]?.map((_, i) => BigInt(i)));
    expect(log.map(([, v]) => v)).toEqual(acked[p]);
    expect(e.cluster.topics.get('nl')?.partitions[p]?.logEndOffset).toBe(acked[p]?.length);
  }
}, 120_000);
