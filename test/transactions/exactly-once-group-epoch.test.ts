/**
 * The group check inside sendOffsetsToTransaction for a KIP-848 consumer group (KIP-447 fencing by
 * group metadata): TxnOffsetCommit carries the member's epoch as its generation; the right epoch is
 * accepted, another one is refused as ILLEGAL_GENERATION (Kafka turns the group's STALE_MEMBER_EPOCH
 * into it for TxnOffsetCommit, OffsetMetadataManager.validateTransactionalOffsetCommit) — abortable,
 * and the transaction can be aborted and done again. Against the emulator and Apache Kafka 4.1.1
 * (starts a JVM: run it under `flock /tmp/kafkalab-jvm.lock`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import { TransactionError } from '../../src/client/producer/transaction-errors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const RETRY = { retries: 10, initialBackoffMs: 20, maxBackoffMs: 500 };

async function epochCase(bootstrap: string, tag: string): Promise<void> {
  const input = `epoch-in-${tag}`;
  const output = `epoch-out-${tag}`;
  const groupId = `epoch-group-${tag}`;
  const admin = new Admin({ bootstrap, retry: RETRY });
  try {
    await admin.createTopics({
      topics: [
        { topic: input, numPartitions: 1, replicationFactor: 1 },
        { topic: output, numPartitions: 1, replicationFactor: 1 },
      ],
    });
  } finally {
    await admin.close();
  }
  const plain = new Producer({ bootstrap, retry: RETRY });
  await plain.send({ topic: input, messages: [{ value: 'a' }, { value: 'b' }] });
  await plain.close();

  const consumer = new Consumer({
    bootstrap,
    groupId,
    groupProtocol: 'consumer',
    autoCommit: false,
    autoOffsetReset: 'earliest',
    isolationLevel: 'read_committed',
    fetchMaxWaitMs: 50,
    retry: RETRY,
  });
  const producer = new Producer({ bootstrap, transactionalId: `epoch-txn-${tag}`, retry: RETRY });
  try {
    consumer.subscribe(input);
    let read = 0;
    for (let round = 0; round < 400 && read < 2; round++)
      for (const b of await consumer.poll()) read += b.records.length;
    expect(read).toBe(2);
    const meta = consumer.groupMetadata();
    expect(meta.generationId).toBeGreaterThan(0);
    await producer.initTransactions();

    producer.beginTransaction();
    await producer.send({ topic: output, messages: [{ value: 'A' }, { value: 'B' }] });
    const refused = await producer
      .sendOffsetsToTransaction([{ topic: input, partition: 0, offset: 2n }], {
        ...meta,
        generationId: meta.generationId + 1,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(TransactionError);
    expect((refused as TransactionError).kind).toBe('abortable');
    expect((refused as TransactionError).code).toBe(22);
    await producer.abortTransaction();

    producer.beginTransaction();
    await producer.send({ topic: output, messages: [{ value: 'A' }, { value: 'B' }] });
    await producer.sendOffsetsToTransaction([{ topic: input, partition: 0, offset: 2n }], meta);
    await producer.commitTransaction();
    const committed = await consumer.committed([{ topic: input, partition: 0 }]);
    expect([...committed.values()].map((o) => o.offset)).toEqual([2n]);
  } finally {
    await producer.close();
    await consumer.close();
  }
}

describe('sendOffsetsToTransaction and a KIP-848 member epoch, emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, groupConsumerHeartbeatIntervalMs: 100 });
  });
  afterAll(() => emulator?.stop());
  it('the member epoch is accepted, another is ILLEGAL_GENERATION (abortable)', async () => {
    await epochCase(emulator.bootstrap, `emu-${process.pid}`);
  }, 60_000);
});

describe('sendOffsetsToTransaction and a KIP-848 member epoch, Apache Kafka 4.1.1', () => {
  let kafka: RealKafka;
  beforeAll(async () => {
    kafka = await startRealKafka();
  }, 300_000);
  afterAll(() => kafka?.stop(), 60_000);
  it('the member epoch is accepted, another is ILLEGAL_GENERATION (abortable)', async () => {
    await epochCase(kafka.bootstrap, `kafka-${process.pid}`);
  }, 120_000);
});
