// What the consumer does with a Fetch answer, staged byte by byte through the emulator's intercept
// hook: a whole batch starting below the position (records before it dropped), a transaction control
// batch (never delivered, but the position moves past it), and a last batch cut short by the broker's
// byte limit (skipped, then asked for again from its base offset). Broker behaviour from
// /work/shared/notes/broker-behaviour.md §1.9 ("the last batch may be partial and the client must ignore it").
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Consumer } from '../../src/client/consumer/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { encodeControlBatch, encodeRecordBatch } from '../../src/protocol/records/index.js';
import { FAST_GROUP, startTestEmulator } from './consumer-support.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator([{ name: 'staged', partitions: 1 }]);
});

afterAll(async () => {
  await emulator?.stop();
});

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
    const t = e.request.topics[0];
    const fetchOffset: bigint = t.partitions[0].fetchOffset;
    asked.push(fetchOffset);
    const records = asked.length === 1 ? first : fetchOffset === 6n ? c : Buffer.alloc(0);
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
                highWatermark: 8n,
                lastStableOffset: 8n,
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
