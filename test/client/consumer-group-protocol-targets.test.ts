// kafkalab's consumer with groupProtocol 'consumer' (KIP-848) against both targets, the same
// assertions on each: the in-process emulator and a real Apache Kafka 4.1.1 (conformance/real-kafka).
// Two members share a 4-partition topic — the second gets its half only after the first revoked it,
// every record is read once, the commits end at the log end; a member that leaves hands its
// partitions over to the other.
//
// The real broker runs with group.consumer.heartbeat.interval.ms 500 (and its minimum lowered to
// match) instead of 5000, so a reconciliation takes about a second; the emulator is given the same.
// Waits are bounded: a condition is re-checked on every client callback and every 50 ms (the real
// broker has no hook to tell us that something happened).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer, type ConsumerRecord, type TopicPartition } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { poke, until } from './consumer-support.js';

const HEARTBEAT_MS = 500;

interface Target {
  name: string;
  start(): Promise<{ bootstrap: string; stop(): Promise<void> }>;
}

const TARGETS: Target[] = [
  {
    name: 'emulator',
    async start() {
      const emulator: Emulator = await startEmulator({ groupConsumerHeartbeatIntervalMs: HEARTBEAT_MS });
      emulator.hooks.observe('*', poke);
      return { bootstrap: emulator.bootstrap, stop: () => emulator.stop() };
    },
  },
  {
    name: 'Apache Kafka 4.1.1',
    async start() {
      const kafka: RealKafka = await startRealKafka({
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

interface Member {
  consumer: Consumer;
  seen: ConsumerRecord[];
  revoked: TopicPartition[][];
  assigned: TopicPartition[][];
  error?: unknown;
}

describe.each(TARGETS)("groupProtocol 'consumer' against $name", (target) => {
  let broker: { bootstrap: string; stop(): Promise<void> };
  const open = new Set<Consumer>();
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    broker = await target.start();
    ticker = setInterval(poke, 50);
    const admin = new Admin({ bootstrap: broker.bootstrap });
    try {
      await admin.createTopics({
        topics: [
          { topic: 'kip848-t-share', numPartitions: 4 },
          { topic: 'kip848-t-leave', numPartitions: 4 },
        ],
      });
    } finally {
      await admin.close();
    }
  }, 300_000);

  afterEach(async () => {
    await Promise.all([...open].map((c) => c.close({ timeoutMs: 10_000 })));
    open.clear();
  });

  afterAll(async () => {
    clearInterval(ticker);
    await broker?.stop();
  }, 60_000);

  function startMember(groupId: string, topic: string, clientId: string, assignor?: string): Member {
    const m: Member = { consumer: undefined as unknown as Consumer, seen: [], revoked: [], assigned: [] };
    m.consumer = new Consumer({
      bootstrap: broker.bootstrap,
      clientId,
      groupId,
      groupProtocol: 'consumer',
      groupRemoteAssignor: assignor,
      autoOffsetReset: 'earliest',
      fetchMaxWaitMs: 100,
      autoCommitIntervalMs: 200,
      listener: {
        onPartitionsAssigned: (ps) => {
          m.assigned.push(ps);
          poke();
        },
        onPartitionsRevoked: (ps) => {
          m.revoked.push(ps);
          poke();
        },
      },
    });
    open.add(m.consumer);
    m.consumer.subscribe(topic);
    m.consumer
      .run({
        eachMessage: (r) => {
          m.seen.push(r);
          poke();
        },
      })
      .catch((err) => {
        m.error = err;
        poke();
      });
    return m;
  }

  const failed = (...ms: Member[]) => {
    for (const m of ms) if (m.error !== undefined) throw m.error;
    return false;
  };
  const partitionsOf = (m: Member) =>
    m.consumer
      .assignment()
      .map((p) => p.partition)
      .sort();
  const values = (ms: Member[]) => ms.flatMap((m) => m.seen.map((r) => r.value!.toString()));

  async function produceN(topic: string, prefix: string, n: number): Promise<string[]> {
    const producer = new Producer({ bootstrap: broker.bootstrap, clientId: 'kip848-producer' });
    const sent = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    try {
      await producer.send({
        topic,
        messages: sent.map((v, i) => ({ value: Buffer.from(v), key: null, partition: i % 4 })),
      });
    } finally {
      await producer.close();
    }
    return sent;
  }

  async function committed(groupId: string, topic: string): Promise<(bigint | null)[]> {
    const admin = new GroupAdmin({ bootstrap: broker.bootstrap });
    try {
      const lag = await admin.describeLag(groupId);
      return [0, 1, 2, 3].map(
        (p) => lag.find((l) => l.topic === topic && l.partition === p)?.currentOffset ?? null,
      );
    } finally {
      await admin.close();
    }
  }

  it('two members share a topic: the second gets half only after the first revoked it, every record once, commits at the log end', async () => {
    const topic = 'kip848-t-share';
    const group = `kip848-t-share-${target.name.length}`;
    const started = performance.now();
    const before = await produceN(topic, 'a', 200);
    const first = startMember(group, topic, 'share-1');
    await until(
      'the first member has all four partitions and read everything',
      () => failed(first) || (partitionsOf(first).length === 4 && first.seen.length === 200),
      60_000,
    );
    const firstEpoch = first.consumer.groupMetadata().generationId;
    expect(firstEpoch).toBeGreaterThan(0);
    const joinedAt = performance.now();
    const second = startMember(group, topic, 'share-2');
    await until(
      'two partitions each',
      () => failed(first, second) || (partitionsOf(first).length === 2 && partitionsOf(second).length === 2),
      60_000,
    );
    const splitMs = performance.now() - joinedAt;
    // The first gave two up (revoked), the second got exactly those.
    const revoked = first.revoked.flat().map((p) => p.partition);
    expect(revoked.sort()).toEqual(partitionsOf(second));
    expect(first.consumer.groupMetadata().generationId).toBeGreaterThan(firstEpoch);
    const after = await produceN(topic, 'b', 200);
    await until(
      '400 records between them',
      () => failed(first, second) || values([first, second]).length >= 400,
      60_000,
    );
    expect(values([first, second]).sort()).toEqual([...before, ...after].sort());
    expect(new Set(values([first, second])).size).toBe(400);
    // Each member read after the split only from its own partitions.
    for (const m of [first, second]) {
      const mine = new Set(partitionsOf(m));
      expect(
        m.seen.filter((r) => r.value!.toString().startsWith('b-')).every((r) => mine.has(r.partition)),
      ).toBe(true);
    }
    await Promise.all([first.consumer.close(), second.consumer.close()]);
    open.delete(first.consumer);
    open.delete(second.consumer);
    expect(await committed(group, topic)).toEqual([100n, 100n, 100n, 100n]);
    console.log(
      `[kip848 ${target.name}] second member to two partitions each: ${Math.round(splitMs)} ms; whole test ${Math.round(performance.now() - started)} ms`,
    );
  }, 180_000);

  it('a member that leaves (close) hands its partitions to the other', async () => {
    const topic = 'kip848-t-leave';
    const group = `kip848-t-leave-${target.name.length}`;
    const a = startMember(group, topic, 'leave-a', 'range');
    await until('a has all', () => failed(a) || partitionsOf(a).length === 4, 60_000);
    const b = startMember(group, topic, 'leave-b', 'range');
    await until(
      'two each',
      () => failed(a, b) || (partitionsOf(a).length === 2 && partitionsOf(b).length === 2),
      60_000,
    );
    // range: the member ids' order decides who gets 0-1; either way each holds a contiguous half.
    for (const m of [a, b])
      expect([
        [0, 1],
        [2, 3],
      ]).toContainEqual(partitionsOf(m));
    const sent = await produceN(topic, 'l', 40);
    await until('40 records', () => failed(a, b) || values([a, b]).length === 40, 60_000);
    const leftAt = performance.now();
    await a.consumer.close();
    open.delete(a.consumer);
    await until('b has all four', () => failed(b) || partitionsOf(b).length === 4, 60_000);
    const handoverMs = performance.now() - leftAt;
    const more = await produceN(topic, 'm', 40);
    await until('b read the next 40', () => failed(b) || b.seen.length >= 20 + 40, 60_000);
    expect(values([a, b]).sort()).toEqual([...sent, ...more].sort());
    await b.consumer.close();
    open.delete(b.consumer);
    expect(await committed(group, topic)).toEqual([20n, 20n, 20n, 20n]);
    console.log(`[kip848 ${target.name}] leave to handover: ${Math.round(handoverMs)} ms`);
  }, 180_000);
});
