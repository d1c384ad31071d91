// Apache Kafka's own console producer and consumer (4.1.1 jars) against the emulator's SASL_SSL
// listener, configured the way a managed cluster asks for it: security.protocol=SASL_SSL, a PEM
// truststore with the emulator's throwaway CA, and sasl.jaas.config with PLAIN or SCRAM-SHA-512. The
// records go in and come back out; a wrong password is refused with Kafka's own error. Run under the
// JVM lock when run alone: flock /tmp/kafkalab-jvm.lock npx vitest run test/security/java-sasl-ssl.test.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeToolResult, kafkaToolsEnv, runKafkaTool } from '../support/kafka-tools.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

let e: SecureEmulator;
let dir: string;

beforeAll(async () => {
  await kafkaToolsEnv(); // fetches the jars once on a bare machine
  e = await startSecureEmulator(
    {
      listeners: 'SASL_SSL://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512',
      'sasl.users': 'alice:alice-secret',
      'connection.failed.authentication.delay.ms': '0',
    },
    {
      topics: ['PLAIN', 'SCRAM-SHA-512', 'refused'].map((m) => ({
        name: `java-sasl-ssl-${m}`,
        partitions: 2,
      })),
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'kafkalab-java-sasl-ssl-'));
}, 900_000);

afterAll(async () => {
  await e?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const LOGIN_MODULES = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
} as const;

function clientConfig(mechanism: keyof typeof LOGIN_MODULES, password: string): string {
  const file = join(dir, `${mechanism}-${password}.properties`);
  writeFileSync(
    file,
    [
      'security.protocol=SASL_SSL',
      `sasl.mechanism=${mechanism}`,
      `sasl.jaas.config=${LOGIN_MODULES[mechanism]} required username="alice" password="${password}";`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${e.caFile}`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('Kafka console clients over SASL_SSL', () => {
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-512'] as const) {
    it(`${mechanism}: kafka-console-producer writes, kafka-console-consumer reads it back`, async () => {
      const config = clientConfig(mechanism, 'alice-secret');
      const values = [1, 2, 3].map((i) => `${mechanism}-${i}`);
      const produced = await runKafkaTool(
        'kafka-console-producer',
        [
          '--bootstrap-server',
          e.bootstrap,
          '--topic',
          `java-sasl-ssl-${mechanism}`,
          '--producer.config',
          config,
        ],
        { stdin: `${values.join('\n')}\n` },
      );
      expect(produced.exitCode, describeToolResult(produced)).toBe(0);
      const consumed = await runKafkaTool('kafka-console-consumer', [
        '--bootstrap-server',
        e.bootstrap,
        '--topic',
        `java-sasl-ssl-${mechanism}`,
        '--from-beginning',
        '--max-messages',
        '3',
        '--consumer.config',
        config,
        '--group',
        `java-sasl-ssl-${mechanism}`,
        '--timeout-ms',
        '20000',
      ]);
      const got = consumed.stdout.split('\n').filter((l) => l.startsWith(mechanism));
      expect(got.sort(), describeToolResult(consumed)).toEqual(values.sort());
    }, 180_000);
  }

  it('a wrong password: the producer stops with Kafka’s SaslAuthenticationException', async () => {
    const config = clientConfig('SCRAM-SHA-512', 'wrong');
    const r = await runKafkaTool(
      'kafka-console-producer',
      ['--bootstrap-server', e.bootstrap, '--topic', 'java-sasl-ssl-refused', '--producer.config', config],
      { stdin: 'never\n', timeoutMs: 60_000 },
    );
    expect(`${r.stdout}${r.stderr}`).toContain('SaslAuthenticationException');
    expect(`${r.stdout}${r.stderr}`).toContain(
      'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
  }, 180_000);
});
