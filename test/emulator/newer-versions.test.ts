/**
 * The versions declared from kafka-clients 4.1.1 beyond the late-2024 spec snapshot: the emulator
 * serves those that only add a field it can fill (Metadata v13, Fetch v18, DescribeCluster v2) and
 * serves Produce v12 (transactions V2, test/emulator/transactions-v2.test.ts) and does not advertise
 * those that change behaviour it does not implement (Produce v13: topic ids; DescribeGroups v6: GROUP_ID_NOT_FOUND for an unknown group).
 * A client at each served version gets the same answer as at the version before, plus the new field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Producer } from '../../src/client/producer/producer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  ApiVersions,
  DescribeCluster,
  DescribeGroups,
  Fetch,
  Metadata,
  Produce,
} from '../../src/protocol/messages/index.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import { buildBatch, readBatches } from './support/batches.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator;
let c: WireClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: 'nv', partitions: 2 }] });
  c = await WireClient.connect(emulator.port);
  const produced = await c.request(Produce, 11, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name: 'nv',
        partitionData: [
          {
            index: 0,
            records: buildBatch([
              { key: 'k0', value: 'v0' },
              { key: 'k1', value: 'v1' },
            ]),
          },
        ],
      },
    ],
  });
  expect(produced.responses[0].partitionResponses[0].errorCode).toBe(0);
});

afterAll(async () => {
  c.close();
  await emulator.stop();
});

describe('ApiVersions', () => {
  it('advertises the newer versions it serves and caps the others at their old maximum', async () => {
    const res = await c.request(ApiVersions, 3, {
      clientSoftwareName: 'kafkalab-test',
      clientSoftwareVersion: '0',
    });
    const max = (key: number) => res.apiKeys.find((k) => k.apiKey === key)?.maxVersion;
    expect(max(Metadata.apiKey)).toBe(13);
    expect(max(Fetch.apiKey)).toBe(18);
    expect(max(DescribeCluster.apiKey)).toBe(2);
    expect(max(Produce.apiKey)).toBe(12);
    expect(max(DescribeGroups.apiKey)).toBe(5);
    // …although the protocol layer declares more: the caps are the handlers', not the declarations'.
    expect(parseVersions(Produce.request.validVersions).high).toBe(13);
    expect(parseVersions(DescribeGroups.request.validVersions).high).toBe(6);
  });

  it.each([
    ['Produce v13', Produce, 13],
    ['DescribeGroups v6', DescribeGroups, 6],
  ] as const)('refuses %s like any version it does not serve: the connection closes', async (_, api, v) => {
    const w = await WireClient.connect(emulator.port);
    const body =
      api === Produce
        ? { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [] }
        : { groups: ['g'], includeAuthorizedOperations: false };
    w.send(api as never, v, body as never);
    await w.closed;
    expect(w.isClosed).toBe(true);
  });
});

describe('Metadata v13 (KIP-1102 top-level errorCode)', () => {
  it('answers as v12 does, with errorCode 0', async () => {
    const body = { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };
    const v12 = await c.request(Metadata, 12, body);
    const v13 = await c.request(Metadata, 13, body);
    expect(v13.errorCode).toBe(0);
    // v12 decodes the field it lacks to its default, 0: the two answers are equal field by field.
    expect(v13).toEqual(v12);
    expect(v13.topics.find((t) => t.name === 'nv')?.partitions.length).toBe(2);
  });

  it('keeps per-topic errors per topic', async () => {
    const v13 = await c.request(Metadata, 13, {
      topics: [{ name: 'no-such-topic' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(v13.errorCode).toBe(0);
    expect(v13.topics.map((t) => [t.name, t.errorCode])).toEqual([['no-such-topic', 3]]);
  });
});

describe('Fetch v18 (KIP-1166 follower high watermark)', () => {
  it('reads the same records as v17, the tagged highWatermark ignored', async () => {
    const topicId = emulator.cluster.topics.get('nv')?.id as string;
    const request = (highWatermark?: bigint) => ({
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topicId,
          partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20, highWatermark }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const v17 = await c.request(Fetch, 17, request());
    const v18 = await c.request(Fetch, 18, request(1n));
    const records = (r: typeof v17) => readBatches(r.responses[0].partitions[0].records);
    expect(records(v18).map((r) => [r.offset, r.key, r.value])).toEqual([
      [0n, 'k0', 'v0'],
      [1n, 'k1', 'v1'],
    ]);
    expect(records(v18)).toEqual(records(v17));
    expect(v18.responses[0].partitions[0].highWatermark).toBe(2n);
  });
});

describe('DescribeCluster v2 (KIP-1073 fenced brokers)', () => {
  it.each([false, true])('with includeFencedBrokers %s: the one broker, not fenced', async (include) => {
    const v1 = await c.request(DescribeCluster, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    const v2 = await c.request(DescribeCluster, 2, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
      includeFencedBrokers: include,
    });
    expect(v2.errorCode).toBe(0);
    expect(v2.brokers).toEqual(v1.brokers.map((b) => ({ ...b, isFenced: false })));
    expect(v2.brokers.map((b) => b.brokerId)).toEqual([emulator.cluster.broker.nodeId]);
  });
});

describe("kafkalab's own client against these versions", () => {
  it('takes Metadata v13 (it acts on REBOOTSTRAP_REQUIRED), DescribeCluster v2, produces at the served v12', async () => {
    const seen: string[] = [];
    const obs = emulator.hooks.observe('*', (e) => seen.push(`${e.api.name} v${e.version}`));
    const admin = new Admin({ bootstrap: emulator.bootstrap, retry: { retries: 1, initialBackoffMs: 10 } });
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => b.nodeId)).toEqual([emulator.cluster.broker.nodeId]);
      const p = new Producer({ cluster: admin.cluster, lingerMs: 0 });
      await p.send({ topic: 'nv', messages: [{ value: 'from the client', partition: 1 }] });
      await p.close();
    } finally {
      obs.remove();
      await admin.close();
    }
    // The client handles v13's REBOOTSTRAP_REQUIRED (KIP-1102; test/client/cluster.test.ts), so it
    // takes the highest Metadata version both sides know.
    expect(seen.filter((x) => x.startsWith('Metadata '))).toContain('Metadata v13');
    expect(seen.filter((x) => x.startsWith('Metadata ')).every((x) => x === 'Metadata v13')).toBe(true);
    expect(seen).toContain('DescribeCluster v2');
    expect(seen).toContain('Produce v12');
  });
});
