/**
 * KIP-447's half of exactly-once on the consumer side: a consumer that takes over a partition while
 * another instance's transaction still holds a pending offset for it (TxnOffsetCommit sent, EndTxn
 * not yet — or, on a real broker, the COMMIT marker not yet written to __consumer_offsets) must not
 * start from the older committed offset, or it reads again what that transaction already turned
 * into output. Java's consumer asks OffsetFetch with requireStable (v7+) and waits out
 * UNSTABLE_OFFSET_COMMIT (ConsumerCoordinator.fetchCommittedOffsets); kafkalab's must do the same.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

const INPUT = 'stable-in';
const OUTPUT = 'stable-out';
const GROUP = 'stable-group';
let emulator: Emulator;
const offsetFetches: { requireStable: boolean; errorCode: number }[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: INPUT, partitions: 1 },
      { name: OUTPUT, partitions: 1 },
    ],
  });
  emulator.hooks.observe('*', (e: Exchange) => {
    if (e.api.name !== 'OffsetFetch' || !e.response) return;
    const req = e.request as { requireStable?: boolean };
    const res = e.response.body as {
      groups?: { topics: { partitions: { errorCode: number }[] }[] }[];
      topics?: { partitions: { errorCode: number }[] }[];
    };
    const topics = res.groups?.[0]?.topics ?? res.topics ?? [];
    offsetFetches.push({
      requireStable: req.requireStable === true,
      errorCode: topics[0]?.partitions[0]?.errorCode ?? 0,
    });
  });
});
afterAll(() => emulator?.stop());

it('a consumer does not start from a committed offset that an open transaction is moving', async () => {
  const plain = new Producer({ bootstrap: emulator.bootstrap });
  await plain.send({ topic: INPUT, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
  await plain.close();
  const admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
  await admin.alterOffsets(GROUP, [{ topic: INPUT, partition: 0, offset: 2n }]);

  // Another instance has transformed records 2..6 and offered offset 7 in its open transaction.
  const txn = new Producer({ bootstrap: emulator.bootstrap, transactionalId: 'stable-txn' });
  await txn.initTransactions();
  txn.beginTransaction();
  await txn.send({ topic: OUTPUT, messages: [{ value: 'out' }] });
  await txn.sendOffsetsToTransaction([{ topic: INPUT, partition: 0, offset: 7n }], {
    groupId: GROUP,
    memberId: '',
    generationId: -1,
  });

  const consumer = new Consumer({
    bootstrap: emulator.bootstrap,
    groupId: GROUP,
    autoCommit: false,
    isolationLevel: 'read_committed',
    fetchMaxWaitMs: 50,
    retry: { retries: 5, initialBackoffMs: 20, maxBackoffMs: 50 },
  });
  try {
    consumer.assign([{ topic: INPUT, partition: 0 }]);
    // While the transaction is open the position is unknown: nothing is read (not records 2..6).
    for (let i = 0; i < 3; i++) expect(await consumer.poll()).toEqual([]);
    expect(offsetFetches.length).toBeGreaterThan(0);
    expect(offsetFetches.every((f) => f.requireStable && f.errorCode === 88)).toBe(true);
    await txn.commitTransaction();
    let first: bigint | undefined;
    for (let i = 0; i < 50 && first === undefined; i++)
      first = (await consumer.poll())[0]?.records[0]?.offset;
    expect(first).toBe(7n);
    expect(offsetFetches.at(-1)).toEqual({ requireStable: true, errorCode: 0 });
  } finally {
    await consumer.close();
    await txn.close();
    await admin.close();
  }
});
