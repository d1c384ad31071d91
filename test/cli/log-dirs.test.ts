// kafkalab log-dirs vs Kafka 4.1.1's kafka-log-dirs (LogDirsCommand), the same commands on the same
// broker: stdout byte for byte (the JSON's key and partition order is Java HashMap order), the
// refusal of brokers not in the cluster on stderr with exit 1, and the first line of a usage error.
// Targets: a one-broker emulator, a three-broker one (each broker lists its own replicas) and a real
// Apache Kafka 4.1.1 broker. The real broker's log dir path differs run to run; each tool's output
// is compared with the other's on the same broker, never with a fixed text.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Producer } from '../../src/client/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { runKafkaTool } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

/** Two topics, records in some partitions: sizes differ, empty partitions show 0. */
async function fill(bootstrap: string, partitions: number): Promise<void> {
  const admin = new Admin({ bootstrap });
  try {
    await admin.createTopics({
      topics: [
        { topic: 'ld', numPartitions: partitions, replicationFactor: 1 },
        { topic: 'other', numPartitions: 1, replicationFactor: 1 },
      ],
    });
  } finally {
    await admin.close();
  }
  const producer = new Producer({ bootstrap });
  try {
    await producer.send({
      topic: 'ld',
      messages: [
        { partition: 0, key: 'a', value: 'one' },
        { partition: 0, key: 'b', value: 'two' },
        { partition: 1, key: 'c', value: 'three' },
      ],
    });
    await producer.send({ topic: 'other', messages: [{ partition: 0, value: 'x' }] });
  } finally {
    await producer.close();
  }
}

const COMMANDS: string[][] = [
  ['--describe'],
  ['--describe', '--topic-list', 'ld'],
  ['--describe', '--topic-list', 'ld,other', '--broker-list', '0'],
  ['--describe', '--topic-list', 'nope'],
  ['--describe', '--broker-list', '0,7,9'],
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function ours(bootstrap: string, args: string[]): Promise<Run> {
  const r = await runCli(['log-dirs', '--bootstrap-server', bootstrap, ...args]);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

async function theirs(bootstrap: string, args: string[]): Promise<Run> {
  const r = await runKafkaTool('kafka-log-dirs', ['--bootstrap-server', bootstrap, ...args], {
    timeoutMs: 60_000,
  });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

async function compare(bootstrap: string, commands: string[][]): Promise<void> {
  for (const args of commands) {
    const [a, b] = [await ours(bootstrap, args), await theirs(bootstrap, args)];
    expect({ args, ...a }).toEqual({ args, ...b });
  }
}

let one: Emulator;
let three: Emulator;
let real: RealKafka | undefined;

beforeAll(async () => {
  one = await startEmulator({ port: 0 });
  await fill(one.bootstrap, 2);
  three = await startEmulator({ port: 0, brokers: 3 });
  await fill(three.bootstrap, 6);
  if (hasJava) {
    real = await startRealKafka();
    await fill(real.bootstrap, 2);
  }
}, 240_000);

afterAll(async () => {
  await one?.stop();
  await three?.stop();
  await real?.stop();
}, 60_000);

describe('kafkalab log-dirs', () => {
  it('prints the three lines, partitions filtered by --topic-list, in the Java tool order', async () => {
    const r = await ours(one.bootstrap, ['--describe', '--topic-list', 'ld']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Querying brokers for log directories information',
      'Received log directory information from brokers 0',
    ]);
    const size0 = one.cluster.topics.partition('ld', 0)?.sizeInBytes;
    // HashMap<TopicPartition> order puts ld-1 before ld-0; the objects' keys as the tool's HashMaps.
    expect(lines[2]).toBe(
      `{"brokers":[{"broker":0,"logDirs":[{"partitions":[{"partition":"ld-1","size":${one.cluster.topics.partition('ld', 1)?.sizeInBytes},"offsetLag":0,"isFuture":false},{"partition":"ld-0","size":${size0},"offsetLag":0,"isFuture":false}],"error":null,"logDir":"/tmp/kafka-logs"}]}],"version":1}`,
    );
  });

  it('refuses brokers that are not in the cluster as the tool does, and usage mistakes with its first line', async () => {
    const missing = await ours(one.bootstrap, ['--describe', '--broker-list', '0,7,9']);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR: The given brokers do not exist from --broker-list: 7,9. Current existent brokers: 0\n',
    });
    expect((await ours(one.bootstrap, ['--topic-list', 'ld'])).stderr).toBe(
      'kafkalab: Missing required argument "[describe]"\n',
    );
    expect((await ours(one.bootstrap, ['--describe', '--broker-list', 'x'])).stderr).toBe(
      'kafkalab: For input string: "x"\n',
    );
  });

  it('lists on each broker of three only the partitions it holds', async () => {
    const r = await ours(three.bootstrap, ['--describe', '--topic-list', 'ld']);
    const json = JSON.parse(r.stdout.split('\n')[2]) as {
      brokers: { broker: number; logDirs: { partitions: { partition: string }[] }[] }[];
    };
    const held = json.brokers.map((b) => [b.broker, b.logDirs[0].partitions.map((p) => p.partition).sort()]);
    // Replicas striped over brokers 0, 1, 2 at RF 1 (cluster/controller.ts).
    expect(held).toEqual([
      [0, ['ld-0', 'ld-3']],
      [1, ['ld-1', 'ld-4']],
      [2, ['ld-2', 'ld-5']],
    ]);
  });

  it.runIf(hasJava)(
    "Kafka's kafka-log-dirs prints the same on the one-broker emulator",
    () => compare(one.bootstrap, COMMANDS),
    300_000,
  );

  it.runIf(hasJava)(
    "Kafka's kafka-log-dirs prints the same on the three-broker emulator",
    () =>
      compare(three.bootstrap, [
        ['--describe'],
        ['--describe', '--topic-list', 'ld', '--broker-list', '2,0'],
      ]),
    300_000,
  );

  it.runIf(hasJava)(
    "kafkalab log-dirs prints on Apache Kafka 4.1.1 what Kafka's kafka-log-dirs prints",
    () => compare(real?.bootstrap ?? '', COMMANDS),
    300_000,
  );
});
