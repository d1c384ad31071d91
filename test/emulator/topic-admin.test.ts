/**
 * CreateTopics error codes and Metadata auto-creation, against Kafka's rules
 * (notes/broker-behaviour.md §1.8 and §7 rows 35-42), spoken with our own frames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { WireClient } from './support/wire-client.js';

let on: Emulator;
let off: Emulator;
let a: WireClient;
let b: WireClient;

beforeAll(async () => {
  on = await startEmulator({ port: 0, numPartitions: 3, topics: [{ name: 'exists' }, { name: 'dot.name' }] });
  off = await startEmulator({ port: 0, autoCreateTopics: false });
  a = await WireClient.connect(on.port);
  b = await WireClient.connect(off.port);
});

afterAll(async () => {
  a.close();
  b.close();
  await on.stop();
  await off.stop();
});

const topic = (name: string, numPartitions = 1, replicationFactor = 1) => ({
  name,
  numPartitions,
  replicationFactor,
  assignments: [],
  configs: [],
});

async function create(topics: ReturnType<typeof topic>[], validateOnly = false) {
  const r = await a.request(CreateTopics, 7, { topics, timeoutMs: 1000, validateOnly });
  return Object.fromEntries(r.topics.map((t) => [t.name, t.errorCode]));
}

describe('CreateTopics error codes', () => {
  it('answers each topic with its own code', async () => {
    expect(
      await create([
        topic('', 1),
        topic('.', 1),
        topic('..', 1),
        topic('x'.repeat(250), 1),
        topic('bad/name', 1),
        topic('exists', 1),
        topic('dot_name', 1), // collides with dot.name ('.' and '_' are the same in metric names)
        topic('zero-partitions', 0),
        topic('minus-two-partitions', -2),
        topic('rf-zero', 1, 0),
        topic('rf-two', 1, 2),
        topic('twice', 1),
        topic('twice', 1),
        topic('fine', -1, -1),
      ]),
    ).toEqual({
      '': 17,
      '.': 17,
      '..': 17,
      ['x'.repeat(250)]: 17,
      'bad/name': 17,
      exists: 36,
      dot_name: 17,
      'zero-partitions': 37,
      'minus-two-partitions': 37,
      'rf-zero': 38,
      'rf-two': 38,
      twice: 42,
      fine: 0,
    });
    // -1 partitions means num.partitions (3 here).
    expect(on.cluster.topics.get('fine')?.partitions).toHaveLength(3);
    expect(on.cluster.topics.get('twice')).toBeUndefined();
  });

  it('creates nothing with validateOnly, and refuses more than 10,000 partitions in one request', async () => {
    expect(await create([topic('dry-run', 2)], true)).toEqual({ 'dry-run': 0 });
    expect(on.cluster.topics.get('dry-run')).toBeUndefined();
    expect(await create([topic('big-a', 6000), topic('big-b', 5000)])).toEqual({ 'big-a': 44, 'big-b': 44 });
    expect(on.cluster.topics.get('big-a')).toBeUndefined();
  });
});

describe('Metadata auto-creation', () => {
  const ask = (c: WireClient, name: string, allowAutoTopicCreation = true) =>
    c.request(Metadata, 12, {
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name }],
      allowAutoTopicCreation,
      includeTopicAuthorizedOperations: false,
    });

  it('creates a missing topic with num.partitions and answers UNKNOWN_TOPIC_OR_PARTITION first, like a KRaft Kafka', async () => {
    const first = await ask(a, 'made-by-metadata');
    expect(first.topics[0].errorCode).toBe(3);
    expect(on.cluster.topics.get('made-by-metadata')?.partitions).toHaveLength(3);
    const second = await ask(a, 'made-by-metadata');
    expect(second.topics[0].errorCode).toBe(0);
    expect(second.topics[0].partitions.map((p) => [p.partitionIndex, p.leaderId])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
  });

  it('does not create when the client says no, or an invalid name (INVALID_TOPIC_EXCEPTION)', async () => {
    expect((await ask(a, 'not-wanted', false)).topics[0].errorCode).toBe(3);
    expect(on.cluster.topics.get('not-wanted')).toBeUndefined();
    expect((await ask(a, 'bad name!')).topics[0].errorCode).toBe(17);
  });

  it('with auto-creation off answers UNKNOWN_TOPIC_OR_PARTITION, or 17 for an invalid name', async () => {
    expect((await ask(b, 'missing')).topics[0].errorCode).toBe(3);
    expect(off.cluster.topics.get('missing')).toBeUndefined();
    expect((await ask(b, 'bad name!')).topics[0].errorCode).toBe(17);
  });
});
