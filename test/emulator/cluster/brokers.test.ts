// Issue 16: a cluster of brokers in one emulator. startEmulator({ brokers: 3 }) opens three
// listeners; any of them describes the whole cluster; CreateTopics places replicas striped over the
// live brokers with leaders round robin (the first replica), honours replicationFactor and a manual
// assignment, and refuses more replicas than brokers (INVALID_REPLICATION_FACTOR); each broker
// describes only its own BROKER config resource.
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { Connection } from '../../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Metadata } from '../../../src/protocol/messages/03-metadata.js';
import { CreateTopics } from '../../../src/protocol/messages/19-create-topics.js';
import { DescribeConfigs } from '../../../src/protocol/messages/32-describe-configs.js';

let emulator: Emulator | undefined;
const closers: (() => unknown)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await emulator?.stop();
  emulator = undefined;
});

function connectTo(address: string): Connection {
  const [host, port] = address.split(':');
  const c = new Connection({ host: host as string, port: Number(port) });
  closers.push(() => c.close());
  return c;
}

describe('a 3-broker emulator', () => {
  it('listens three times and every broker describes all three', async () => {
    emulator = await startEmulator({ brokers: 3, port: 0 });
    expect(emulator.addresses).toHaveLength(3);
    expect(new Set(emulator.addresses).size).toBe(3);
    for (const address of emulator.addresses) {
      const md = await connectTo(address).request(Metadata, { topics: null });
      expect(md.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`)).toEqual(
        emulator.cluster.brokers.map((b) => `${b.nodeId}@${b.address}`),
      );
      expect(md.controllerId).toBe(0);
    }
    const admin = new Admin({ bootstrap: emulator.addresses[2] as string });
    closers.push(() => admin.close());
    expect((await admin.describeCluster()).brokers.map((b) => b.nodeId)).toEqual([0, 1, 2]);
  });

  it('places an RF-3 topic striped over the brokers, leaders round robin, ISR all replicas', async () => {
    emulator = await startEmulator({ brokers: 3, port: 0 });
    const admin = new Admin({ bootstrap: emulator.bootstrap });
    closers.push(() => admin.close());
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 6, replicationFactor: 3 }] });
    const [t] = await admin.describeTopics({ topics: ['orders'] });
    expect(t?.partitions.map((p) => p.leader)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(t?.partitions.map((p) => p.replicas)).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
    ]);
    for (const p of t?.partitions ?? []) expect(p.isr).toEqual(p.replicas);
    // Default replication factor 1: one replica each, still round robin.
    await admin.createTopics({ topics: [{ topic: 'plain', numPartitions: 4 }] });
    const [plain] = await admin.describeTopics({ topics: ['plain'] });
    expect(plain?.partitions.map((p) => p.replicas)).toEqual([[0], [1], [2], [0]]);
  });

  it('refuses RF above the live brokers and checks manual assignments as Kafka', async () => {
    emulator = await startEmulator({ brokers: 3, port: 0 });
    const conn = connectTo(emulator.bootstrap);
    const res = await conn.request(CreateTopics, {
      topics: [
        { name: 'rf4', numPartitions: 1, replicationFactor: 4, assignments: [], configs: [] },
        {
          name: 'manual',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [
            { partitionIndex: 0, brokerIds: [2, 0] },
            { partitionIndex: 1, brokerIds: [1, 2] },
          ],
          configs: [],
        },
        {
          name: 'ghost',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [7] }],
          configs: [],
        },
        {
          name: 'uneven',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [
            { partitionIndex: 0, brokerIds: [0, 1] },
            { partitionIndex: 1, brokerIds: [2] },
          ],
          configs: [],
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    const by = new Map(res.topics.map((t) => [t.name, t]));
    expect(by.get('rf4')?.errorCode).toBe(38);
    expect(by.get('rf4')?.errorMessage).toBe(
      'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    );
    expect(by.get('manual')?.errorCode).toBe(0);
    expect(by.get('manual')?.replicationFactor).toBe(2);
    expect(by.get('ghost')?.errorCode).toBe(39);
    expect(by.get('ghost')?.errorMessage).toBe(
      'The manual partition assignment includes broker 7, but no such broker is registered.',
    );
    expect(by.get('uneven')?.errorCode).toBe(39);
    const md = await conn.request(Metadata, { topics: [{ name: 'manual' }], allowAutoTopicCreation: false });
    expect(md.topics[0]?.partitions.map((p) => [p.leaderId, ...p.replicaNodes])).toEqual([
      [2, 2, 0],
      [1, 1, 2],
    ]);
  });

  it('each broker describes its own BROKER resource and refuses another node id', async () => {
    emulator = await startEmulator({ brokers: 3, port: 0 });
    const b1 = connectTo(emulator.addresses[1] as string);
    const res = await b1.request(DescribeConfigs, {
      resources: [
        { resourceType: 4, resourceName: '1', configurationKeys: ['node.id', 'advertised.listeners'] },
        { resourceType: 4, resourceName: '0', configurationKeys: null },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(res.results[0]?.errorCode).toBe(0);
    expect(Object.fromEntries(res.results[0]?.configs.map((c) => [c.name, c.value]) ?? [])).toEqual({
      'advertised.listeners': `PLAINTEXT://${emulator.addresses[1]}`,
      'node.id': '1',
    });
    expect(res.results[1]?.errorCode).toBe(42);
    expect(res.results[1]?.errorMessage).toBe(
      'Unexpected broker id, expected 1 or empty string, but received 0',
    );
  });
});
