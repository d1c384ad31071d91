// message.timestamp.after.max.ms / message.timestamp.before.max.ms (KIP-937; after = 1 hour by default
// since Kafka 4.0, KIP-1030; before = Long.MAX_VALUE): a CreateTime record outside the window around
// the broker's clock → INVALID_TIMESTAMP (32) with one record error per bad record, worded as Kafka's
// LogValidator words it. The broker clock is a ManualClock, so every bound below is exact.
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { WireClient } from './support/wire-client.js';

const NOW = 1_750_000_000_000;
const HOUR = 3_600_000;
const LONG_MAX = 9_223_372_036_854_775_807n;

let emulator: Emulator | undefined;
let client: WireClient | undefined;
let clock: ManualClock;

afterEach(async () => {
  client?.close();
  await emulator?.stop();
  emulator = client = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<WireClient> {
  clock = new ManualClock(NOW);
  emulator = await startEmulator({ port: 0, clock, ...options });
  client = await WireClient.connect(emulator.port);
  return client;
}

async function createTopic(name: string, configs: Record<string, string> = {}): Promise<number> {
  const r = await client!.request(CreateTopics, 7, {
    topics: [
      {
        name,
        numPartitions: 1,
        replicationFactor: 1,
        assignments: [],
        configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })),
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  return r.topics[0].errorCode;
}

async function produce(topic: string, timestamps: number[], keys?: (string | null)[]) {
  const records = encodeRecordBatch({
    records: timestamps.map((timestamp, i) => ({ key: keys ? keys[i] : `k${i}`, value: `v${i}`, timestamp })),
  });
  const r = await client!.request(Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  });
  return r.responses[0].partitionResponses[0];
}

function outOfRange(ts: number, offset: number, lower: bigint, upper: bigint): string {
  return `Timestamp ${ts} of message with offset ${offset} is out of range. The timestamp should be within [${lower}, ${upper}]`;
}

describe('message.timestamp.after.max.ms (default 1 hour)', () => {
  it('accepts a record exactly 1 hour ahead and refuses one 1 ms further, with Kafka’s record error', async () => {
    await start();
    expect(await createTopic('t')).toBe(0);
    expect((await produce('t', [NOW + HOUR])).errorCode).toBe(0);
    const r = await produce('t', [NOW + HOUR + 1]);
    expect(r.errorCode).toBe(32);
    expect(r.baseOffset).toBe(-1n);
    // Refused inside the log: the answer carries its start offset, as Kafka 4.1.1's does.
    expect(r.logStartOffset).toBe(0n);
    expect(r.errorMessage).toBe('One or more records have been rejected due to invalid timestamp');
    // Lower bound now - Long.MAX_VALUE: the before-window is off by default.
    expect(r.recordErrors).toEqual([
      {
        batchIndex: 0,
        batchIndexErrorMessage: outOfRange(NOW + HOUR + 1, 0, BigInt(NOW) - LONG_MAX, BigInt(NOW + HOUR)),
      },
    ]);
  });

  it('lists every bad record of a batch and appends none of it', async () => {
    await start();
    await createTopic('t');
    const r = await produce('t', [NOW, NOW + 2 * HOUR, NOW - 10 * 365 * 24 * HOUR, NOW + 3 * HOUR]);
    expect(r.errorCode).toBe(32);
    expect(r.recordErrors.map((e) => e.batchIndex)).toEqual([1, 3]);
    expect(r.recordErrors[1].batchIndexErrorMessage).toContain(
      `Timestamp ${NOW + 3 * HOUR} of message with offset 3`,
    );
    expect(emulator!.cluster.topics.get('t')!.partitions[0].highWatermark).toBe(0);
  });

  it('follows the broker clock: the same record is accepted once the clock has moved on', async () => {
    await start();
    await createTopic('t');
    expect((await produce('t', [NOW + 2 * HOUR])).errorCode).toBe(32);
    clock.advance(HOUR);
    expect((await produce('t', [NOW + 2 * HOUR])).errorCode).toBe(0);
  });

  it('a record without a timestamp (-1) is never out of range', async () => {
    await start({ messageTimestampBeforeMaxMs: 0n });
    await createTopic('t');
    expect((await produce('t', [-1])).errorCode).toBe(0);
  });

  it('a topic override wins over the broker default, and the broker default is settable', async () => {
    await start({ messageTimestampAfterMaxMs: 1000n });
    await createTopic('short');
    await createTopic('long', { 'message.timestamp.after.max.ms': String(3 * HOUR) });
    expect((await produce('short', [NOW + 1000])).errorCode).toBe(0);
    expect((await produce('short', [NOW + 1001])).errorCode).toBe(32);
    expect((await produce('long', [NOW + 2 * HOUR])).errorCode).toBe(0);
    expect((await produce('long', [NOW + 3 * HOUR + 1])).errorCode).toBe(32);
  });

  it('Long.MAX_VALUE switches the check off; Kafka’s upper bound then wraps negative', async () => {
    await start();
    await createTopic('t', {
      'message.timestamp.after.max.ms': String(LONG_MAX),
      'message.timestamp.before.max.ms': '1000',
    });
    expect((await produce('t', [NOW + 1000 * HOUR])).errorCode).toBe(0);
    const r = await produce('t', [NOW - 1001]);
    expect(r.errorCode).toBe(32);
    // Java's now + Long.MAX_VALUE overflows; the message shows what Kafka's shows.
    expect(r.recordErrors[0].batchIndexErrorMessage).toBe(
      outOfRange(NOW - 1001, 0, BigInt(NOW - 1000), BigInt.asIntN(64, BigInt(NOW) + LONG_MAX)),
    );
  });
});

describe('message.timestamp.before.max.ms', () => {
  it('refuses a record further behind the clock than a topic’s window', async () => {
    await start();
    await createTopic('t', { 'message.timestamp.before.max.ms': '60000' });
    expect((await produce('t', [NOW - 60_000])).errorCode).toBe(0);
    const r = await produce('t', [NOW - 60_001]);
    expect(r.errorCode).toBe(32);
    expect(r.recordErrors[0].batchIndexErrorMessage).toBe(
      outOfRange(NOW - 60_001, 0, BigInt(NOW - 60_000), BigInt(NOW + HOUR)),
    );
  });
});

describe('what the windows do not cover', () => {
  it('LogAppendTime topics are not checked; the broker stamps its own (manual) clock', async () => {
    await start();
    await createTopic('t', { 'message.timestamp.type': 'LogAppendTime' });
    const r = await produce('t', [NOW + 5 * HOUR]);
    expect(r.errorCode).toBe(0);
    expect(r.logAppendTimeMs).toBe(BigInt(NOW));
  });

  it('compacted topic: a missing key and a bad timestamp in one batch → INVALID_TIMESTAMP, both listed', async () => {
    await start();
    await createTopic('t', { 'cleanup.policy': 'compact' });
    const r = await produce('t', [NOW, NOW + 2 * HOUR], [null, 'k']);
    expect(r.errorCode).toBe(32);
    expect(r.recordErrors.map((e) => e.batchIndex)).toEqual([0, 1]);
    expect(r.recordErrors[0].batchIndexErrorMessage).toContain('without key');
  });

  it('refuses a negative window at CreateTopics (INVALID_CONFIG, 40)', async () => {
    await start();
    expect(await createTopic('t', { 'message.timestamp.after.max.ms': '-1' })).toBe(40);
    expect(await createTopic('t', { 'message.timestamp.before.max.ms': '9223372036854775808' })).toBe(40);
  });
});

describe('DescribeConfigs reports the windows in effect', () => {
  it('topic (default from the broker, override marked dynamic) and broker (log.* names)', async () => {
    await start({ messageTimestampBeforeMaxMs: 86_400_000n });
    await createTopic('t', { 'message.timestamp.after.max.ms': '5000' });
    const r = await client!.request(DescribeConfigs, 4, {
      resources: [
        {
          resourceType: 2,
          resourceName: 't',
          configurationKeys: ['message.timestamp.after.max.ms', 'message.timestamp.before.max.ms'],
        },
        {
          resourceType: 4,
          resourceName: '0',
          configurationKeys: ['log.message.timestamp.after.max.ms', 'log.message.timestamp.before.max.ms'],
        },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    const view = (i: number) =>
      Object.fromEntries(r.results[i].configs.map((e) => [e.name, [e.value, e.configSource]]));
    // Sources as Kafka's ConfigHelper gives them: an inherited value names where it comes from (4, a
    // static broker setting), a setting left at Kafka's default is DEFAULT_CONFIG (5).
    expect(view(0)).toEqual({
      'message.timestamp.after.max.ms': ['5000', 1],
      'message.timestamp.before.max.ms': ['86400000', 4],
    });
    expect(view(1)).toEqual({
      'log.message.timestamp.after.max.ms': ['3600000', 5],
      'log.message.timestamp.before.max.ms': ['86400000', 4],
    });
  });
});
