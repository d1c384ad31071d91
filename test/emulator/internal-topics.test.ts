/**
 * __consumer_offsets as Kafka 4.1.1 shows it (conformance/scenarios/internal-topics.ts has the real
 * broker's answers): absent at start, created by the first FindCoordinator for a group with
 * offsets.topic.num.partitions partitions, listed isInternal by Metadata and DescribeTopicPartitions,
 * Produce refused with INVALID_TOPIC_EXCEPTION before the batch is looked at, Fetch served (empty
 * here: the emulator keeps group state in state/groups), `kafkalab topics --list` showing it as
 * kafka-topics does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerOverrides } from '../../src/emulator/broker-properties.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { DescribeTopicPartitions } from '../../src/protocol/messages/75-describe-topic-partitions.js';
import { runCli } from '../support/cli.js';
import { buildBatch } from './support/batches.js';
import { WireClient } from './support/wire-client.js';

const OFFSETS = '__consumer_offsets';
const INVALID_TOPIC_EXCEPTION = 17;
const UNKNOWN_TOPIC_OR_PARTITION = 3;

async function allTopics(c: WireClient) {
  const r = await c.request(Metadata, 12, {
    topics: null,
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  });
  return r.topics;
}

async function findGroupCoordinator(c: WireClient, group: string) {
  return c.request(FindCoordinator, 6, { keyType: 0, coordinatorKeys: [group] });
}

describe('__consumer_offsets, default settings', () => {
  let emulator: Emulator;
  let c: WireClient;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, topics: [{ name: 'plain' }] });
    c = await WireClient.connect(emulator.port);
  });
  afterAll(async () => {
    c.close();
    await emulator.stop();
  });

  it('is not there before the group coordinator starts; asked by name it is unknown but internal', async () => {
    expect((await allTopics(c)).map((t) => t.name)).toEqual(['plain']);
    const named = await c.request(Metadata, 12, {
      topics: [{ name: OFFSETS, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(named.topics.map((t) => [t.name, t.errorCode, t.isInternal])).toEqual([
      [OFFSETS, UNKNOWN_TOPIC_OR_PARTITION, true],
    ]);
  });

  it('appears after FindCoordinator for a group, internal, with 50 partitions; FindCoordinator answers this node', async () => {
    const f = await findGroupCoordinator(c, 'g1');
    expect(f.coordinators.map((k) => [k.key, k.errorCode, k.nodeId, k.port])).toEqual([
      ['g1', 0, emulator.nodeId, emulator.port],
    ]);
    const topics = await allTopics(c);
    expect(topics.map((t) => [t.name, t.isInternal])).toEqual([
      [OFFSETS, true],
      ['plain', false],
    ]);
    const offsets = topics[0];
    expect(offsets.partitions).toHaveLength(50);
    expect(offsets.partitions.every((p) => p.leaderId === emulator.nodeId)).toBe(true);
    // A second FindCoordinator leaves it as it is.
    await findGroupCoordinator(c, 'g2');
    expect((await allTopics(c))[0].topicId).toBe(offsets.topicId);
  });

  it('is listed as internal by DescribeTopicPartitions', async () => {
    const r = await c.request(DescribeTopicPartitions, 0, {
      topics: [],
      responsePartitionLimit: 2000,
      cursor: null,
    });
    expect(r.topics.map((t) => [t.name, t.isInternal, t.partitions.length])).toEqual([
      [OFFSETS, true, 50],
      ['plain', false, 1],
    ]);
  });

  it('refuses Produce with INVALID_TOPIC_EXCEPTION and no message, before looking at the batch', async () => {
    const good = buildBatch([{ key: null, value: 'x' }]);
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 1] ^= 0xff; // CRC mismatch: a normal topic would say CORRUPT_MESSAGE
    for (const version of [3, 11]) {
      const r = await c.request(Produce, version, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 1000,
        topicData: [
          {
            name: OFFSETS,
            partitionData: [
              { index: 0, records: good },
              { index: 1, records: corrupt },
            ],
          },
        ],
      });
      expect(
        r.responses[0].partitionResponses.map((p) => [p.index, p.errorCode, p.errorMessage ?? null]),
        `Produce v${version}`,
      ).toEqual([
        [0, INVALID_TOPIC_EXCEPTION, null],
        [1, INVALID_TOPIC_EXCEPTION, null],
      ]);
    }
  });

  it('serves Fetch (an empty log here)', async () => {
    const r = await c.request(Fetch, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: OFFSETS,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 0n,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const p = r.responses[0].partitions[0];
    expect([p.errorCode, p.highWatermark]).toEqual([0, 0n]);
  });

  it('kafkalab topics --list shows it as kafka-topics does, --exclude-internal leaves it out', async () => {
    const all = await runCli(['topics', '--bootstrap-server', emulator.bootstrap, '--list']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe(`${OFFSETS}\nplain\n`);
    const external = await runCli([
      'topics',
      '--bootstrap-server',
      emulator.bootstrap,
      '--list',
      '--exclude-internal',
    ]);
    expect(external.stdout).toBe('plain\n');
    const described = await runCli([
      'topics',
      '--bootstrap-server',
      emulator.bootstrap,
      '--describe',
      '--exclude-internal',
    ]);
    expect(described.stdout).not.toContain(OFFSETS);
    expect(described.stdout).toContain('Topic: plain');
  });
});

describe('offsets.topic.num.partitions', () => {
  it('sets the partition count, from startEmulator and from --override', async () => {
    expect(brokerOverrides(['offsets.topic.num.partitions=3'])).toEqual({ offsetsTopicNumPartitions: 3 });
    expect(() => brokerOverrides(['offsets.topic.num.partitions=0'])).toThrow(/at least 1/);
    const emulator = await startEmulator({ port: 0, ...brokerOverrides(['offsets.topic.num.partitions=3']) });
    const c = await WireClient.connect(emulator.port);
    try {
      await findGroupCoordinator(c, 'g');
      const [offsets] = await allTopics(c);
      expect([offsets.name, offsets.partitions.length]).toEqual([OFFSETS, 3]);
    } finally {
      c.close();
      await emulator.stop();
    }
  });
});
