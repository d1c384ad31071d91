/**
 * Consumer.committed() as Java's: OffsetFetch with requireStable (KIP-447), UNSTABLE_OFFSET_COMMIT (88)
 * retried — a real broker answers it between EndTxn and the markers of a transaction that moved the
 * offset (seen in test/transactions/exactly-once-group-epoch against Kafka 4.1.1, where committed()
 * right after commitTransaction() read no offset before this).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer, GroupAdmin } from '../../src/client/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: 'committed-t', partitions: 1 }] });
});
afterAll(() => emulator?.stop());

describe('Consumer.committed()', () => {
  it('asks requireStable and retries UNSTABLE_OFFSET_COMMIT until the offset is stable', async () => {
    const admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
    await admin.alterOffsets('committed-g', [{ topic: 'committed-t', partition: 0, offset: 5n }]);
    await admin.close();
    const asked: boolean[] = [];
    emulator.hooks.observe(9, (e) => asked.push(Boolean(e.request.requireStable)));
    emulator.hooks.injectError(9, 88, { times: 2 });
    const consumer = new Consumer({
      bootstrap: emulator.bootstrap,
      groupId: 'committed-g',
      retry: { retries: 3, initialBackoffMs: 10, maxBackoffMs: 50 },
    });
    try {
      const committed = await consumer.committed([{ topic: 'committed-t', partition: 0 }]);
      expect([...committed.values()].map((o) => o.offset)).toEqual([5n]);
    } finally {
      await consumer.close();
    }
    // Twice refused, then answered: three requests, each with requireStable.
    expect(asked).toEqual([true, true, true]);
  });
});
