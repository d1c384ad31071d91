/**
 * Apache Kafka's Java clients (the 4.1.1 jars) running transactions against the emulator, unmodified
 * (issue 13, "Proof: unmodified real clients"). Kafka's own TransactionalMessageCopier (what Kafka's
 * system tests use for exactly-once) reads an input partition with a read_committed KafkaConsumer
 * and copies it with a transactional KafkaProducer — initTransactions, beginTransaction, send,
 * sendOffsetsToTransaction, commitTransaction — aborting about a third of its transactions at random
 * (abortTransaction, then a rewind to the committed offsets). kafka-console-consumer with
 * --isolation-level read_committed then reads the output: every input record exactly once, in order,
 * although the log also holds the copies the aborted transactions wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../../src/client/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { offsetsOf } from '../../src/emulator/state/groups.js';
import { transactionsOf } from '../../src/emulator/state/transactions/index.js';
import { describeToolResult, kafkaToolsEnv, runKafkaTool } from '../support/kafka-tools.js';

const IN = 'java-txn-in';
const OUT = 'java-txn-out';
const GROUP = 'java-txn-copier';
const N = 200;

let emulator: Emulator;

beforeAll(async () => {
  await kafkaToolsEnv(); // fetches the jars once on a bare machine
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: IN, partitions: 1 },
      { name: OUT, partitions: 1 },
    ],
  });
}, 900_000);

afterAll(async () => {
  await emulator?.stop();
});

describe('Java KafkaProducer transactions and a read_committed KafkaConsumer against the emulator', () => {
  it('TransactionalMessageCopier with random aborts: read_committed output holds every input once', async () => {
    const producer = new Producer({ bootstrap: emulator.bootstrap, clientId: 'java-txn-input' });
    try {
      await producer.send({
        topic: IN,
        messages: Array.from({ length: N }, (_, i) => ({
          key: `k${i}`,
          value: Buffer.from(`m${i}`),
          partition: 0,
        })),
      });
    } finally {
      await producer.close();
    }

    const copier = await runKafkaTool(
      'kafka-transactional-message-copier',
      [
        '--broker-list',
        emulator.bootstrap,
        '--input-topic',
        IN,
        '--input-partition',
        '0',
        '--output-topic',
        OUT,
        '--max-messages',
        String(N),
        '--consumer-group',
        GROUP,
        '--transactional-id',
        'java-copier',
        // 5 records per transaction: 40 transactions, so the random aborts (1 in 3) surely happen.
        '--transaction-size',
        '5',
        '--enable-random-aborts',
      ],
      { timeoutMs: 120_000 },
    );
    expect(copier.exitCode, describeToolResult(copier)).toBe(0);

    const log = emulator.cluster.topics.get(OUT)!.partitions[0];
    const txn = transactionsOf(emulator.cluster).describe('java-copier');
    expect(txn?.state, describeToolResult(copier)).toBe('CompleteCommit');
    expect(log.abortedTransactions.length, 'some transactions were aborted').toBeGreaterThan(0);
    expect(log.lastStableOffset).toBe(log.highWatermark);
    // The input offsets were committed inside the transactions, through TxnOffsetCommit.
    expect(offsetsOf(emulator.cluster).get(GROUP, IN, 0)?.offset).toBe(BigInt(N));

    const consumer = await runKafkaTool(
      'kafka-console-consumer',
      [
        '--bootstrap-server',
        emulator.bootstrap,
        '--topic',
        OUT,
        '--from-beginning',
        '--isolation-level',
        'read_committed',
        '--max-messages',
        String(N),
        '--timeout-ms',
        '30000',
      ],
      { timeoutMs: 90_000 },
    );
    expect(consumer.exitCode, describeToolResult(consumer)).toBe(0);
    const values = consumer.stdout.split('\n').filter((l) => l !== '');
    expect(values).toEqual(Array.from({ length: N }, (_, i) => `m${i}`));
  }, 240_000);
});
