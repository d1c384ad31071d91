// `kafkalab configs` and Kafka's own kafka-configs (kafka.admin.ConfigCommand from the 4.1.1 jars),
// each run against the emulator and against a real Kafka 4.1.1 broker with the same commands: the
// answers must be the same text on both targets (kafka-configs.sh's output shape, Kafka's messages).
// A real broker applies a config change asynchronously (its metadata log), so a describe right after
// an alter is repeated until it shows the change (bounded); the emulator shows it at once.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { describeToolResult, runKafkaTool } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
type Runner = (args: string[]) => Promise<Run>;

const ours =
  (bootstrap: string): Runner =>
  (args) =>
    runCli(['configs', '--bootstrap-server', bootstrap, ...args]);

const kafkas =
  (bootstrap: string): Runner =>
  async (args) => {
    const r = await runKafkaTool('kafka-configs', ['--bootstrap-server', bootstrap, ...args]);
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };

/** Runs a describe until its stdout is `expected` (a real broker may lag an alter by a moment). */
async function describeUntil(run: Runner, args: string[], expected: string, tries = 20): Promise<string> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    const r = await run(args);
    last = r.stdout;
    if (r.code === 0 && last === expected) return last;
  }
  return last;
}

/** The same kafka-configs session, whoever runs it: what it printed at every step. */
async function session(run: Runner, topic: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const t = ['--entity-type', 'topics', '--entity-name', topic];
  const dflt = ['--entity-type', 'brokers', '--entity-default'];
  const add = await run([
    ...t,
    '--alter',
    '--add-config',
    'retention.ms=5000,cleanup.policy=[compact,delete]',
  ]);
  out.add = `${add.code} ${add.stdout}`;
  out.describe = await describeUntil(
    run,
    [...t, '--describe'],
    `Dynamic configs for topic ${topic} are:\n` +
      '  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n' +
      '  retention.ms=5000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=5000}\n',
  );
  const remove = await run([...t, '--alter', '--delete-config', 'retention.ms']);
  out.remove = `${remove.code} ${remove.stdout}`;
  out.afterRemove = await describeUntil(
    run,
    [...t, '--describe'],
    `Dynamic configs for topic ${topic} are:\n` +
      '  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n',
  );
  const bad = await run([...t, '--alter', '--add-config', 'retention.ms=abc']);
  out.badValue = `${bad.code} ${/Invalid value abc for configuration retention\.ms: Not a number of type LONG/.test(bad.stdout + bad.stderr)}`;
  const unknownName = await run([...t, '--alter', '--add-config', 'retention.msec=1']);
  out.unknownName = `${unknownName.code} ${/Unknown topic config name: retention\.msec/.test(unknownName.stdout + unknownName.stderr)}`;
  const missing = await run([...t, '--alter', '--delete-config', 'flush.ms']);
  out.deleteUnset = `${missing.code} ${/Invalid config\(s\): flush\.ms/.test(missing.stdout + missing.stderr)}`;
  const none = await run(['--entity-type', 'topics', '--entity-name', `${topic}-none`, '--describe']);
  out.unknownTopic = `${none.code} ${none.stdout}`;
  const setDefault = await run([...dflt, '--alter', '--add-config', 'log.retention.ms=100000']);
  out.setDefault = `${setDefault.code} ${setDefault.stdout}`;
  out.describeDefault = await describeUntil(
    run,
    [...dflt, '--describe'],
    'Default configs for brokers in the cluster are:\n' +
      '  log.retention.ms=100000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=100000}\n' +
      '  min.insync.replicas=1 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=1}\n',
  );
  const setOwn = await run([
    '--entity-type',
    'brokers',
    '--entity-name',
    '0',
    '--alter',
    '--add-config',
    'log.message.timestamp.after.max.ms=5000',
  ]);
  out.setBroker = `${setOwn.code} ${setOwn.stdout}`;
  out.describeBroker = await describeUntil(
    run,
    ['--entity-type', 'brokers', '--entity-name', '0', '--describe'],
    'Dynamic configs for broker 0 are:\n' +
      '  log.message.timestamp.after.max.ms=5000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.message.timestamp.after.max.ms=5000, DEFAULT_CONFIG:log.message.timestamp.after.max.ms=3600000}\n',
  );
  const fixed = await run([
    '--entity-type',
    'brokers',
    '--entity-name',
    '0',
    '--alter',
    '--add-config',
    'num.partitions=3',
  ]);
  out.notDynamic = `${fixed.code} ${/Cannot update these configs dynamically: Set\(num\.partitions\)/.test(fixed.stdout + fixed.stderr)}`;
  // Leave the broker as found, so that the other session starts from the same state.
  await run([...dflt, '--alter', '--delete-config', 'log.retention.ms']);
  await run([
    '--entity-type',
    'brokers',
    '--entity-name',
    '0',
    '--alter',
    '--delete-config',
    'log.message.timestamp.after.max.ms',
  ]);
  return out;
}

function expected(topic: string): Record<string, string> {
  return {
    add: `0 Completed updating config for topic ${topic}.\n`,
    describe: `Dynamic configs for topic ${topic} are:\n  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n  retention.ms=5000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=5000}\n`,
    remove: `0 Completed updating config for topic ${topic}.\n`,
    afterRemove: `Dynamic configs for topic ${topic} are:\n  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n`,
    badValue: '1 true',
    unknownName: '1 true',
    deleteUnset: '1 true',
    unknownTopic: `0 The topic '${topic}-none' doesn't exist and doesn't have dynamic config.\n`,
    setDefault: '0 Completed updating default config for brokers in the cluster.\n',
    describeDefault:
      'Default configs for brokers in the cluster are:\n  log.retention.ms=100000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=100000}\n  min.insync.replicas=1 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=1}\n',
    setBroker: '0 Completed updating config for broker 0.\n',
    describeBroker:
      'Dynamic configs for broker 0 are:\n  log.message.timestamp.after.max.ms=5000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.message.timestamp.after.max.ms=5000, DEFAULT_CONFIG:log.message.timestamp.after.max.ms=3600000}\n',
    notDynamic: '1 true',
  };
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

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const r = await runCli(['topics', '--bootstrap-server', bootstrap, '--create', '--topic', topic]);
  expect(r.code, r.stderr).toBe(0);
}

describe('kafkalab configs', () => {
  it('against the emulator: the kafka-configs session', async () => {
    const bootstrap = `127.0.0.1:${emulator!.port}`;
    await createTopic(bootstrap, 'ours-emu');
    expect(await session(ours(bootstrap), 'ours-emu')).toEqual(expected('ours-emu'));
  }, 120_000);

  it.runIf(hasJava)(
    'against Kafka 4.1.1: the same session, the same output',
    async () => {
      await createTopic(kafka!.bootstrap, 'ours-real');
      expect(await session(ours(kafka!.bootstrap), 'ours-real')).toEqual(expected('ours-real'));
    },
    180_000,
  );
});

describe.runIf(hasJava)("Kafka's kafka-configs tool", () => {
  it('against the emulator: --alter --add-config, then --describe shows it (and every other step as on Kafka)', async () => {
    const bootstrap = `127.0.0.1:${emulator!.port}`;
    await createTopic(bootstrap, 'tool-emu');
    const first = await runKafkaTool('kafka-configs', [
      '--bootstrap-server',
      bootstrap,
      '--entity-type',
      'topics',
      '--entity-name',
      'tool-emu',
      '--describe',
    ]);
    expect(first.stdout, describeToolResult(first)).toBe('Dynamic configs for topic tool-emu are:\n');
    expect(await session(kafkas(bootstrap), 'tool-emu')).toEqual(expected('tool-emu'));
  }, 300_000);

  it('against Kafka 4.1.1: the same session answers the same', async () => {
    await createTopic(kafka!.bootstrap, 'tool-real');
    expect(await session(kafkas(kafka!.bootstrap), 'tool-real')).toEqual(expected('tool-real'));
  }, 300_000);
});
