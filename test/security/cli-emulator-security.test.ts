/**
 * `kafkalab emulator` secured from the command line as a Kafka user would: listeners and SASL by
 * their Kafka names through --override, users with --user, a throwaway CA written where kcat can
 * read it (no keystore given), one ready line per listener in Kafka's NAME://host:port form.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SpawnedEmulator, spawnEmulator } from '../emulator/support/spawn-emulator.js';
import { runCli, runProcess } from '../support/cli.js';

let emulator: SpawnedEmulator | undefined;
afterAll(async () => {
  await emulator?.stop();
});

describe('kafkalab emulator with listeners, SASL and TLS', () => {
  it('SASL_SSL + PLAINTEXT listeners, --user for PLAIN: kcat produces and consumes over SASL_SSL', async () => {
    emulator = await spawnEmulator([
      '--port',
      '0',
      '--override',
      'listeners=SASL_SSL://127.0.0.1:0,PLAINTEXT://127.0.0.1:0',
      '--override',
      'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256',
      '--user',
      'bob:bob-pw:PLAIN',
      '--user',
      'alice:alice-pw',
    ]);
    const out = emulator.stdout();
    const certs = /throwaway CA and certificates in (\S+) \(clients trust (\S+)\)/.exec(out);
    expect(certs, out).not.toBeNull();
    const caFile = certs?.[2] as string;
    expect(caFile).toBe(join(certs?.[1] as string, 'ca.pem'));
    const ready = await waitForLines(emulator, 2);
    expect(ready.map((l) => l.replace(/:\d+ /, ':PORT '))).toEqual([
      'kafkalab emulator listening on SASL_SSL://127.0.0.1:PORT (node 0)',
      'kafkalab emulator listening on PLAINTEXT://127.0.0.1:PORT (node 0)',
    ]);
    const port = /SASL_SSL:\/\/127\.0\.0\.1:(\d+)/.exec(ready[0])?.[1];
    const kcat = (args: string[], stdin = '', user = 'bob', password = 'bob-pw') =>
      runProcess(
        'kcat',
        [
          '-b',
          `127.0.0.1:${port}`,
          '-X',
          'security.protocol=SASL_SSL',
          '-X',
          `ssl.ca.location=${caFile}`,
          '-X',
          'sasl.mechanism=PLAIN',
          '-X',
          `sasl.username=${user}`,
          '-X',
          `sasl.password=${password}`,
          ...args,
        ],
        { stdin, timeoutMs: 30_000 },
      );
    const p = await kcat(['-P', '-t', 'cli-secure'], 'one\ntwo\nthree\n');
    expect(p.exitCode, p.stderr).toBe(0);
    const c = await kcat(['-C', '-t', 'cli-secure', '-e', '-q']);
    expect(c.exitCode, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toEqual(['one', 'two', 'three']);
    // alice:alice-pw (no mechanism) is a user of every enabled mechanism, PLAIN included.
    const a = await kcat(['-L', '-t', 'cli-secure'], '', 'alice', 'alice-pw');
    expect(a.exitCode, a.stderr).toBe(0);
    // bob is a PLAIN user only, with a wrong password refused by Kafka's PLAIN text.
    const bad = await kcat(['-L', '-m', '3'], '', 'bob', 'nope');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('Invalid username or password');
  }, 90_000);

  it('refuses --user without a SASL listener and bad security settings, naming them', async () => {
    const noListener = await runCli(['emulator', '--port', '0', '--user', 'a:b']);
    expect(noListener.code).toBe(1);
    expect(noListener.stderr).toContain('--user needs a SASL listener');
    const badAuth = await runCli([
      'emulator',
      '--port',
      '0',
      '--override',
      'listeners=SSL://127.0.0.1:0',
      '--override',
      'ssl.client.auth=maybe',
    ]);
    expect(badAuth.code).toBe(1);
    expect(badAuth.stderr).toContain('Invalid value maybe for configuration ssl.client.auth');
  }, 60_000);
});

/** The ready lines, once `n` of them have been printed (they are written one after the other). */
async function waitForLines(e: SpawnedEmulator, n: number): Promise<string[]> {
  const lines = () => e.stdout().match(/^kafkalab emulator listening on .*$/gm) ?? [];
  if (lines().length < n)
    await new Promise<void>((resolve) => {
      const on = () => {
        if (lines().length < n) return;
        e.child.stdout.off('data', on);
        resolve();
      };
      e.child.stdout.on('data', on);
    });
  return lines();
}
