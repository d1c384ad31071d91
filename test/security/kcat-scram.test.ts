/**
 * kcat (librdkafka) logging in with SCRAM-SHA-256 and SCRAM-SHA-512 over SASL_SSL, producing and
 * consuming through the emulator.
 *
 * librdkafka before 2.6.1 (confluentinc/librdkafka#4895; Debian's kcat links 2.0.x) sends its own
 * nonce again in front of the server's in the client-final-message. Kafka 4.x refuses that
 * ("Invalid client nonce in the final client message.", ScramSaslServer compares with equals, read
 * from the 4.1.1 jar), and so does the emulator by default; `sasl.scram.nonce.check=endsWith`
 * accepts it as Kafka 3.8.1-3.9 did. With a fixed librdkafka both settings log in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/cli.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

let librdkafka: [number, number, number];
const started: SecureEmulator[] = [];

beforeAll(async () => {
  const v = await runProcess('kcat', ['-V'], { timeoutMs: 10_000 });
  const m = /librdkafka (\d+)\.(\d+)\.(\d+)/.exec(v.stdout + v.stderr);
  if (!m) throw new Error(`cannot read librdkafka's version from kcat -V: ${v.stdout}${v.stderr}`);
  librdkafka = [Number(m[1]), Number(m[2]), Number(m[3])];
}, 30_000);

afterAll(async () => {
  await Promise.all(started.map((e) => e.stop()));
});

/** Whether this librdkafka sends the final nonce as RFC 5802 says (fixed in 2.6.1). */
function sendsRfcNonce(): boolean {
  const [a, b, c] = librdkafka;
  return a > 2 || (a === 2 && (b > 6 || (b === 6 && c >= 1)));
}

async function emulator(nonceCheck?: 'equals' | 'endsWith'): Promise<SecureEmulator> {
  const e = await startSecureEmulator({
    listeners: 'SASL_SSL://127.0.0.1:0',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512,SCRAM-SHA-256',
    'sasl.users': 'alice:alice-secret',
    'connection.failed.authentication.delay.ms': '0',
    ...(nonceCheck ? { 'sasl.scram.nonce.check': nonceCheck } : {}),
  });
  started.push(e);
  return e;
}

function kcat(e: SecureEmulator, mechanism: string, args: string[], stdin = '') {
  return runProcess(
    'kcat',
    [
      '-b',
      e.bootstrap,
      '-X',
      'security.protocol=SASL_SSL',
      '-X',
      `ssl.ca.location=${e.caFile}`,
      '-X',
      `sasl.mechanism=${mechanism}`,
      '-X',
      'sasl.username=alice',
      '-X',
      'sasl.password=alice-secret',
      ...args,
    ],
    { stdin, timeoutMs: 30_000 },
  );
}

describe('kcat with SCRAM over SASL_SSL', () => {
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
    it(`${mechanism}: produces and consumes back (sasl.scram.nonce.check=endsWith)`, async () => {
      const e = await emulator('endsWith');
      const topic = `kcat-${mechanism.toLowerCase()}`;
      const lines = Array.from({ length: 20 }, (_, i) => `k${i}:${mechanism} message ${i}`);
      const p = await kcat(e, mechanism, ['-P', '-t', topic, '-K', ':'], `${lines.join('\n')}\n`);
      expect(p.exitCode, p.stderr).toBe(0);
      const c = await kcat(e, mechanism, ['-C', '-t', topic, '-e', '-q', '-f', '%k:%s\\n']);
      expect(c.exitCode, c.stderr).toBe(0);
      expect(c.stdout.trim().split('\n')).toEqual(lines);
      expect(e.trace.some((l) => l.includes('SASL login as User:alice'))).toBe(true);
    }, 60_000);
  }

  it('by default (as Kafka 4.x) the final nonce must equal the server-first one', async () => {
    const e = await emulator();
    const r = await kcat(e, 'SCRAM-SHA-512', ['-L', '-m', '5']);
    if (sendsRfcNonce()) {
      expect(r.exitCode, r.stderr).toBe(0);
      return;
    }
    expect(r.exitCode).not.toBe(0);
    // librdkafka shows Kafka's standard text; the emulator's trace says what was wrong.
    expect(r.stderr).toContain(
      'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    );
    expect(
      e.trace.some(
        (l) =>
          l.includes('Invalid client nonce in the final client message.') &&
          l.includes('as librdkafka before 2.6.1 does'),
      ),
    ).toBe(true);
  }, 60_000);
});
