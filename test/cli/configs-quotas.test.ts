// kafkalab configs --entity-type users|clients (client quotas) and Kafka 4.1.1's kafka-configs, each
// against the emulator with the same commands: the same text at every step (set, describe, default
// entity, delete). Kafka's tool talks AlterClientQuotas / DescribeClientQuotas to the emulator here.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { runKafkaTool } from '../support/kafka-tools.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

const STEPS: string[][] = [
  [
    '--alter',
    '--entity-type',
    'clients',
    '--entity-name',
    'app',
    '--add-config',
    'producer_byte_rate=1024,consumer_byte_rate=2048',
  ],
  ['--alter', '--entity-type', 'users', '--entity-default', '--add-config', 'request_percentage=12.5'],
  ['--describe', '--entity-type', 'clients', '--entity-name', 'app'],
  ['--describe', '--entity-type', 'users', '--entity-default'],
  ['--alter', '--entity-type', 'clients', '--entity-name', 'app', '--delete-config', 'producer_byte_rate'],
  ['--describe', '--entity-type', 'clients', '--entity-name', 'app'],
];

const EXPECTED = [
  'Completed updating config for client app.\n',
  'Completed updating default config for users in the cluster.\n',
  "Quota configs for client-id 'app' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0\n",
  'Quota configs for the default user-principal are request_percentage=12.5\n',
  'Completed updating config for client app.\n',
  "Quota configs for client-id 'app' are consumer_byte_rate=2048.0\n",
];

let emulators: Emulator[] = [];
afterAll(async () => {
  for (const e of emulators) await e.stop();
  emulators = [];
});
const fresh = async () => {
  const e = await startEmulator({ port: 0 });
  emulators.push(e);
  return `127.0.0.1:${e.port}`;
};

describe('configs --entity-type users|clients', () => {
  let ours: string[] = [];
  beforeAll(async () => {
    const b = await fresh();
    ours = [];
    for (const s of STEPS) {
      const r = await runCli(['configs', '--bootstrap-server', b, ...s]);
      ours.push(r.stdout || `exit ${r.code}: ${r.stderr}`);
    }
  }, 120_000);

  it('kafkalab prints what kafka-configs prints', () => {
    expect(ours).toEqual(EXPECTED);
  });

  it.runIf(hasJava)(
    "Kafka's kafka-configs against the emulator prints the same",
    async () => {
      const b = await fresh();
      const theirs: string[] = [];
      for (const s of STEPS)
        theirs.push(
          (await runKafkaTool('kafka-configs', ['--bootstrap-server', b, ...s], { timeoutMs: 60_000 }))
            .stdout,
        );
      expect(theirs).toEqual(EXPECTED);
    },
    300_000,
  );
});
