/**
 * SCRAM users managed over the wire (KIP-554) on an emulator with a PLAINTEXT listener (for the admin)
 * and a SASL_PLAINTEXT one: `kafkalab configs --entity-type users` adds, describes and deletes a
 * credential as kafka-configs does, and Kafka 4.1.1's kafka-configs against the emulator prints the
 * same at every step; a credential added this way logs in at once (SCRAM-SHA-256 and -512), a wrong
 * password does not, and after the delete the user cannot log in any more.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, Producer } from '../../src/client/index.js';
import { runCli } from '../support/cli.js';
import { runKafkaTool } from '../support/kafka-tools.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

const STEPS: string[][] = [
  [
    '--alter',
    '--entity-type',
    'users',
    '--entity-name',
    'bob',
    '--add-config',
    'SCRAM-SHA-256=[iterations=8192,password=bob-secret]',
  ],
  // One mechanism per request: Kafka keys a request's changes by user, so two for one user in one
  // request are refused as DUPLICATE_RESOURCE (kafka-configs fails the same way).
  [
    '--alter',
    '--entity-type',
    'users',
    '--entity-name',
    'bob',
    '--add-config',
    'SCRAM-SHA-512=[password=bob-512]',
  ],
  ['--describe', '--entity-type', 'users', '--entity-name', 'bob'],
  ['--describe', '--entity-type', 'users'],
  ['--alter', '--entity-type', 'users', '--entity-name', 'bob', '--delete-config', 'SCRAM-SHA-512'],
  ['--describe', '--entity-type', 'users', '--entity-name', 'bob'],
  ['--describe', '--entity-type', 'users', '--entity-name', 'nobody'],
];

const EXPECTED = [
  'Completed updating config for user bob.\n',
  'Completed updating config for user bob.\n',
  "SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n",
  // Every user (alice came from sasl.users at start), in the broker's HashMap order: bob's bucket first.
  "SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n" +
    "SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=4096, SCRAM-SHA-512=iterations=4096\n",
  'Completed updating config for user bob.\n',
  "SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-256=iterations=8192\n",
  '',
];

const emulators: SecureEmulator[] = [];
afterAll(async () => {
  for (const e of emulators) await e.stop();
});

async function fresh(): Promise<{ admin: string; sasl: string }> {
  const e = await startSecureEmulator({
    listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
    'sasl.users': 'alice:alice-secret',
    'connection.failed.authentication.delay.ms': '0',
  });
  emulators.push(e);
  const at = (name: string) => e.emulator.endpoints.find((p) => p.listener === name)!;
  const [admin, sasl] = [at('PLAINTEXT'), at('SASL_PLAINTEXT')].map((p) => `${p.host}:${p.port}`);
  return { admin: admin!, sasl: sasl! };
}

const login = async (bootstrap: string, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string) => {
  const producer = new Producer({
    bootstrap,
    security: { protocol: 'SASL_PLAINTEXT', sasl: { mechanism, username: 'bob', password } },
    // A login is never retried; the retries are for the topic this first send creates (its
    // first Metadata answers UNKNOWN_TOPIC_OR_PARTITION, as a KRaft Kafka does).
    retry: { retries: 5, initialBackoffMs: 10, maxBackoffMs: 50 },
  });
  try {
    await producer.send({ topic: 'scram-users', messages: [{ value: mechanism }] });
    return 'ok';
  } catch (err) {
    return err instanceof AuthenticationError ? 'refused' : `error: ${(err as Error).message}`;
  } finally {
    await producer.close();
  }
};

describe('configs --entity-type users: SCRAM credentials', () => {
  let b: { admin: string; sasl: string };
  const ours: string[] = [];
  const logins: string[] = [];
  beforeAll(async () => {
    b = await fresh();
    for (const [i, s] of STEPS.entries()) {
      const r = await runCli(['configs', '--bootstrap-server', b.admin, ...s]);
      ours.push(r.code === 0 ? r.stdout : `exit ${r.code}: ${r.stderr}`);
      if (i === 1) {
        logins.push(await login(b.sasl, 'SCRAM-SHA-256', 'bob-secret'));
        logins.push(await login(b.sasl, 'SCRAM-SHA-512', 'bob-512'));
        logins.push(await login(b.sasl, 'SCRAM-SHA-256', 'bob-512'));
      }
      if (i === 4) logins.push(await login(b.sasl, 'SCRAM-SHA-512', 'bob-512'));
    }
  }, 120_000);

  it('kafkalab prints what kafka-configs prints', () => {
    expect(ours).toEqual(EXPECTED);
  });

  it('a credential added over the wire logs in at once; a wrong or deleted one does not', () => {
    expect(logins).toEqual(['ok', 'ok', 'refused', 'refused']);
  });

  it('refusals name what is wrong, as kafka-configs does', async () => {
    const few = await runCli([
      'configs',
      '--bootstrap-server',
      b.admin,
      ...['--alter', '--entity-type', 'users', '--entity-name', 'x'],
      ...['--add-config', 'SCRAM-SHA-256=[iterations=100,password=p]'],
    ]);
    expect(few.code).not.toBe(0);
    expect(few.stderr).toContain('Iterations 100 is less than the minimum 4096 required for SCRAM-SHA-256');
    const mixed = await runCli([
      'configs',
      '--bootstrap-server',
      b.admin,
      ...['--alter', '--entity-type', 'users', '--entity-name', 'x'],
      ...['--add-config', 'SCRAM-SHA-256=[password=p],producer_byte_rate=10'],
    ]);
    expect(mixed.stderr).toContain(
      "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.",
    );
    const missing = await runCli([
      'configs',
      '--bootstrap-server',
      b.admin,
      ...['--alter', '--entity-type', 'users', '--entity-name', 'nobody', '--delete-config', 'SCRAM-SHA-256'],
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Attempt to delete a user credential that does not exist');
  });

  it.runIf(hasJava)(
    "Kafka's kafka-configs against the emulator prints the same",
    async () => {
      const other = await fresh();
      const theirs: string[] = [];
      for (const s of STEPS)
        theirs.push(
          (
            await runKafkaTool('kafka-configs', ['--bootstrap-server', other.admin, ...s], {
              timeoutMs: 60_000,
            })
          ).stdout,
        );
      expect(theirs).toEqual(EXPECTED);
    },
    300_000,
  );
});
