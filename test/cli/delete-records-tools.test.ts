// Kafka's own kafka-delete-records (org.apache.kafka.tools.DeleteRecordsCommand from the 4.1.1 jars)
// and `kafkalab delete-records`, run as a user types them (--bootstrap-server … --offset-json-file
// f.json) against the emulator and against a real Kafka 4.1.1 broker: every step prints the same
// text on both targets and with both tools, and leaves the same log start offsets behind
// (ListOffsets EARLIEST), which kafka-consumer-groups --reset-offsets --to-earliest then follows.
//
// DeleteRecordsCommand prints the partitions of one run in HashMap order (an order of hash codes, not
// of the file), so the lines of a run are compared sorted; kafkalab prints them sorted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Consumer } from '../../src/client/consumer/consumer.js';
import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { runKafkaTool } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'kafkalab-drtools-'));

/** Writes an offset JSON file as a user would, returns its path. */
function offsetFile(name: string, partitions: { topic: string; partition: number; offset: number }[]) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ partitions, version: 1 }));
  return file;
}

interface Seen {
  code: number | null;
  /** stdout lines, sorted (HashMap order in Java). */
  lines: string[];
  /** The first stderr line that is not a JVM or log4j notice (usage errors). */
  error: string | null;
}

function seen(code: number | null, stdout: string, stderr: string): Seen {
  const error =
    stderr
      .split('\n')
      .map((l) => l.replace(/^kafkalab: /, '').trim())
      .find((l) => l !== '' && !/^(OpenJDK|WARNING|SLF4J|\[)/.test(l)) ?? null;
  return { code, lines: stdout.split('\n').filter(Boolean).sort(), error };
}

const tools = {
  async java(bootstrap: string, args: string[]): Promise<Seen> {
    const r = await runKafkaTool('kafka-delete-records', ['--bootstrap-server', bootstrap, ...args]);
    return seen(r.exitCode, r.stdout, r.stderr);
  },
  async ours(bootstrap: string, args: string[]): Promise<Seen> {
    const r = await runCli(['delete-records', '--bootstrap-server', bootstrap, ...args], {
      timeoutMs: 60_000,
    });
    return seen(r.code, r.stdout, r.stderr);
  },
};

/** Earliest offsets of a topic's partitions, as `p:offset`. */
async function earliest(bootstrap: string, topic: string): Promise<string[]> {
  const admin = new Admin({ bootstrap });
  try {
    const r = await admin.listOffsets({ topic, spec: 'earliest' });
    return r.map((p) => `${p.partition}:${p.offset}`);
  } finally {
    await admin.close();
  }
}

/** The same session on one broker: topics and records set up, then both tools at every step. */
async function session(bootstrap: string): Promise<Record<string, unknown>> {
  const admin = new Admin({ bootstrap });
  await admin.createTopics({
    topics: [
      { topic: 'dr', numPartitions: 2, replicationFactor: 1 },
      { topic: 'drc', numPartitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } },
    ],
  });
  await admin.close();
  const producer = new Producer({ bootstrap });
  const now = Date.now();
  for (const [partition, n] of [
    [0, 10],
    [1, 3],
  ]) {
    await producer.send({
      topic: 'dr',
      messages: Array.from({ length: n }, (_, i) => ({ value: `v${i}`, partition, timestamp: now })),
    });
  }
  await producer.send({ topic: 'drc', messages: [{ key: 'k', value: 'v', partition: 0, timestamp: now }] });
  await producer.close();
  const group = new Consumer({ bootstrap, groupId: 'dr-group', autoCommit: false });
  await group.commit([
    { topic: 'dr', partition: 0, offset: 8n },
    { topic: 'dr', partition: 1, offset: 1n },
  ]);
  await group.close();

  const out: Record<string, unknown> = {};
  const step = async (name: string, args: string[]) => {
    // Java's tool first: the step's effect is then asked again by kafkalab (the low watermark stays).
    out[`${name}.java`] = await tools.java(bootstrap, args);
    out[`${name}.ours`] = await tools.ours(bootstrap, args);
  };
  await step('mixed', [
    '--offset-json-file',
    offsetFile('mixed', [
      { topic: 'dr', partition: 0, offset: 4 },
      { topic: 'dr', partition: 1, offset: 5 },
      { topic: 'drc', partition: 0, offset: 0 },
    ]),
  ]);
  out.earliestAfterMixed = await earliest(bootstrap, 'dr');
  await step('back', ['--offset-json-file', offsetFile('back', [{ topic: 'dr', partition: 0, offset: 2 }])]);
  await step('toHw', [
    '--offset-json-file',
    offsetFile('hw', [
      { topic: 'dr', partition: 1, offset: -1 },
      { topic: 'dr', partition: 0, offset: 6 },
    ]),
  ]);
  out.earliestAfterHw = await earliest(bootstrap, 'dr');
  await step('duplicate', [
    '--offset-json-file',
    offsetFile('dup', [
      { topic: 'dr', partition: 0, offset: 7 },
      { topic: 'dr', partition: 0, offset: 8 },
    ]),
  ]);
  await step('noFile', []);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"partitions": [');
  await step('badJson', ['--offset-json-file', bad]);
  const noOffset = join(dir, 'no-offset.json');
  writeFileSync(noOffset, '{"partitions": [{"topic": "dr", "partition": 0}]}');
  await step('noOffset', ['--offset-json-file', noOffset]);

  // kafka-consumer-groups follows the new log start offsets: --to-earliest lands on them, and an
  // offset below them (--to-offset 1) is raised to them, with Kafka's WARN.
  const groups = async (args: string[]) => {
    const r = await runKafkaTool('kafka-consumer-groups', [
      '--bootstrap-server',
      bootstrap,
      '--group',
      'dr-group',
      '--reset-offsets',
      ...args,
    ]);
    const warns = r.stderr
      .split('\n')
      .map((l) => /WARN (New offset .*?)(?: \(org\.apache\.kafka[^)]*\))?$/.exec(l)?.[1])
      .filter(Boolean);
    return { code: r.exitCode, stdout: r.stdout, warns };
  };
  out.resetEarliest = await groups(['--all-topics', '--to-earliest', '--dry-run']);
  out.resetBelow = await groups(['--topic', 'dr:0', '--to-offset', '1', '--execute']);
  return out;
}

/**
 * kafkalab's one deliberate difference: a bad file's message names the file and the entry
 * ('/tmp/f.json: partitions[0]: No such field exists: `offset`'), where DeleteRecordsCommand prints
 * the bare message. Everything else is compared as printed.
 */
function withoutWhere(s: unknown): unknown {
  const v = s as Seen;
  return { ...v, error: v.error?.replace(/^\/\S+\.json: (partitions\[\d+\]: )?/, '') ?? null };
}

let emulator: Emulator | undefined;
let kafka: RealKafka | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  if (hasJava) kafka = await startRealKafka();
}, 300_000);

afterAll(async () => {
  await emulator?.stop();
  await kafka?.stop();
}, 60_000);

describe.runIf(hasJava)('kafka-delete-records and kafkalab delete-records', () => {
  it('print the same and leave the same log start offsets on the emulator as on Kafka 4.1.1', async () => {
    const onKafka = await session(kafka!.bootstrap);
    const onEmulator = await session(`127.0.0.1:${emulator!.port}`);
    // A few values pinned, so that a broken setup cannot pass by both sides failing alike.
    expect(onKafka['mixed.java']).toEqual({
      code: 0,
      lines: [
        'Executing records delete operation',
        'Records delete operation completed:',
        'partition: dr-0\tlow_watermark: 4',
        'partition: dr-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.',
        'partition: drc-0\terror: org.apache.kafka.common.errors.PolicyViolationException: Request parameters do not satisfy the configured policy.',
      ].sort(),
      error: null,
    });
    expect(onKafka.earliestAfterHw).toEqual(['0:6', '1:3']);
    for (const name of Object.keys(onKafka)) {
      expect.soft(onEmulator[name], `emulator vs Kafka: ${name}`).toEqual(onKafka[name]);
      const [step, tool] = name.split('.');
      if (tool === 'ours')
        expect
          .soft(withoutWhere(onKafka[name]), `kafkalab vs Java tool on Kafka: ${step}`)
          .toEqual(onKafka[`${step}.java`]);
    }
  }, 600_000);
});
