/**
 * `kafkalab transactions find-hanging` against Kafka 4.1.1's own `kafka-transactions find-hanging`
 * (org.apache.kafka.tools.TransactionsCommand), the same commands on the same broker: stdout byte for
 * byte (the table and its row order), and the same error line on stderr with exit 1. Targets: the
 * emulator and a real Apache Kafka 4.1.1 broker, both with transaction.partition.verification.enable
 * off — the only way left to make a hanging transaction: a transactional batch whose producer no
 * coordinator knows (KIP-890 part 1 closed it; KIP-664's tool finds them). On each broker:
 *   - two "ghost" producers (an idempotent producer id writing transactional batches, never added to
 *     any transaction) with records 20 minutes old: hang-0, and hang-1 + other-0 — hanging;
 *   - a third ghost with records written now — open, but younger than the max timeout;
 *   - kafkalab's transactional producer with an Ongoing transaction in hang-1, records 20 minutes
 *     old — older than the timeout, but its coordinator will write the marker: not hanging.
 * Starts JVMs: run it under `flock /tmp/kafkalab-jvm.lock`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Cluster } from '../../src/client/cluster.js';
import { KafkaProtocolError } from '../../src/client/errors.js';
import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { runCli } from '../support/cli.js';
import { runKafkaTool } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const OLD = 20 * 60_000 + 30_000;
const NO_VERIFICATION = { 'transaction.partition.verification.enable': 'false' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Transactional batches from a producer id no transaction coordinator has (hanging, when old). */
async function ghost(bootstrap: string, partitions: { topic: string; partition: number }[], ageMs: number) {
  const cluster = new Cluster({ bootstrap });
  try {
    await cluster.connect();
    const anyBroker = [...cluster.brokers.keys()][0]!;
    // A fresh Kafka answers COORDINATOR_LOAD_IN_PROGRESS until it has a block of producer ids.
    const init = await cluster.withRetries(async () => {
      const r = await cluster.requestTo(anyBroker, InitProducerId, {
        transactionalId: null,
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      if (r.errorCode !== 0) throw new KafkaProtocolError(r.errorCode, { api: 'InitProducerId' });
      return r;
    });
    for (const { topic, partition } of partitions) {
      const leader = await cluster.leaderFor(topic, partition);
      const records = encodeRecordBatch({
        records: [0, 1].map((i) => ({
          key: null,
          value: Buffer.from(`ghost-${i}`),
          timestamp: Date.now() - ageMs,
        })),
        isTransactional: true,
        producerId: init.producerId,
        producerEpoch: init.producerEpoch,
        baseSequence: 0,
      });
      const r = await cluster.requestTo(
        leader,
        Produce,
        {
          transactionalId: `ghost-${init.producerId}`,
          acks: -1,
          timeoutMs: 10_000,
          topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
        },
        // v12 would ask the coordinator to add the partition (KIP-890 part 2): stay below it.
        { maxVersion: 11 },
      );
      expect(r.responses[0]!.partitionResponses[0]!.errorCode, `ghost produce to ${topic}-${partition}`).toBe(
        0,
      );
    }
  } finally {
    await cluster.close();
  }
}

/** The hanging, young and ongoing transactions described above; returns the ongoing producer to close. */
async function setUp(bootstrap: string): Promise<Producer> {
  const admin = new Admin({ bootstrap });
  try {
    await admin.createTopics({
      topics: [
        { topic: 'hang', numPartitions: 2, replicationFactor: 1 },
        { topic: 'other', numPartitions: 1, replicationFactor: 1 },
      ],
    });
  } finally {
    await admin.close();
  }
  await ghost(bootstrap, [{ topic: 'hang', partition: 0 }], OLD);
  await ghost(
    bootstrap,
    [
      { topic: 'hang', partition: 1 },
      { topic: 'other', partition: 0 },
    ],
    OLD,
  );
  await ghost(bootstrap, [{ topic: 'hang', partition: 0 }], 0);
  const live = new Producer({ bootstrap, transactionalId: 'find-hanging-live' });
  await live.initTransactions();
  live.beginTransaction();
  await live.send({
    topic: 'hang',
    messages: [{ value: 'live', partition: 1, timestamp: Date.now() - OLD }],
  });
  return live;
}

const COMMANDS: string[][] = [
  ['--broker-id', '0'],
  ['--topic', 'hang'],
  ['--topic', 'hang', '--partition', '1'],
  ['--topic', 'other', '--broker-id', '0'],
  ['--broker-id', '0', '--max-transaction-timeout', '30'],
  [],
  ['--broker-id', '0', '--partition', '0'],
  ['--topic', 'nope'],
];

async function ours(bootstrap: string, args: string[]): Promise<Run> {
  const r = await runCli(['transactions', 'find-hanging', '--bootstrap-server', bootstrap, ...args]);
  // kafkalab names itself before an error line; the tool prints the bare message.
  return { code: r.code, stdout: r.stdout, stderr: r.stderr.replace(/^kafkalab: /, '') };
}

async function theirs(bootstrap: string, args: string[]): Promise<Run> {
  const r = await runKafkaTool(
    'kafka-transactions',
    ['--bootstrap-server', bootstrap, 'find-hanging', ...args],
    {
      timeoutMs: 60_000,
    },
  );
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

async function compare(bootstrap: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (const args of COMMANDS) {
    const [a, b] = [await ours(bootstrap, args), await theirs(bootstrap, args)];
    expect({ args, ...a }).toEqual({ args, ...b });
    runs.push(a);
  }
  return runs;
}

/** What the broker-wide search must find, independently of the tool: the two old ghosts' 3 partitions. */
function expectHanging(run: Run): void {
  const rows = run.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t').map((c) => c.trim()));
  expect(rows.map((r) => `${r[0]}-${r[1]}`).sort()).toEqual(['hang-0', 'hang-1', 'other-0']);
  for (const r of rows) {
    expect(r[5]).toBe('0'); // each ghost's transaction starts its partition's log
    expect(r[7]).toBe('20');
  }
}

describe('find-hanging on the emulator', () => {
  let emulator: Emulator;
  let live: Producer | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, transactionPartitionVerificationEnable: false });
    live = await setUp(emulator.bootstrap);
  });
  afterAll(async () => {
    await live?.close();
    await emulator?.stop();
  });

  it('prints what kafka-transactions find-hanging prints', async () => {
    const runs = await compare(emulator.bootstrap);
    expectHanging(runs[0]!);
  }, 240_000);
});

describe('find-hanging on Apache Kafka 4.1.1', () => {
  let kafka: RealKafka;
  let live: Producer | undefined;
  beforeAll(async () => {
    kafka = await startRealKafka({ overrides: NO_VERIFICATION });
    live = await setUp(kafka.bootstrap);
  }, 300_000);
  afterAll(async () => {
    await live?.close();
    await kafka?.stop();
  }, 60_000);

  it('prints what kafka-transactions find-hanging prints', async () => {
    const runs = await compare(kafka.bootstrap);
    expectHanging(runs[0]!);
  }, 240_000);
});
