/**
 * Produce and Fetch behaviour against Kafka's rules (notes/broker-behaviour.md §7 rows 10-33, G1-G5),
 * spoken with our own frames so every field is under the test's control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { buildBatch, readBatches, type TestRecord } from './support/batches.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator;
let c: WireClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: 'p', partitions: 2 }] });
  c = await WireClient.connect(emulator.port);
});

afterAll(async () => {
  c.close();
  await emulator.stop();
});

async function produce(topic: string, partition: number, records: Buffer | null, acks = 1, version = 9) {
  const r = await c.request(Produce, version, {
    transactionalId: null,
    acks,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  return r.responses[0].partitionResponses[0];
}

function fetchRequest(
  topic: string,
  partition: number,
  fetchOffset: bigint,
  o: { maxWaitMs?: number; maxBytes?: number; partitionMaxBytes?: number } = {},
) {
  return {
    replicaId: -1,
    maxWaitMs: o.maxWaitMs ?? 0,
    minBytes: 1,
    maxBytes: o.maxBytes ?? 1 << 20,
    isolationLevel: 0,
    topics: [
      { topic, partitions: [{ partition, fetchOffset, partitionMaxBytes: o.partitionMaxBytes ?? 1 << 20 }] },
    ],
  };
}

const recs = (n: number, prefix: string): TestRecord[] =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}-k${i}`, value: `${prefix}-v${i}` }));

describe('Produce', () => {
  it('assigns dense offsets and moves the high watermark before answering', async () => {
    const a = await produce('p', 0, buildBatch(recs(3, 'a')));
    const b = await produce('p', 0, buildBatch(recs(2, 'b')));
    expect([a.errorCode, a.baseOffset, b.errorCode, b.baseOffset]).toEqual([0, 0n, 0, 3n]);
    const f = await c.request(Fetch, 12, fetchRequest('p', 0, 0n));
    const p = f.responses[0].partitions[0];
    expect(p.highWatermark).toBe(5n);
    expect(readBatches(p.records).map((r) => [r.offset, r.key])).toEqual([
      [0n, 'a-k0'],
      [1n, 'a-k1'],
      [2n, 'a-k2'],
      [3n, 'b-k0'],
      [4n, 'b-k1'],
    ]);
  });

  it('refuses a bad CRC with CORRUPT_MESSAGE and base offset -1', async () => {
    const batch = buildBatch(recs(1, 'crc'));
    batch[batch.length - 1] ^= 0xff;
    const r = await produce('p', 1, batch);
    expect([r.errorCode, r.baseOffset]).toEqual([2, -1n]);
  });

  it.each([
    ['baseOffset ≠ 0', buildBatch(recs(1, 'x'), { baseOffset: 5n }), 87],
    ['control bit set by a client', buildBatch(recs(1, 'x'), { attributes: 0x20 }), 87],
    ['lastOffsetDelta inconsistent with the count', buildBatch(recs(2, 'x'), { lastOffsetDelta: 5 }), 87],
    [
      'producer id without a sequence',
      buildBatch(recs(1, 'x'), { producerId: 7n, producerEpoch: 0, baseSequence: -1 }),
      87,
    ],
    ['magic 1', buildBatch(recs(1, 'x'), { magic: 1 }), 87],
    ['magic 3', buildBatch(recs(1, 'x'), { magic: 3 }), 2],
    ['no batch at all', Buffer.alloc(0), 87],
    ['two batches', Buffer.concat([buildBatch(recs(1, 'x')), buildBatch(recs(1, 'y'))]), 87],
    ['zstd below Produce v7', buildBatch(recs(1, 'x'), { attributes: 4 }), 76],
  ])('%s → error %s', async (_name, batch, code) => {
    const r = await produce('p', 1, batch, 1, 6);
    expect(r.errorCode).toBe(code);
    expect(r.baseOffset).toBe(-1n);
  });

  it('unknown topic or partition → UNKNOWN_TOPIC_OR_PARTITION, and Produce never auto-creates', async () => {
    expect((await produce('nope', 0, buildBatch(recs(1, 'x')))).errorCode).toBe(3);
    expect((await produce('p', 9, buildBatch(recs(1, 'x')))).errorCode).toBe(3);
    expect(emulator.cluster.topics.get('nope')).toBeUndefined();
  });

  it('acks outside {-1, 0, 1} → INVALID_REQUIRED_ACKS', async () => {
    expect((await produce('p', 1, buildBatch(recs(1, 'x')), 2)).errorCode).toBe(21);
  });

  it('acks=0: no response on success; the connection closes on an error', async () => {
    const d = await WireClient.connect(emulator.port);
    const before = emulator.cluster.topics.partition('p', 1)?.logEndOffset ?? -1;
    d.send(Produce, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 'p', partitionData: [{ index: 1, records: buildBatch(recs(1, 'zero')) }] }],
    });
    // The next request's answer is the first frame back: nothing was sent for the acks=0 produce.
    const md = await d.request(Metadata, 9, { topics: [] });
    expect(md.brokers).toHaveLength(1);
    expect(emulator.cluster.topics.partition('p', 1)?.logEndOffset).toBe(before + 1);
    d.send(Produce, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 'nope', partitionData: [{ index: 0, records: buildBatch(recs(1, 'zero')) }] }],
    });
    await d.closed;
    expect(d.isClosed).toBe(true);
  });

  it('idempotence: a retried batch gets its original offset; a sequence gap → OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    const pid = { producerId: 4242n, producerEpoch: 0 };
    const first = buildBatch(recs(2, 'i0'), { ...pid, baseSequence: 0 });
    const second = buildBatch(recs(2, 'i1'), { ...pid, baseSequence: 2 });
    const r1 = await produce('p', 1, first);
    const r2 = await produce('p', 1, second);
    expect([r1.errorCode, r2.errorCode]).toEqual([0, 0]);
    const leo = emulator.cluster.topics.partition('p', 1)?.logEndOffset;
    const retry = await produce('p', 1, buildBatch(recs(2, 'i0'), { ...pid, baseSequence: 0 }));
    expect([retry.errorCode, retry.baseOffset]).toEqual([0, r1.baseOffset]);
    expect(emulator.cluster.topics.partition('p', 1)?.logEndOffset).toBe(leo);
    const gap = await produce('p', 1, buildBatch(recs(1, 'i9'), { ...pid, baseSequence: 9 }));
    expect(gap.errorCode).toBe(45);
    const next = await produce('p', 1, buildBatch(recs(1, 'i2'), { ...pid, baseSequence: 4 }));
    expect(next.errorCode).toBe(0);
    const bumped = await produce(
      'p',
      1,
      buildBatch(recs(1, 'e1'), { producerId: 4242n, producerEpoch: 1, baseSequence: 3 }),
    );
    expect(bumped.errorCode).toBe(45); // a new epoch must start at sequence 0
    const restart = await produce(
      'p',
      1,
      buildBatch(recs(1, 'e1'), { producerId: 4242n, producerEpoch: 1, baseSequence: 0 }),
    );
    expect(restart.errorCode).toBe(0);
    const fenced = await produce(
      'p',
      1,
      buildBatch(recs(1, 'e0'), { producerId: 4242n, producerEpoch: 0, baseSequence: 5 }),
    );
    expect(fenced.errorCode).toBe(47);
  });
});

describe('Fetch', () => {
  it('OFFSET_OUT_OF_RANGE beyond the log end; empty with no error at the high watermark', async () => {
    const hw = BigInt(emulator.cluster.topics.partition('p', 0)?.highWatermark ?? 0);
    const beyond = await c.request(Fetch, 12, fetchRequest('p', 0, hw + 1n));
    expect(beyond.responses[0].partitions[0].errorCode).toBe(1);
    const at = await c.request(Fetch, 12, fetchRequest('p', 0, hw));
    expect(at.responses[0].partitions[0].errorCode).toBe(0);
    expect(readBatches(at.responses[0].partitions[0].records)).toEqual([]);
  });

  it('returns the first batch even when it is larger than maxBytes (KIP-74), and no more', async () => {
    const f = await c.request(Fetch, 12, fetchRequest('p', 0, 0n, { maxBytes: 1, partitionMaxBytes: 1 }));
    const records = readBatches(f.responses[0].partitions[0].records);
    expect(records.map((r) => r.key)).toEqual(['a-k0', 'a-k1', 'a-k2']);
  });

  it('by topic id from v13; an unknown id → UNKNOWN_TOPIC_ID', async () => {
    const id = emulator.cluster.topics.get('p')?.id as string;
    const req = (topicId: string) => ({
      ...fetchRequest('', 0, 0n),
      topics: [{ topicId, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
    });
    const known = await c.request(Fetch, 13, req(id));
    expect(known.responses[0].partitions[0].errorCode).toBe(0);
    expect(readBatches(known.responses[0].partitions[0].records).length).toBeGreaterThan(0);
    const unknown = await c.request(Fetch, 13, req('AAAAAAAAAAAAAAAAAAAAEg'));
    expect(unknown.responses[0].partitions[0].errorCode).toBe(100);
  });

  it("answers a read that spans the log's storage segments with every batch, in order", async () => {
    // The log copies batches into 64 KiB+ segments; 40 batches of ~4 KiB fill more than two, so this
    // read takes batches side by side in one segment (served as one view) and across a boundary.
    const startOffset = BigInt(emulator.cluster.topics.partition('p', 1)?.highWatermark ?? 0);
    const value = 'x'.repeat(1000);
    const expected: string[] = [];
    for (let b = 0; b < 40; b++) {
      const batch = Array.from({ length: 4 }, (_, i) => ({ key: `seg-${b}-${i}`, value }));
      expected.push(...batch.map((r) => r.key));
      expect((await produce('p', 1, buildBatch(batch))).errorCode).toBe(0);
    }
    for (const from of [startOffset, startOffset + 42n]) {
      const f = await c.request(Fetch, 12, fetchRequest('p', 1, from, { maxBytes: 1 << 20 }));
      const keys = readBatches(f.responses[0].partitions[0].records)
        .filter((r) => BigInt(r.offset) >= from)
        .map((r) => r.key);
      expect(keys).toEqual(expected.slice(Number(from - startOffset)));
    }
  });

  it('long-polls until data arrives, then answers with it', async () => {
    const waiter = await WireClient.connect(emulator.port);
    const hw = BigInt(emulator.cluster.topics.partition('p', 0)?.highWatermark ?? 0);
    let parked!: () => void;
    const fetchReached = new Promise<void>((resolve) => (parked = resolve));
    const hook = emulator.hooks.intercept(
      1,
      () => {
        parked();
        return undefined;
      },
      { times: 1 },
    );
    const started = performance.now();
    const pending = waiter.request(Fetch, 12, fetchRequest('p', 0, hw, { maxWaitMs: 20_000 }));
    await fetchReached;
    await produce('p', 0, buildBatch(recs(1, 'late')));
    const f = await pending;
    const elapsed = performance.now() - started;
    hook.remove();
    waiter.close();
    expect(readBatches(f.responses[0].partitions[0].records).map((r) => r.key)).toEqual(['late-k0']);
    expect(elapsed).toBeLessThan(20_000);
  });
});

describe('ListOffsets', () => {
  it('earliest, latest, by timestamp and max timestamp', async () => {
    await emulator.cluster.topics.create('ts', 1);
    const t0 = 1_700_000_000_000;
    await produce(
      'ts',
      0,
      buildBatch([
        { key: 'a', value: '1', timestamp: t0 },
        { key: 'b', value: '2', timestamp: t0 + 50 },
      ]),
    );
    await produce('ts', 0, buildBatch([{ key: 'c', value: '3', timestamp: t0 + 20 }]));
    const ask = async (timestamp: bigint) => {
      const r = await c.request(ListOffsets, 7, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'ts', partitions: [{ partitionIndex: 0, timestamp }] }],
      });
      const p = r.topics[0].partitions[0];
      return [p.errorCode, p.offset, p.timestamp];
    };
    expect(await ask(-2n)).toEqual([0, 0n, -1n]);
    expect(await ask(-1n)).toEqual([0, 3n, -1n]);
    expect(await ask(BigInt(t0 + 10))).toEqual([0, 1n, BigInt(t0 + 50)]);
    expect(await ask(BigInt(t0 + 60))).toEqual([0, -1n, -1n]);
    expect(await ask(-3n)).toEqual([0, 1n, BigInt(t0 + 50)]);
  });
});

describe('hooks', () => {
  it('injects an error code once, then behaves normally', async () => {
    emulator.hooks.injectError(0, 6); // NOT_LEADER_OR_FOLLOWER
    const leo = emulator.cluster.topics.partition('p', 1)?.logEndOffset;
    expect((await produce('p', 1, buildBatch(recs(1, 'inj')))).errorCode).toBe(6);
    expect(emulator.cluster.topics.partition('p', 1)?.logEndOffset).toBe(leo);
    expect((await produce('p', 1, buildBatch(recs(1, 'inj')))).errorCode).toBe(0);
  });
});
