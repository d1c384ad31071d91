// Issue 16, step 5: kafkajs 2.2.4, unmodified, follows a leader change on a 3-broker emulator. One
// partition at RF 3 (replicas [0, 1, 2]); an idempotent producer (acks=all) sends 400 records one by
// one while a consumer group reads them. After the 100th the leader is stopped (controlled
// shutdown: Produce to it is refused with NOT_LEADER_OR_FOLLOWER or its connection closes, kafkajs
// refreshes metadata and goes to the new leader); after the 200th it is started again; after the
// 300th the current leader is killed (connections reset; fenced 300 ms later, real time), and it
// comes back after the 350th. Every acknowledged record is in the log exactly once, in order, and the
// consumer reads all of them; it may read some twice — a consumer rejoining after its coordinator
// moved starts again from the last committed offset (at-least-once, as with Kafka) — but each offset
// always holds the same record.
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { controllerOf } from '../../../src/emulator/cluster/controller.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { poke, until } from '../../support/until.js';

let emulator: Emulator | undefined;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  await emulator?.stop();
  emulator = undefined;
});

function leaderOf(e: Emulator, topic: string): number {
  const t = e.cluster.topics.get(topic);
  if (!t) throw new Error(`no topic ${topic}`);
  return controllerOf(e.cluster).describe(t, 0).leaderId;
}

it('an idempotent kafkajs producer and a group consumer follow the leader through stop, start and kill', async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  emulator = await startEmulator({ brokers: 3, port: 0, brokerSessionTimeoutMs: 300 });
  const e = emulator;
  const kafka = new Kafka({
    clientId: 'failover',
    brokers: [...e.addresses],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 12, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  closers.push(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic: 'fail', numPartitions: 1, replicationFactor: 3 }] });

  /** Offset → value, from every delivery; a redelivered offset must hold the same value. */
  const byOffset = new Map<number, string>();
  let deliveries = 0;
  const conflicts: string[] = [];
  const consumer = kafka.consumer({
    groupId: 'failover-group',
    maxWaitTimeInMs: 100,
    heartbeatInterval: 500,
  });
  await consumer.connect();
  closers.push(() => consumer.disconnect());
  await consumer.subscribe({ topic: 'fail', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const offset = Number(message.offset);
      const value = String(message.value);
      const before = byOffset.get(offset);
      if (before !== undefined && before !== value)
        conflicts.push(`offset ${offset}: ${before} then ${value}`);
      byOffset.set(offset, value);
      deliveries++;
      poke();
    },
  });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  closers.push(() => producer.disconnect());
  const acked: string[] = [];
  const events: string[] = [];
  let stopped = -1;
  let killed = -1;
  for (let i = 0; i < 400; i++) {
    if (i === 100) {
      stopped = leaderOf(e, 'fail');
      events.push(await e.stopBroker(stopped));
    }
    if (i === 200) events.push(await e.startBroker(stopped));
    if (i === 300) {
      killed = leaderOf(e, 'fail');
      events.push(await e.killBroker(killed));
    }
    if (i === 350) {
      // Fenced by now (the producer waited out the session timeout to get here).
      expect(leaderOf(e, 'fail')).not.toBe(killed);
      events.push(await e.startBroker(killed));
    }
    const value = `m${i}`;
    await producer.send({ topic: 'fail', acks: -1, messages: [{ value }] });
    acked.push(value);
  }
  expect(stopped).toBe(0);
  expect(killed).not.toBe(0);
  expect(events.map((l) => l.split(':')[0])).toEqual([
    'broker 0 stopped',
    'broker 0 started',
    `broker ${killed} killed`,
    `broker ${killed} started`,
  ]);
  await until('every acknowledged record consumed', () => byOffset.size >= acked.length, 30_000);
  expect(conflicts).toEqual([]);
  const inLog = [...byOffset.entries()].sort((a, b) => a[0] - b[0]);
  expect(inLog.map(([o]) => o)).toEqual(acked.map((_, i) => i));
  expect(inLog.map(([, v]) => v)).toEqual(acked);
  expect(deliveries).toBeGreaterThanOrEqual(acked.length);
  const t = e.cluster.topics.get('fail');
  expect(t?.partitions[0]?.logEndOffset).toBe(400);
  // Three leader changes: 0 → 1 (stop), 1 → next (kill); the restarted brokers are back in the ISR.
  const final = t ? controllerOf(e.cluster).describe(t, 0) : undefined;
  expect(final?.leaderEpoch).toBe(2);
  expect([...(final?.isrNodes ?? [])].sort()).toEqual([0, 1, 2]);
});
