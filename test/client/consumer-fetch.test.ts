// What the consumer does with a Fetch answer, staged byte by byte through the emulator's intercept
// hook: a whole batch starting below the position (records before it dropped), a transaction control
// batch (never delivered, but the position moves past it), and a last batch cut short by the broker's
// byte limit (skipped, then asked for again from its base offset). Broker behaviour from
// /work/shared/notes/broker-behaviour.md §1.9 ("the last batch may be partial and the client must ignore it").
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Consumer, CorruptRecordError } from '../../src/client/consumer/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { encodeControlBatch, encodeRecordBatch } from '../../src/protocol/records/index.js';
import { FAST_GROUP, produce, startTestEmulator, until } from './consumer-support.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator([
    { name: 'staged', partitions: 1 },
    { name: 'corrupt', partitions: 1 },
    { name: 'polled', partitions: 2 },
    { name: 'redeliver-message', partitions: 1 },
    { name: 'redeliver-batch', partitions: 1 },
  ]);
});

afterAll(async () => {
  await emulator?.stop();
});

/** A Fetch v4+ answer for one partition (partition 0) of the topic the request names. */
function fetchAnswer(request: any, records: Buffer, highWatermark: bigint) {
  const t = request.topics[0];
  return {
    respond: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: t.topic,
          topicId: t.topicId,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark,
              lastStableOffset: highWatermark,
              logStartOffset: 0n,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records,
            },
          ],
        },
      ],
    },
  };
}

const batch = (baseOffset: bigint, values: string[]) =>
  encodeRecordBatch({ baseOffset, records: values.map((v) => ({ value: v, timestamp: 1_700_000_000_000 })) });

it('skips records below the position, control batches and a truncated last batch; refetches from the cut', async () => {
  const a = batch(0n, ['r0', 'r1', 'r2']);
  const marker = encodeControlBatch({ type: 'commit', producerId: 7n, producerEpoch: 0, baseOffset: 3n });
  const b = batch(4n, ['r4', 'r5']);
  const c = batch(6n, ['r6', 'r7']);
  const first = Buffer.concat([a, marker, b, c.subarray(0, 30)]);
  const asked: bigint[] = [];
  const hook = emulator.hooks.intercept(1, (e) => {
    const fetchOffset: bigint = e.request.topics[0].partitions[0].fetchOffset;
    asked.push(fetchOffset);
    const records = asked.length === 1 ? first : fetchOffset === 6n ? c : Buffer.alloc(0);
    return fetchAnswer(e.request, records, 8n);
  });
  const consumer = new Consumer({ bootstrap: emulator.bootstrap, ...FAST_GROUP });
  try {
    consumer.assign([{ topic: 'staged', partition: 0, offset: 1n }]);
    const got: string[] = [];
    for await (const r of consumer) {
      got.push(`${r.offset}:${r.value}`);
      if (got.length === 6) break;
    }
    expect(got).toEqual(['1:r1', '2:r2', '4:r4', '5:r5', '6:r6', '7:r7']);
    // The first fetch asked from 1; the second from 6, the truncated batch's base offset.
    expect(asked.slice(0, 2)).toEqual([1n, 6n]);
  } finally {
    hook.remove();
    await consumer.close();
  }
});

it('a batch that fails its CRC: the records before it are delivered, then CorruptRecordError; nothing after it is lost', async () => {
  const a = batch(0n, ['r0', 'r1', 'r2']);
  const b = batch(3n, ['r3', 'r4']);
  const c = batch(5n, ['r5', 'r6']);
  // Flip a bit in r4's value (the batch's last byte before the empty header count): the stored CRC
  // no longer matches, the header (offsets, length) still reads fine.
  const badB = Buffer.from(b);
  badB[badB.length - 2] ^= 0x01;
  let corrupt = true;
  const asked: bigint[] = [];
  const hook = emulator.hooks.intercept(1, (e) => {
    const fetchOffset: bigint = e.request.topics[0].partitions[0].fetchOffset;
    asked.push(fetchOffset);
    const log = Buffer.concat([a, corrupt ? badB : b, c]);
    // Serve the log from the batch holding fetchOffset on, like a broker.
    const from =
      fetchOffset <= 2n
        ? 0
        : fetchOffset <= 4n
          ? a.length
          : fetchOffset <= 6n
            ? a.length + b.length
            : log.length;
    return fetchAnswer(e.request, log.subarray(from), 7n);
  });
  const consumer = new Consumer({ bootstrap: emulator.bootstrap, ...FAST_GROUP });
  try {
    consumer.assign([{ topic: 'corrupt', partition: 0, offset: 0n }]);
    const got: string[] = [];
    let error: unknown;
    try {
      for await (const r of consumer) got.push(`${r.offset}:${r.value}`);
    } catch (err) {
      error = err;
    }
    expect(got).toEqual(['0:r0', '1:r1', '2:r2']);
    expect(error).toBeInstanceOf(CorruptRecordError);
    const e = error as CorruptRecordError;
    expect([e.topic, e.partition, e.offset]).toEqual(['corrupt', 0, 3n]);
    expect(e.message).toMatch(/CRC-32C mismatch/);
    // The next fetch was already on its way (from 7, past c, read from batch headers): its answer is
    // dropped, and reading resumes at the bad batch once the broker serves good bytes.
    corrupt = false;
    for await (const r of consumer) {
      got.push(`${r.offset}:${r.value}`);
      if (got.length === 7) break;
    }
    expect(got).toEqual(['0:r0', '1:r1', '2:r2', '3:r3', '4:r4', '5:r5', '6:r6']);
    expect(asked).toContain(3n);
  } finally {
    hook.remove();
    await consumer.close();
  }
});

it('max.poll.records bounds what poll() and eachBatch hand out at once', async () => {
  const messages = Array.from({ length: 250 }, (_, i) => ({ value: `v${i}`, partition: i % 2 }));
  await produce(emulator, 'polled', messages);
  const consumer = new Consumer({ bootstrap: emulator.bootstrap, ...FAST_GROUP, maxPollRecords: 40 });
  try {
    consumer.assign([
      { topic: 'polled', partition: 0, offset: 0n },
      { topic: 'polled', partition: 1, offset: 0n },
    ]);
    const seen = new Map<number, bigint[]>([
      [0, []],
      [1, []],
    ]);
    const sizes: number[] = [];
    while ((seen.get(0)?.length ?? 0) + (seen.get(1)?.length ?? 0) < 250) {
      const batches = await consumer.poll();
      sizes.push(batches.reduce((n, b) => n + b.records.length, 0));
      for (const b of batches) seen.get(b.partition)!.push(...b.records.map((r) => r.offset));
    }
    expect(Math.max(...sizes)).toBe(40);
    // Every record once, in order, per partition.
    expect(seen.get(0)).toEqual(Array.from({ length: 125 }, (_, i) => BigInt(i)));
    expect(seen.get(1)).toEqual(Array.from({ length: 125 }, (_, i) => BigInt(i)));
  } finally {
    await consumer.close();
  }
  expect(() => new Consumer({ bootstrap: emulator.bootstrap, maxPollRecords: 0 })).toThrow(/maxPollRecords/);
});

it('a handler that throws: run() rejects, and the next run() starts again at what it was given', async () => {
  for (const topic of ['redeliver-message', 'redeliver-batch']) {
    await produce(
      emulator,
      topic,
      Array.from({ length: 20 }, (_, i) => ({ value: `v${i}`, partition: 0 })),
    );
  }
  const failure = new Error('handler failed');

  // eachMessage: offset 7 fails once; it comes again, then everything after it, once each.
  const a = new Consumer({ bootstrap: emulator.bootstrap, ...FAST_GROUP, maxPollRecords: 5 });
  try {
    a.assign([{ topic: 'redeliver-message', partition: 0, offset: 0n }]);
    const seen: bigint[] = [];
    let failed = false;
    const eachMessage = (r: { offset: bigint }) => {
      seen.push(r.offset);
      if (r.offset === 7n && !failed) {
        failed = true;
        throw failure;
      }
    };
    await expect(a.run({ eachMessage })).rejects.toBe(failure);
    const rerun = a.run({ eachMessage });
    await until('the records from the failed one on', () => seen.length >= 21);
    expect(seen).toEqual([
      ...Array.from({ length: 8 }, (_, i) => BigInt(i)),
      ...Array.from({ length: 13 }, (_, i) => BigInt(7 + i)),
    ]);
    expect(a.position({ topic: 'redeliver-message', partition: 0 })).toBe(20n);
    await a.close();
    await rerun; // resolves once closed
  } finally {
    await a.close();
  }

  // eachBatch (5 records each): the second batch fails once and is handed out again whole.
  const b = new Consumer({ bootstrap: emulator.bootstrap, ...FAST_GROUP, maxPollRecords: 5 });
  try {
    b.assign([{ topic: 'redeliver-batch', partition: 0, offset: 0n }]);
    const batches: bigint[][] = [];
    let failed = false;
    const eachBatch = (batch: { records: { offset: bigint }[] }) => {
      batches.push(batch.records.map((r) => r.offset));
      if (batches.length === 2 && !failed) {
        failed = true;
        throw failure;
      }
    };
    await expect(b.run({ eachBatch })).rejects.toBe(failure);
    const rerun = b.run({ eachBatch });
    await until('the batches from the failed one on', () => batches.flat().length >= 25);
    expect(batches.map((x) => x[0])).toEqual([0n, 5n, 5n, 10n, 15n]);
    expect(batches.flat()).toHaveLength(25);
    await b.close();
    await rerun;
  } finally {
    await b.close();
  }
});
