/**
 * The seed workflow with kafkajs 2.2.4 as an unmodified client (issue 3, "Proof with real clients"):
 * a topic with 2 partitions, metadata showing node 0 leading both, 1000 keyed messages produced and
 * read back. Reading uses our own Fetch frames, so this test needs no consumer-group support.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { readBatches } from './support/batches.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator;
let kafka: Kafka;

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  kafka = new Kafka({ clientId: 'emulator-test', brokers: [emulator.bootstrap], logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await emulator.stop();
});

describe('kafkajs against the emulator', () => {
  it('starts on a free port and advertises it', () => {
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.bootstrap).toBe(`127.0.0.1:${emulator.port}`);
  });

  it('creates a topic with 2 partitions and describes both as led by node 0', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(
        await admin.createTopics({ topics: [{ topic: 'test', numPartitions: 2, replicationFactor: 1 }] }),
      ).toBe(true);
      // A second create of the same topic is refused (TOPIC_ALREADY_EXISTS), which kafkajs reports as false.
      expect(await admin.createTopics({ topics: [{ topic: 'test', numPartitions: 2 }] })).toBe(false);
      const { topics } = await admin.fetchTopicMetadata({ topics: ['test'] });
      expect(topics).toHaveLength(1);
      const partitions = [...topics[0].partitions].sort((a, b) => a.partitionId - b.partitionId);
      expect(partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual([
        [0, 0, [0], [0]],
        [1, 0, [0], [0]],
      ]);
      expect(await admin.listTopics()).toContain('test');
    } finally {
      await admin.disconnect();
    }
  });

  it('takes 1000 keyed messages from an idempotent producer and serves them back by Fetch', async () => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 1000 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));
    const started = performance.now();
    const result = await producer.send({ topic: 'test', acks: -1, messages: sent });
    const produceMs = performance.now() - started;
    await producer.disconnect();
    expect(result.every((r) => r.errorCode === 0)).toBe(true);

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('test');
    await admin.disconnect();
    const total = offsets.reduce((n, o) => n + Number(o.high), 0);
    expect(total).toBe(1000);
    expect(offsets.every((o) => o.low === '0')).toBe(true);

    const wire = await WireClient.connect(emulator.port);
    const got: { partition: number; offset: bigint; key: string | null; value: string | null }[] = [];
    for (const partition of [0, 1]) {
      let fetchOffset = 0n;
      // Bounded: each round makes progress or the loop ends.
      for (let round = 0; round < 100; round++) {
        const r = await wire.request(Fetch, 11, {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 4096,
          isolationLevel: 0,
          topics: [{ topic: 'test', partitions: [{ partition, fetchOffset, partitionMaxBytes: 4096 }] }],
        });
        const p = r.responses[0].partitions[0];
        expect(p.errorCode).toBe(0);
        const records = readBatches(p.records).filter((rec) => rec.offset >= fetchOffset);
        if (records.length === 0) break;
        for (const rec of records) got.push({ partition, ...rec });
        fetchOffset = records[records.length - 1].offset + 1n;
      }
      expect(fetchOffset).toBe(BigInt(offsets.find((o) => o.partition === partition)?.high ?? -1));
    }
    wire.close();

    // Every message exactly once, offsets dense from 0 per partition, a key always on one partition.
    expect(got).toHaveLength(1000);
    expect(new Set(got.map((g) => g.key)).size).toBe(1000);
    for (const partition of [0, 1]) {
      const offsetsSeen = got.filter((g) => g.partition === partition).map((g) => Number(g.offset));
      expect(offsetsSeen).toEqual(offsetsSeen.map((_, i) => i));
    }
    for (const g of got) expect(g.value).toBe(`value-${g.key?.slice(4)}`);
    expect(produceMs).toBeLessThan(10_000);
  });

  it('auto-creates a topic a producer asks metadata for, with num.partitions partitions', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const [r] = await producer.send({ topic: 'auto-created', messages: [{ value: 'x' }] });
    await producer.disconnect();
    expect(r.errorCode).toBe(0);
    expect(emulator.cluster.topics.get('auto-created')?.partitions).toHaveLength(1);
  });
});
