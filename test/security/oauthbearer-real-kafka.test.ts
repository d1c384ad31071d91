// Issue 17 (OAUTHBEARER): the emulator against a real Apache Kafka 4.1.1 broker, both with a
// SASL_PLAINTEXT listener serving OAUTHBEARER with Kafka's unsecured validator (required scope
// `kafka`): the same 25 client first messages get the same answers, messages, session lifetimes
// and closes; kafkalab's client logs in to both with a token provider and with
// OAuthBearerLoginModule's options, and is refused the same way; Kafka's own kafka-topics with
// OAuthBearerLoginModule unsecuredLoginStringClaim_sub in --command-config works against both and
// fails the same way without the scope. Run under the JVM lock:
//   flock /tmp/kafkalab-jvm.lock npx vitest run test/security/oauthbearer-real-kafka.test.ts
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, AuthenticationError } from '../../src/client/index.js';
import type { ClientSecurity } from '../../src/client/security.js';
import { OAUTHBEARER_LOGIN_MODULE } from '../../src/protocol/sasl/oauthbearer.js';
import { runKafkaTool } from '../support/kafka-tools.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';
import { claims, jws, nowS, oauthCases, oauthExchange } from './oauthbearer-cases.js';

const JAAS = `${OAUTHBEARER_LOGIN_MODULE} required unsecuredLoginStringClaim_sub="broker" unsecuredValidatorRequiredScope="kafka";`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A SASL_PLAINTEXT listener added to kafka.sh's broker: its server.properties (next to the log)
 * gets the listener settings, a later key winning in Java, then a restart reads them.
 */
async function addOAuthListener(kafka: RealKafka): Promise<string> {
  const props = join(dirname(kafka.logFile), 'server.properties');
  const text = await readFile(props, 'utf8');
  const m = /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+),CONTROLLER:\/\/127\.0\.0\.1:(\d+)$/m.exec(text);
  if (!m) throw new Error(`kafka.sh's server.properties changed shape:\n${text}`);
  const port = await freePort();
  const listeners = `PLAINTEXT://127.0.0.1:${m[1]},CONTROLLER://127.0.0.1:${m[2]},SASL_PLAINTEXT://127.0.0.1:${port}`;
  await appendFile(
    props,
    [
      '# oauthbearer-real-kafka.test.ts',
      `listeners=${listeners}`,
      `advertised.listeners=${listeners}`,
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      'sasl.enabled.mechanisms=OAUTHBEARER',
      'connection.failed.authentication.delay.ms=0',
      `listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config=${JAAS}`,
      '',
    ].join('\n'),
  );
  await kafka.restart();
  return `127.0.0.1:${port}`;
}

let kafka: RealKafka | undefined;
let e: SecureEmulator | undefined;
let realSasl = '';
let dir = '';

beforeAll(async () => {
  [kafka, e] = await Promise.all([
    startRealKafka(),
    startSecureEmulator({
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'OAUTHBEARER',
      'connection.failed.authentication.delay.ms': '0',
      'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config': JAAS,
    }),
  ]);
  realSasl = await addOAuthListener(kafka);
  dir = await mkdtemp(join(tmpdir(), 'kafkalab-oauth-real-'));
}, 400_000);

afterAll(async () => {
  await e?.stop();
  await kafka?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

const targets = () => ({ emulator: (e as SecureEmulator).bootstrap, kafka: realSasl });

describe('OAUTHBEARER: the emulator and Kafka 4.1.1', () => {
  it('the same answers, messages, lifetimes and closes for 25 first messages', async () => {
    const run = async (bootstrap: string) => {
      const out: Record<string, unknown> = {};
      for (const [name, tokens] of oauthCases()) {
        const r = await oauthExchange(bootstrap, tokens);
        // Lifetimes to the minute: the two logins are a moment apart.
        out[name] = {
          ...r,
          answers: r.answers.map((a) => ({ ...a, lifetimeMs: Math.round(a.lifetimeMs / 60_000) })),
        };
      }
      return out;
    };
    const { emulator, kafka: real } = targets();
    const theirs = await run(real);
    const ours = await run(emulator);
    expect(ours).toEqual(theirs);
    // What was compared: a login of 60 min, a refusal after the JSON challenge, an unanswered close.
    expect(theirs.valid).toMatchObject({ answers: [{ errorCode: 0, lifetimeMs: 60 }], after: 'metadata ok' });
    expect(theirs['no scope']).toMatchObject({
      answers: [{ authBytes: '{"status":"insufficient_scope", "scope":"[kafka]"}' }, { errorCode: 58 }],
    });
    expect(theirs['no alg']).toEqual({ answers: [], after: 'closed' });
  }, 120_000);

  it("kafkalab's client: a token provider and OAuthBearerLoginModule options log in; an expired token is refused alike", async () => {
    const { emulator, kafka: real } = targets();
    const login = async (bootstrap: string, security: ClientSecurity) => {
      const admin = new Admin({ bootstrap, security, retry: { retries: 2 } });
      try {
        await admin.listTopics();
        return 'ok';
      } catch (err) {
        return err instanceof AuthenticationError
          ? `AuthenticationError: ${(err as Error).message.replace(bootstrap, 'BROKER')}`
          : `${(err as Error).message}`;
      } finally {
        await admin.close();
      }
    };
    const provider = (token: string): ClientSecurity => ({
      protocol: 'SASL_PLAINTEXT',
      sasl: { mechanism: 'OAUTHBEARER', tokenProvider: () => ({ token }) },
    });
    const unsecured: ClientSecurity = {
      protocol: 'SASL_PLAINTEXT',
      sasl: {
        mechanism: 'OAUTHBEARER',
        unsecuredLoginOptions: {
          unsecuredLoginStringClaim_sub: 'alice',
          unsecuredLoginListClaim_scope: ',kafka',
        },
      },
    };
    const expired = provider(jws({ alg: 'none' }, claims({ iat: nowS() - 99, exp: nowS() - 9 })));
    for (const bootstrap of [real, emulator]) {
      expect(await login(bootstrap, provider(jws({ alg: 'none' }, claims())))).toBe('ok');
      expect(await login(bootstrap, unsecured)).toBe('ok');
      expect(await login(bootstrap, expired)).toBe('AuthenticationError: BROKER: {"status":"invalid_token"}');
    }
  }, 120_000);

  it("Kafka's kafka-topics with OAuthBearerLoginModule in --command-config: the same output on both", async () => {
    const config = async (name: string, extra: string) => {
      const file = join(dir, `${name}.properties`);
      await writeFile(
        file,
        'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=OAUTHBEARER\n' +
          `sasl.jaas.config=${OAUTHBEARER_LOGIN_MODULE} required unsecuredLoginStringClaim_sub="alice" ${extra};\n`,
      );
      return file;
    };
    const good = await config('good', 'unsecuredLoginListClaim_scope=",kafka"');
    const noScope = await config('no-scope', '');
    const run = async (bootstrap: string) => {
      const create = await runKafkaTool(
        'kafka-topics',
        ['--bootstrap-server', bootstrap, '--command-config', good, '--create', '--topic', 'oauth-java'],
        { timeoutMs: 90_000 },
      );
      const list = await runKafkaTool(
        'kafka-topics',
        ['--bootstrap-server', bootstrap, '--command-config', good, '--list'],
        { timeoutMs: 90_000 },
      );
      const refused = await runKafkaTool(
        'kafka-topics',
        ['--bootstrap-server', bootstrap, '--command-config', noScope, '--list'],
        { timeoutMs: 90_000 },
      );
      const errorLine = (s: string) =>
        s.split('\n').find((l) => /SaslAuthenticationException|Error while executing/.test(l)) ?? s;
      return {
        create: [create.exitCode, create.stdout.trim()],
        list: [list.exitCode, list.stdout.trim()],
        refused: [refused.exitCode, errorLine(refused.stderr + refused.stdout)],
      };
    };
    const { emulator, kafka: real } = targets();
    const [theirs, ours] = [await run(real), await run(emulator)];
    expect(ours).toEqual(theirs);
    expect(theirs.create).toEqual([0, 'Created topic oauth-java.']);
    expect(theirs.list[0]).toBe(0);
    expect(theirs.list[1]).toContain('oauth-java');
    expect(theirs.refused[1]).toContain('{"status":"insufficient_scope", "scope":"[kafka]"}');
  }, 300_000);
});
