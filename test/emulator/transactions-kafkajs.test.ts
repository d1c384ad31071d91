/**
 * kafkajs 2.2.4 transactions against the emulator, unmodified (issue 13, "Proof: unmodified real
 * clients"): a producer with a transactionalId commits one transaction, aborts one, commits one with
 * sendOffsets; a kafkajs consumer with readUncommitted false (read_committed, its default) sees only
 * the committed records, one with readUncommitted true sees all; the offsets sent in the transaction
 * are the group's committed offsets once it commits; a second producer with the same id fences the
 * first. Waits are on events (until + emulator exchanges), each bounded.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { transactionsOf } from '../../src/emulator/state/transactions/index.js';
import { startTestEmulator } from '../client/consumer-support.js';
import { poke, until } from '../support/until.js';

const OUT = 'kj-txn-out';
const IN = 'kj-txn-in';

let emulator: Emulator;
let kafka: Kafka;

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  emulator = await startTestEmulator([
    { name: OUT, partitions: 1 },
    { name: IN, partitions: 1 },
  ]);
  kafka = new Kafka({
    clientId: 'kj-txn',
    brokers: [emulator.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50 },
  });
});

afterAll(async () => {
  await emulator?.stop();
});

async function readAll(groupId: string, readUncommitted: boolean, untilValue: string): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 100, heartbeatInterval: 300 });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: OUT, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value?.toString() ?? '');
        poke();
      },
    });
    await until(`${groupId} to read ${untilValue}`, () => seen.includes(untilValue));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('kafkajs transactions against the emulator', () => {
  it('commit, abort, commit with sendOffsets: read_committed sees only committed records', async () => {
    const producer = kafka.producer({ transactionalId: 'kj-tx-1', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    try {
      const t1 = await producer.transaction();
      await t1.send({ topic: OUT, messages: [{ value: 'c1' }, { value: 'c2' }] });
      await t1.send({ topic: OUT, messages: [{ value: 'c3' }] });
      await t1.commit();

      const t2 = await producer.transaction();
      await t2.send({ topic: OUT, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
      await t2.abort();

      const t3 = await producer.transaction();
      await t3.send({ topic: OUT, messages: [{ value: 'c4' }] });
      await t3.sendOffsets({
        consumerGroupId: 'kj-txn-group',
        topics: [{ topic: IN, partitions: [{ partition: 0, offset: '17' }] }],
      });
      // Pending until the commit: the group has no committed offset yet.
      const admin = kafka.admin();
      await admin.connect();
      try {
        const before = await admin.fetchOffsets({ groupId: 'kj-txn-group', topics: [IN] });
        expect(before[0].partitions).toEqual([{ partition: 0, offset: '-1', metadata: null }]);
        await t3.commit();
        const after = await admin.fetchOffsets({ groupId: 'kj-txn-group', topics: [IN] });
        expect(after[0].partitions).toEqual([{ partition: 0, offset: '17', metadata: null }]);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await producer.disconnect();
    }
    // 6 records + 3 markers = offsets 0-8.
    const log = emulator.cluster.topics.get(OUT)!.partitions[0];
    expect(log.logEndOffset).toBe(9);
    expect(log.lastStableOffset).toBe(9);
    expect(transactionsOf(emulator.cluster).describe('kj-tx-1')?.state).toBe('CompleteCommit');

    expect(await readAll('kj-committed', false, 'c4')).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(await readAll('kj-uncommitted', true, 'c4')).toEqual([
      'c1',
      'c2',
      'c3',
      'aborted-1',
      'aborted-2',
      'c4',
    ]);
  });

  it('a second producer with the same transactional id fences the first', async () => {
    const first = kafka.producer({
      transactionalId: 'kj-tx-fence',
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await first.connect();
    const t = await first.transaction();
    await t.send({ topic: OUT, messages: [{ value: 'zombie' }] });
    const log = emulator.cluster.topics.get(OUT)!.partitions[0];
    const openAt = log.logEndOffset - 1;
    expect(log.lastStableOffset).toBe(openAt);

    // kafkajs sends InitProducerId at its first transaction(): that aborts the open transaction
    // (answered CONCURRENT_TRANSACTIONS, which kafkajs retries) and fences the first producer.
    const second = kafka.producer({
      transactionalId: 'kj-tx-fence',
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await second.connect();
    try {
      const t2 = await second.transaction();
      expect(log.lastStableOffset).toBe(log.logEndOffset);
      expect(log.abortedTransactions.at(-1)?.firstOffset).toBe(openAt);
      expect(transactionsOf(emulator.cluster).describe('kj-tx-fence')?.producerEpoch).toBe(2);
      await expect(t.commit()).rejects.toThrow(/epoch|fenced/i);
      await t2.send({ topic: OUT, messages: [{ value: 'after-fence' }] });
      await t2.commit();
    } finally {
      await second.disconnect();
      await first.disconnect().catch(() => undefined);
    }
    const seen = await readAll('kj-after-fence', false, 'after-fence');
    expect(seen).not.toContain('zombie');
    expect(seen.at(-1)).toBe('after-fence');
  });
});
