// TLS on the proxy's own listeners (`--listener-ssl`, startProxy({ listenerTls })): a client set up
// for a secured cluster (security.protocol=SSL) talks TLS to the proxy, which decodes and forwards
// to a plaintext broker — the bootstrap listener and the per-broker ones alike. kafkalab's client
// through startProxy, and librdkafka (kcat) through `kafkalab proxy --listener-ssl`, which makes a
// throwaway CA for the clients to trust. Every wait is bounded.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/producer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { generateTestCertificates } from '../../src/emulator/security/certs.js';
import { startProxy } from '../../src/proxy/index.js';
import { CLI_MAIN, ROOT, runProcess } from '../support/cli.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    brokers: 2,
    topics: [
      { name: 'tls-api', partitions: 2 },
      { name: 'tls-kcat', partitions: 2 },
    ],
  });
});
afterAll(async () => {
  await emulator?.stop();
});

describe('proxy listeners with TLS', () => {
  it('kafkalab over SSL through startProxy({ listenerTls }): produce and consume across both brokers', async () => {
    const certs = await generateTestCertificates();
    const proxy = await startProxy({
      upstream: emulator.bootstrap,
      listenerTls: { cert: certs.broker.cert, key: certs.broker.key },
      keepExchanges: true,
    });
    const security = { protocol: 'SSL' as const, tls: { ca: certs.ca.cert } };
    const producer = new Producer({ bootstrap: proxy.bootstrap, security });
    const consumer = new Consumer({
      bootstrap: proxy.bootstrap,
      security,
      groupId: 'tls-g',
      autoOffsetReset: 'earliest',
    });
    try {
      for (let p = 0; p < 2; p++)
        await producer.send({ topic: 'tls-api', messages: [{ value: `v${p}`, partition: p }] });
      consumer.subscribe('tls-api');
      const seen: string[] = [];
      for await (const r of consumer) {
        seen.push(r.value!.toString());
        if (seen.length === 2) break;
      }
      expect(seen.sort()).toEqual(['v0', 'v1']);
      // A listener per broker besides the bootstrap one, all of them TLS (nothing else connects).
      expect(proxy.listeners().filter((l) => l.nodeId !== undefined).length).toBe(2);
      expect(proxy.exchanges.some((x) => x.api?.name === 'Produce')).toBe(true);
    } finally {
      await Promise.all([producer.close(), consumer.close()]);
      await proxy.stop();
    }
  });

  it('a plaintext client is refused at the TLS handshake; the proxy keeps serving', async () => {
    const certs = await generateTestCertificates();
    const warnings: string[] = [];
    const proxy = await startProxy({
      upstream: emulator.bootstrap,
      listenerTls: { cert: certs.broker.cert, key: certs.broker.key },
      warn: (l) => warnings.push(l),
    });
    try {
      const [host, port] = proxy.bootstrap.split(':');
      const plain = new Connection({ host: host as string, port: Number(port), requestTimeoutMs: 5000 });
      await expect(plain.connect()).rejects.toThrow(/closed by the broker|ECONNRESET|timed out/);
      await plain.close();
      const ok = new Producer({
        bootstrap: proxy.bootstrap,
        security: { protocol: 'SSL', tls: { ca: certs.ca.cert } },
      });
      await ok.send({ topic: 'tls-api', messages: [{ value: 'after' }] });
      await ok.close();
      expect(warnings.some((w) => w.includes('TLS handshake failed'))).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('kcat (librdkafka) with security.protocol=ssl through `kafkalab proxy --listener-ssl`', async () => {
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      [CLI_MAIN, 'proxy', '--upstream', emulator.bootstrap, '--listener-ssl'],
      { cwd: ROOT },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    try {
      const { bootstrap, caFile } = await new Promise<{ bootstrap: string; caFile: string }>(
        (resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no listening line within 30 s: ${out}`)), 30_000);
          child.stdout.on('data', () => {
            const ready = /^kafkalab proxy listening on SSL:\/\/(\S+) → /m.exec(out);
            const ca = /clients trust (\S+ca\.pem)\)/.exec(out);
            if (!ready || !ca) return;
            clearTimeout(timer);
            resolve({ bootstrap: ready[1], caFile: ca[1] });
          });
        },
      );
      const kcat = (args: string[], stdin = '') =>
        runProcess(
          'kcat',
          ['-b', bootstrap, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${caFile}`, ...args],
          { stdin, timeoutMs: 30_000 },
        );
      const produced = await kcat(['-P', '-t', 'tls-kcat', '-K', ':'], 'a:1\nb:2\nc:3\n');
      expect(produced.exitCode, produced.stderr).toBe(0);
      const consumed = await kcat(['-C', '-t', 'tls-kcat', '-e', '-q', '-f', '%k=%s\\n']);
      expect(consumed.exitCode, consumed.stderr).toBe(0);
      expect(consumed.stdout.trim().split('\n').sort()).toEqual(['a=1', 'b=2', 'c=3']);
      expect(join(caFile, '..')).toContain('kafkalab-proxy-certs-');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
