/**
 * The producer against the in-process emulator. Keyed partitioning is checked against vectors
 * printed by Kafka's own Java code (fixtures/murmur2-vectors.json); everything else by reading the
 * partitions back with Fetch.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaProtocolError } from '../../src/client/errors.js';
import { murmur2, partitionForKey } from '../../src/client/producer/murmur2.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { FrameSplitter } from '../../src/protocol/frame.js';
import { TestProducers } from './support/producers.js';
import { readPartition } from './support/read-back.js';

interface Vectors {
  partitionCounts: number[];
  vectors: { keyHex: string; murmur2: number; partitions: number[] }[];
}
// Printed by test/client/fixtures/Murmur2Vectors.java with kafka-clients 4.1.1 (see its header).
const fixture: Vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'murmur2-vectors.json'), 'utf8'),
);

let emulator: Emulator;
const producers = new TestProducers(() => emulator.bootstrap);
const producer = producers.make;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: 'keyed', partitions: 7 },
      { name: 'sticky', partitions: 4 },
      { name: 'batching', partitions: 1 },
      { name: 'acks', partitions: 1 },
      { name: 'codecs', partitions: 5 },
      { name: 'idem', partitions: 1 },
      { name: 'retry', partitions: 1 },
    ],
  });
});

afterAll(async () => {
  await producers.closeAll();
  await emulator.stop();
});

describe('murmur2 and the keyed partition, against Kafka’s Java code', () => {
  it(`matches Utils.murmur2 and BuiltInPartitioner.partitionForKey on ${fixture.vectors.length} keys`, () => {
    expect(fixture.vectors.length).toBeGreaterThan(70);
    for (const v of fixture.vectors) {
      const key = Buffer.from(v.keyHex, 'hex');
      expect(murmur2(key), v.keyHex).toBe(v.murmur2);
      fixture.partitionCounts.forEach((n, i) => {
        expect(partitionForKey(key, n), `${v.keyHex} % ${n}`).toBe(v.partitions[i]);
      });
    }
  });
});

describe('Producer', () => {
  it('sends keyed records to the partition Java would pick and returns their offsets', async () => {
    const p = producer();
    const messages = Array.from({ length: 40 }, (_, i) => ({ key: `key-${i}`, value: `v${i}` }));
    const meta = await p.send({ topic: 'keyed', messages });
    const sevenAt = fixture.partitionCounts.indexOf(7);
    for (let i = 0; i < 40; i++) {
      const v = fixture.vectors.find((x) => x.keyHex === Buffer.from(`key-${i}`).toString('hex'));
      expect(meta[i].partition).toBe(v!.partitions[sevenAt]);
    }
    for (let part = 0; part < 7; part++) {
      const stored = await readPartition(emulator, 'keyed', part);
      const expected = meta.map((m, i) => ({ m, i })).filter((x) => x.m.partition === part);
      expect(stored.map((r) => [r.offset, r.key, r.value])).toEqual(
        expected.map((x) => [x.m.offset, `key-${x.i}`, `v${x.i}`]),
      );
    }
  });

  it('honours an explicit partition, headers and timestamps', async () => {
    const p = producer();
    const [m] = await p.send({
      topic: 'keyed',
      messages: [
        {
          key: 'k',
          value: 'with-headers',
          partition: 6,
          timestamp: 1_700_000_000_123,
          headers: { trace: 'abc', empty: null },
        },
      ],
    });
    expect(m.partition).toBe(6);
    const stored = await readPartition(emulator, 'keyed', 6);
    const r = stored.find((x) => x.offset === m.offset)!;
    expect(r.value).toBe('with-headers');
    expect(r.timestamp).toBe(1_700_000_000_123n);
    expect(r.headers).toEqual([
      { key: 'trace', value: 'abc' },
      { key: 'empty', value: null },
    ]);
    await expect(p.send({ topic: 'keyed', messages: [{ value: 'x', partition: 7 }] })).rejects.toThrow(
      KafkaProtocolError,
    );
  });

  it('keeps keyless records on one partition until about batch.size bytes went there (sticky)', async () => {
    const p = producer({ batchSize: 1000, lingerMs: 0 });
    const value = 'x'.repeat(84); // ~100 bytes each with overhead: ~10 per sticky stint
    const meta = await p.send({ topic: 'sticky', messages: Array.from({ length: 60 }, () => ({ value })) });
    const runs: number[][] = [];
    for (const m of meta) {
      const last = runs[runs.length - 1];
      if (last && last[0] === m.partition) last.push(m.partition);
      else runs.push([m.partition]);
    }
    // Consecutive records share a partition in stints of 10, and the stints move around.
    for (const run of runs) expect(run.length % 10).toBe(0);
    expect(new Set(meta.map((m) => m.partition)).size).toBeGreaterThan(1);
  });

  it('batches: records sent within linger.ms travel in one Produce request and one batch', async () => {
    const p = producer({ lingerMs: 50 });
    await p.connect();
    let produceRequests = 0;
    const obs = emulator.hooks.observe(0, () => produceRequests++);
    try {
      const sends = Array.from({ length: 25 }, (_, i) =>
        p.send({ topic: 'batching', messages: [{ value: `b${i}` }] }),
      );
      const metas = (await Promise.all(sends)).flat();
      expect(produceRequests).toBe(1);
      const stored = await readPartition(emulator, 'batching', 0);
      const batchStarts = new Set(
        stored.filter((r) => metas.some((m) => m.offset === r.offset)).map((r) => r.batch.baseOffset),
      );
      expect(batchStarts.size).toBe(1);
      expect(metas.map((m) => m.offset)).toEqual(metas.map((_, i) => metas[0].offset + BigInt(i)));
    } finally {
      obs.remove();
    }
  });

  it('cuts batches at batch.size', async () => {
    const p = producer({ lingerMs: 1000, batchSize: 2000 });
    const value = 'y'.repeat(184);
    const metas = await p.send({
      topic: 'batching',
      messages: Array.from({ length: 50 }, () => ({ value })),
    });
    const stored = await readPartition(emulator, 'batching', 0);
    const mine = stored.filter((r) => r.offset >= metas[0].offset);
    const sizes = new Map<bigint, number>();
    for (const r of mine) sizes.set(r.batch.baseOffset, (sizes.get(r.batch.baseOffset) ?? 0) + 1);
    expect(mine).toHaveLength(50);
    expect(sizes.size).toBeGreaterThanOrEqual(5);
    for (const n of sizes.values()) expect(n).toBeLessThanOrEqual(10);
  });

  it.each([
    [0, 0],
    [1, 1],
    [-1, -1],
  ] as const)('acks=%i reaches the broker as acks %i', async (acks, wire) => {
    const p = producer({ acks, lingerMs: 0 });
    const seen: number[] = [];
    const obs = emulator.hooks.observe(0, (e) => seen.push(e.request.acks));
    try {
      const before = (await readPartition(emulator, 'acks', 0)).length;
      const [m] = await p.send({ topic: 'acks', messages: [{ value: `acks ${acks}` }] });
      if (acks === 0) {
        expect(m.offset).toBe(-1n);
        await p.flush();
        // No answer to wait for: poll the log (bounded) until the record shows up.
        let stored = await readPartition(emulator, 'acks', 0);
        for (let i = 0; i < 50 && stored.length === before; i++)
          stored = await readPartition(emulator, 'acks', 0);
        expect(stored.length).toBe(before + 1);
      } else {
        expect(m.offset).toBe(BigInt(before));
      }
      expect(seen).toEqual([wire]);
      expect(p.idempotent).toBe(acks === -1);
    } finally {
      obs.remove();
    }
  });

  it.each([
    'none',
    'gzip',
    'snappy',
    'lz4',
    'zstd',
  ] as const)('compresses with %s and the emulator serves it back', async (compression) => {
    const p = producer({ compression });
    const partition = ['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(compression);
    const messages = Array.from({ length: 30 }, (_, i) => ({
      key: `k${i}`,
      value: `${compression} value ${i} `.repeat(5),
      partition,
    }));
    await p.send({ topic: 'codecs', messages });
    const stored = await readPartition(emulator, 'codecs', partition);
    expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
    expect(stored[0].batch.attributes.compression).toBe(compression);
  });

  it('is idempotent: InitProducerId, sequences per partition, and a retried batch is not written twice', async () => {
    const p = producer({ lingerMs: 0, requestTimeoutMs: 300 });
    await p.connect();
    expect(p.producerIdentity.producerId).toBeGreaterThanOrEqual(0n);
    await p.send({ topic: 'idem', messages: [{ value: 'first' }] });
    // Stage a lost response: the emulator appends the batch (we replay the very frame on a side
    // connection), but the producer's own request is never answered, so it times out and retries.
    // The replayed frame passes this hook too (the count drops only after it returns): let it through.
    let staged = false;
    const hook = emulator.hooks.intercept(0, async (e) => {
      if (staged) return undefined;
      staged = true;
      await replay(emulator, e.raw);
      return 'drop';
    });
    const outcomes: string[] = [];
    const obs = emulator.hooks.observe(0, (e) => outcomes.push(e.outcome));
    try {
      const metas = await p.send({ topic: 'idem', messages: [{ value: 'second' }, { value: 'third' }] });
      const stored = await readPartition(emulator, 'idem', 0);
      expect(stored.map((r) => r.value)).toEqual(['first', 'second', 'third']);
      expect(metas.map((m) => m.offset)).toEqual([1n, 2n]);
      expect(stored[1].batch.baseSequence).toBe(1);
      expect(stored[1].batch.producerId).toBe(p.producerIdentity.producerId);
      // The replay (appended), the producer's own request (dropped), then its retry (a duplicate).
      expect(outcomes.sort()).toEqual(['no-response', 'response', 'response']);
    } finally {
      hook.remove();
      obs.remove();
    }
  });

  it('retries a retriable error with backoff and fails at once on a fatal one', async () => {
    const p = producer({ lingerMs: 0 });
    emulator.hooks.injectError(0, 6, { times: 2 }); // NOT_LEADER_OR_FOLLOWER twice
    const [m] = await p.send({ topic: 'retry', messages: [{ value: 'eventually' }] });
    expect(m.offset).toBe(0n);
    emulator.hooks.injectError(0, 10, { times: 1 }); // MESSAGE_TOO_LARGE: not retriable
    const err = await p.send({ topic: 'retry', messages: [{ value: 'never' }] }).catch((x) => x);
    expect(err).toBeInstanceOf(KafkaProtocolError);
    expect(err.type).toBe('MESSAGE_TOO_LARGE');
    expect(err.location).toMatchObject({ api: 'Produce', topic: 'retry', partition: 0 });
    expect((await readPartition(emulator, 'retry', 0)).map((r) => r.value)).toEqual(['eventually']);
  });

  it('flush() sends what lingers and close() refuses new sends', async () => {
    const p = producer({ lingerMs: 60_000 });
    const sending = p.send({ topic: 'batching', messages: [{ value: 'flushed' }] });
    await p.connect();
    const started = performance.now();
    await p.flush();
    expect(performance.now() - started).toBeLessThan(5000);
    const [m] = await sending;
    expect(m.offset).toBeGreaterThanOrEqual(0n);
    await p.close();
    await expect(p.send({ topic: 'batching', messages: [{ value: 'late' }] })).rejects.toThrow(/closed/);
  });
});

/** Sends a raw request frame on its own connection and waits for the answer (bounded). */
async function replay(e: Emulator, frame: Buffer): Promise<void> {
  const socket = net.connect({ host: e.host, port: e.port });
  const splitter = new FrameSplitter();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('replay: no answer within 5 s')), 5000);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        if (splitter.push(chunk).length > 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.write(frame);
    });
  } finally {
    socket.destroy();
  }
}
