/** Admin against the in-process emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { KafkaProtocolError } from '../../src/client/errors.js';
import { Producer } from '../../src/client/producer/producer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

let emulator: Emulator;
let admin: Admin;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  admin = new Admin({ bootstrap: emulator.bootstrap, retry: { retries: 2, initialBackoffMs: 10 } });
  await admin.connect();
});

afterAll(async () => {
  await admin.close();
  await emulator.stop();
});

describe('Admin', () => {
  it('creates topics with partitions, replication factor and configs; refuses a duplicate', async () => {
    const [t] = await admin.createTopics({
      topics: [
        { topic: 'made', numPartitions: 3, replicationFactor: 1, configs: { 'retention.ms': '1000' } },
      ],
    });
    expect(t).toMatchObject({ topic: 'made', numPartitions: 3, replicationFactor: 1 });
    expect(t.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const err = await admin.createTopics({ topics: [{ topic: 'made', numPartitions: 1 }] }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaProtocolError);
    expect(err.type).toBe('TOPIC_ALREADY_EXISTS');
    expect(err.message).toContain('made');
    const [cfg] = await admin.describeConfigs({
      resources: [{ type: 'topic', name: 'made', keys: ['retention.ms'] }],
    });
    expect(cfg.configs.find((c) => c.name === 'retention.ms')?.value).toBe('1000');
  });

  it('validateOnly creates nothing; bad counts are typed errors', async () => {
    await admin.createTopics({ topics: [{ topic: 'dry-run', numPartitions: 2 }], validateOnly: true });
    expect(await admin.listTopics()).not.toContain('dry-run');
    await expect(admin.createTopics({ topics: [{ topic: 'zero', numPartitions: 0 }] })).rejects.toThrow(
      /INVALID_PARTITIONS/,
    );
    await expect(
      admin.createTopics({ topics: [{ topic: 'rf', numPartitions: 1, replicationFactor: 3 }] }),
    ).rejects.toThrow(/INVALID_REPLICATION_FACTOR/);
  });

  it('lists, describes, grows and deletes topics', async () => {
    await admin.createTopics({ topics: [{ topic: 'described', numPartitions: 2 }] });
    expect(await admin.listTopics()).toEqual(expect.arrayContaining(['described', 'made']));
    const [d] = await admin.describeTopics({ topics: ['described'] });
    expect(d.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr])).toEqual([
      [0, 0, [0], [0]],
      [1, 0, [0], [0]],
    ]);
    expect(d.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await admin.createPartitions({ topics: [{ topic: 'described', count: 4 }] });
    expect((await admin.describeTopics({ topics: ['described'] }))[0].partitions).toHaveLength(4);
    await expect(admin.createPartitions({ topics: [{ topic: 'described', count: 2 }] })).rejects.toThrow(
      /INVALID_PARTITIONS/,
    );
    await admin.deleteTopics({ topics: ['described'] });
    expect(await admin.listTopics()).not.toContain('described');
    await expect(admin.describeTopics({ topics: ['described'] })).rejects.toThrow(
      /UNKNOWN_TOPIC_OR_PARTITION/,
    );
    await expect(admin.deleteTopics({ topics: ['described'] })).rejects.toThrow(/UNKNOWN_TOPIC_OR_PARTITION/);
  });

  it('describes the cluster', async () => {
    const c = await admin.describeCluster();
    expect(c).toEqual({
      clusterId: 'kafkalab-emulator',
      controllerId: 0,
      brokers: [{ nodeId: 0, host: '127.0.0.1', port: emulator.port, rack: null }],
    });
  });

  it('lists earliest, latest and by-time offsets', async () => {
    await admin.createTopics({ topics: [{ topic: 'offsets', numPartitions: 2 }] });
    const p = new Producer({ cluster: admin.cluster, lingerMs: 0 });
    await p.send({
      topic: 'offsets',
      messages: [100, 200, 300].map((t) => ({ value: `at ${t}`, partition: 1, timestamp: 1_000_000 + t })),
    });
    await p.close();
    const earliest = await admin.listOffsets({ topic: 'offsets', spec: 'earliest' });
    const latest = await admin.listOffsets({ topic: 'offsets', spec: 'latest' });
    expect(earliest.map((x) => [x.partition, x.offset])).toEqual([
      [0, 0n],
      [1, 0n],
    ]);
    expect(latest.map((x) => [x.partition, x.offset])).toEqual([
      [0, 0n],
      [1, 3n],
    ]);
    const [byTime] = await admin.listOffsets({
      topic: 'offsets',
      partitions: [1],
      spec: { timestamp: 1_000_150 },
    });
    expect(byTime.offset).toBe(1n);
    const [none] = await admin.listOffsets({
      topic: 'offsets',
      partitions: [1],
      spec: { timestamp: 2_000_000 },
    });
    expect(none.offset).toBe(-1n);
  });
});
