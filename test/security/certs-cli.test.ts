/**
 * `kafkalab certs --out DIR` writes what a TLS test suite needs, and it works as printed: the
 * emulator's SSL listener on the broker keystore with ssl.client.auth=required, kcat with the client
 * certificate produces and consumes; kcat without one is refused in the TLS handshake.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SpawnedEmulator, spawnEmulator } from '../emulator/support/spawn-emulator.js';
import { runCli, runProcess } from '../support/cli.js';

let emulator: SpawnedEmulator | undefined;
afterAll(async () => {
  await emulator?.stop();
});

describe('kafkalab certs', () => {
  it('writes CA, broker and client PEMs that an mTLS listener and kcat use', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kafkalab-certs-test-')), 'certs');
    const r = await runCli(['certs', '--out', dir, '--client-name', 'test-suite']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote a CA, a broker and a client certificate to ${dir}`);
    const f = (name: string) => join(dir, name);
    for (const name of ['ca.pem', 'broker.pem', 'client.pem'])
      expect(readFileSync(f(name), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(readFileSync(f('broker-keystore.pem'), 'utf8').match(/-----BEGIN [A-Z ]+-----/g)).toEqual([
      '-----BEGIN PRIVATE KEY-----',
      '-----BEGIN CERTIFICATE-----',
      '-----BEGIN CERTIFICATE-----',
    ]);
    // Keys are the owner's only.
    for (const name of ['ca-key.pem', 'broker-key.pem', 'client-key.pem', 'broker-keystore.pem'])
      expect(statSync(f(name)).mode & 0o077).toBe(0);
    // The subject of the client certificate is the name asked for.
    const subject = await runProcess('openssl', ['x509', '-noout', '-subject', '-in', f('client.pem')], {
      timeoutMs: 10_000,
    });
    expect(subject.stdout).toMatch(/CN ?= ?test-suite/);
    const verify = await runProcess(
      'openssl',
      ['verify', '-CAfile', f('ca.pem'), f('broker.pem'), f('client.pem')],
      {
        timeoutMs: 10_000,
      },
    );
    expect(verify.stdout, verify.stderr).toMatch(/broker\.pem: OK[\s\S]*client\.pem: OK/);

    emulator = await spawnEmulator([
      '--port',
      '0',
      '--override',
      'listeners=SSL://127.0.0.1:0',
      '--override',
      'ssl.keystore.type=PEM',
      '--override',
      `ssl.keystore.location=${f('broker-keystore.pem')}`,
      '--override',
      'ssl.client.auth=required',
      '--override',
      `ssl.truststore.location=${f('ca.pem')}`,
    ]);
    expect(emulator.stdout()).not.toContain('throwaway');
    const port = emulator.port;
    const kcat = (args: string[], withClientCert: boolean, stdin = '') =>
      runProcess(
        'kcat',
        [
          '-b',
          `127.0.0.1:${port}`,
          '-X',
          'security.protocol=SSL',
          '-X',
          `ssl.ca.location=${f('ca.pem')}`,
          ...(withClientCert
            ? [
                '-X',
                `ssl.certificate.location=${f('client.pem')}`,
                '-X',
                `ssl.key.location=${f('client-key.pem')}`,
              ]
            : []),
          ...args,
        ],
        { stdin, timeoutMs: 30_000 },
      );
    const p = await kcat(['-P', '-t', 'mtls'], true, 'a\nb\n');
    expect(p.exitCode, p.stderr).toBe(0);
    const c = await kcat(['-C', '-t', 'mtls', '-e', '-q'], true);
    expect(c.exitCode, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toEqual(['a', 'b']);
    const refused = await kcat(['-L', '-m', '3'], false);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/SSL handshake failed|certificate required|alert/i);
  }, 90_000);
});
