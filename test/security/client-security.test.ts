/**
 * kafkalab's own client over TLS and SASL against the emulator: PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512 over SASL_SSL (the server signature checked), a wrong password an AuthenticationError
 * at once (no retries), an untrusted certificate refused; and the CLI's --command-config security
 * keys as Kafka's tools take them, `kafkalab produce` / `consume` over SASL_SSL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSettings, parseProperties } from '../../src/cli/command-config.js';
import { Admin, AuthenticationError, Consumer, Producer } from '../../src/client/index.js';
import { runCli } from '../support/cli.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

let e: SecureEmulator;
let ca: string;
let dir: string;

beforeAll(async () => {
  e = await startSecureEmulator({
    listeners: 'SASL_SSL://127.0.0.1:0',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'sasl.users': 'alice:alice-secret',
    'connection.failed.authentication.delay.ms': '0',
  });
  ca = e.emulator.certificates?.ca.cert as string;
  dir = mkdtempSync(join(tmpdir(), 'kafkalab-client-security-'));
}, 30_000);

afterAll(async () => {
  await e?.stop();
});

describe('client over SASL_SSL', () => {
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    it(`${mechanism}: produce, consume back, admin`, async () => {
      const security = { tls: { ca }, sasl: { mechanism, username: 'alice', password: 'alice-secret' } };
      const topic = `client-${mechanism.toLowerCase()}`;
      const producer = new Producer({ bootstrap: e.bootstrap, security });
      await producer.send({ topic, messages: [{ value: `via ${mechanism}` }] });
      await producer.close();
      const consumer = new Consumer({
        bootstrap: e.bootstrap,
        security,
        groupId: `g-${mechanism}`,
        autoOffsetReset: 'earliest',
      });
      await consumer.subscribe([topic]);
      const got = await new Promise<string>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async (m) => {
              resolve(m.value?.toString() ?? '');
            },
          })
          .catch(reject);
      });
      await consumer.close();
      expect(got).toBe(`via ${mechanism}`);
      const admin = new Admin({ bootstrap: e.bootstrap, security });
      expect(await admin.listTopics()).toContain(topic);
      await admin.close();
      expect(e.trace.some((l) => l.includes('SASL login as User:alice'))).toBe(true);
    }, 60_000);
  }

  it('a wrong password is an AuthenticationError with the broker message, not retried', async () => {
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-512'] as const) {
      const before = e.trace.filter((l) => l.includes(' opened from ')).length;
      const admin = new Admin({
        bootstrap: e.bootstrap,
        retry: { retries: 5 },
        security: { tls: { ca }, sasl: { mechanism, username: 'alice', password: 'wrong' } },
      });
      const err = await admin.listTopics().catch((x: unknown) => x);
      await admin.close();
      expect(err).toBeInstanceOf(AuthenticationError);
      expect((err as Error).message).toMatch(
        mechanism === 'PLAIN'
          ? /Invalid username or password/
          : /Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512/,
      );
      // One connection, not one per retry.
      expect(e.trace.filter((l) => l.includes(' opened from ')).length - before).toBe(1);
    }
  });

  it('a broker certificate the client does not trust fails the TLS handshake', async () => {
    const admin = new Admin({
      bootstrap: e.bootstrap,
      retry: { retries: 0 },
      security: {
        protocol: 'SASL_SSL',
        sasl: { mechanism: 'PLAIN', username: 'alice', password: 'alice-secret' },
      },
    });
    await expect(admin.listTopics()).rejects.toThrow(/self-signed certificate|unable to verify|certificate/i);
    await admin.close();
  });
});

describe('--command-config security keys', () => {
  it('reads Kafka client.properties: SASL_SSL, SCRAM via sasl.jaas.config, PEM truststore', () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca);
    const s = clientSettings(
      'admin',
      parseProperties(
        [
          'security.protocol=SASL_SSL',
          'sasl.mechanism=SCRAM-SHA-512',
          'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
          '    username="alice" password="alice-secret";',
          'ssl.truststore.type=PEM',
          `ssl.truststore.location=${caFile}`,
          'ssl.endpoint.identification.algorithm=',
        ].join('\n'),
        'c.p',
      ),
    );
    expect(s.security).toEqual({
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'alice-secret' },
      tls: { ca, endpointIdentification: '' },
    });
  });

  it('refuses what it cannot honour, naming file and line', () => {
    const bad = (text: string) => () => clientSettings('admin', parseProperties(text, 'c.p'));
    expect(bad('security.protocol=SSL\nssl.truststore.location=/x.jks')).toThrow(
      /c\.p:2: ssl\.truststore\.location needs ssl\.truststore\.type=PEM/,
    );
    expect(bad('security.protocol=SASL_PLAINTEXT\nsasl.mechanism=GSSAPI')).toThrow(
      /c\.p:2: sasl\.mechanism=GSSAPI is not supported/,
    );
    expect(
      bad(
        'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="a" password="b";',
      ),
    ).toThrow(
      /c\.p:3: sasl\.mechanism=PLAIN logs in with org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule/,
    );
    expect(bad('security.protocol=SASL_SSL\nsasl.mechanism=PLAIN')).toThrow(/needs a user name and password/);
    expect(bad('security.protocol=TLS')).toThrow(/c\.p:1: security\.protocol must be one of/);
  });

  it('kafkalab produce and consume over SASL_SSL with --command-config', async () => {
    const caFile = join(dir, 'ca-cli.pem');
    writeFileSync(caFile, ca);
    const config = join(dir, 'client.properties');
    writeFileSync(
      config,
      [
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-256',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";',
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${caFile}`,
        '',
      ].join('\n'),
    );
    const p = await runCli(
      ['produce', '--bootstrap-server', e.bootstrap, '--topic', 'cli-sasl', '--command-config', config],
      { stdin: 'first\nsecond\n' },
    );
    expect(p.code, p.stderr).toBe(0);
    const c = await runCli([
      'consume',
      '--bootstrap-server',
      e.bootstrap,
      '--topic',
      'cli-sasl',
      '--from-beginning',
      '--max-messages',
      '2',
      '--command-config',
      config,
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toEqual(['first', 'second']);
  }, 60_000);
});
