/**
 * A read_committed consumer that starts at the end (auto.offset.reset=latest) asks ListOffsets with
 * its isolation level, as Java's consumer does: LATEST is then the last stable offset, so a
 * transaction open at the end is read once it commits. Asked as read_uncommitted, LATEST is the high
 * watermark, past the open transaction's records, and they would never be read. The same case runs
 * against the emulator (read-committed-reset.test.ts) and Apache Kafka 4.1.1 (…-real-kafka.test.ts).
 */
import { expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { Consumer } from '../../../src/client/consumer/consumer.js';
import { Producer } from '../../../src/client/producer/producer.js';

export function readCommittedResetCase(bootstrap: () => string, label: string): void {
  it(`${label}: read_committed resets to the last stable offset and reads the open transaction once it commits`, async () => {
    const topic = `rc-reset-${process.pid}-${Date.now()}`;
    const admin = new Admin({ bootstrap: bootstrap() });
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    } finally {
      await admin.close();
    }
    const before = new Producer({ bootstrap: bootstrap(), transactionalId: `${topic}-before` });
    const open = new Producer({ bootstrap: bootstrap(), transactionalId: `${topic}-open` });
    const consumers: Consumer[] = [];
    try {
      await before.initTransactions();
      before.beginTransaction();
      await before.send({ topic, messages: [{ value: 'before' }] }); // offset 0, COMMIT marker at 1
      await before.commitTransaction();
      await open.initTransactions();
      open.beginTransaction();
      await open.send({ topic, messages: [{ value: 'pending' }] }); // offset 2, still open

      const startAt = async (isolationLevel: 'read_committed' | 'read_uncommitted') => {
        const c = new Consumer({
          bootstrap: bootstrap(),
          isolationLevel,
          autoOffsetReset: 'latest',
          fetchMaxWaitMs: 50,
        });
        consumers.push(c);
        c.assign([{ topic, partition: 0 }]);
        await c.poll();
        return c;
      };
      const committed = await startAt('read_committed');
      const uncommitted = await startAt('read_uncommitted');
      // The last stable offset is the open transaction's first offset; the high watermark is after it.
      expect(committed.position({ topic, partition: 0 })).toBe(2n);
      expect(uncommitted.position({ topic, partition: 0 })).toBe(3n);

      await open.commitTransaction();
      const values: string[] = [];
      for (let round = 0; round < 100 && values.length === 0; round++) {
        for (const b of await committed.poll()) for (const r of b.records) values.push(String(r.value));
      }
      expect(values).toEqual(['pending']);
    } finally {
      await Promise.all(consumers.map((c) => c.close()));
      await open.close();
      await before.close();
    }
  }, 60_000);
}
