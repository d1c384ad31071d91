// Emulator answers corrected after the conformance suite set them beside Apache Kafka 4.1.1's
// (conformance/REPORT.md): each expectation is what the real broker sent in that run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunContext } from '../../conformance/runner/context.js';
import type { StartedTarget } from '../../conformance/runner/targets.js';
import { startEmulatorTarget } from '../../conformance/runner/targets.js';
import {
  batch,
  createTopic,
  fetchRaw,
  produceRaw,
  setUpTopic,
  T0,
} from '../../conformance/scenarios/support.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { CreateTopics } from '../../src/protocol/messages/19-create-topics.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';

let emulator: StartedTarget;
let ctx: RunContext;

beforeAll(async () => {
  emulator = await startEmulatorTarget();
  ctx = new RunContext(emulator.target, 'fix');
  await setUpTopic(ctx, 't', 1);
});

afterAll(async () => {
  await ctx?.close();
  await emulator?.stop();
});

describe('emulator answers as Apache Kafka 4.1.1 does', () => {
  it('Fetch: an unknown partition has abortedTransactions [], an out-of-range offset null', async () => {
    expect((await fetchRaw(ctx, null, 'nope', 0, 0n)).abortedTransactions).toEqual([]);
    const out = await fetchRaw(ctx, null, 't', 0, 99n);
    expect(out.errorCode).toBe(1);
    expect(out.abortedTransactions).toBeNull();
  });

  it('ListOffsets: no record at or after the time → offset -1 and leaderEpoch -1', async () => {
    await produceRaw(ctx, null, 't', 0, batch(['a']));
    const res = await ctx.exchange(null, ListOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: BigInt(T0 + 60_000) }],
        },
      ],
      timeoutMs: 1000,
    });
    expect(res.topics[0].partitions[0]).toMatchObject({ offset: -1n, leaderEpoch: -1 });
  });

  it('CreateTopics: a refused topic carries configs [] (not null)', async () => {
    expect(await createTopic(ctx, null, 't', 1)).toBe(36);
    const res = await ctx.exchange(null, CreateTopics, {
      topics: [{ name: 'bad/name', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(res.topics[0].configs).toEqual([]);
  });

  it('Produce: a duplicate answers the batch max timestamp as logAppendTimeMs; a sequence gap carries logStartOffset', async () => {
    await setUpTopic(ctx, 'idem', 1);
    const init = await ctx.exchange(null, InitProducerId, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
    });
    const id = { producerId: init.producerId, producerEpoch: init.producerEpoch };
    const first = batch(['a', 'b', 'c'], { ...id, baseSequence: 0 });
    expect((await produceRaw(ctx, null, 'idem', 0, first)).logAppendTimeMs).toBe(-1n);
    const again = await produceRaw(ctx, null, 'idem', 0, first);
    // batch() stamps record i with T0 + i s: the max is T0 + 2 s.
    expect(again).toMatchObject({ errorCode: 0, baseOffset: 0n, logAppendTimeMs: BigInt(T0 + 2000) });
    const gap = await produceRaw(ctx, null, 'idem', 0, batch(['x'], { ...id, baseSequence: 9 }));
    expect(gap).toMatchObject({ errorCode: 45, logStartOffset: 0n });
  });
});
