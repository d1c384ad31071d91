/**
 * The decoding proxy in front of a secured broker (issue 17): the emulator with a SASL_SSL listener,
 * the proxy reaching it with TLS (the emulator's throwaway CA) and a SCRAM login of its own, and
 * kafkajs connecting to the proxy with PLAINTEXT — every frame after the login visible in the trace.
 * A wrong password closes the client's connection with the broker's reason in a warning; with TLS
 * only, a client's own SASL login passes through, its password masked in everything the proxy shows.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../../src/client/index.js';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { type KafkaProxy, startProxy } from '../../src/proxy/index.js';
import { type SecureEmulator, startSecureEmulator } from '../security/harness.js';
import { runCli } from '../support/cli.js';

const PASSWORD = 'alice-secret-7f3';
let e: SecureEmulator;
let ca: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  e = await startSecureEmulator({
    listeners: 'SASL_SSL://127.0.0.1:0',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
    'sasl.users': `alice:${PASSWORD}`,
    'connection.failed.authentication.delay.ms': '0',
  });
  ca = e.emulator.certificates?.ca.cert as string;
}, 30_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await e?.stop();
});

async function proxyWith(upstreamSecurity: Parameters<typeof startProxy>[0]['upstreamSecurity']) {
  const trace: string[] = [];
  const warnings: string[] = [];
  const records: string[] = [];
  const proxy = await startProxy({
    upstream: e.bootstrap,
    upstreamSecurity,
    keepExchanges: true,
    trace: (l) => trace.push(l),
    warn: (l) => warnings.push(l),
    recordLine: (l) => records.push(l),
  });
  stops.push(() => proxy.stop());
  return { proxy, trace, warnings, records };
}

/** Everything the proxy showed of the conversation, as text (frames as latin1 and hex). */
function shown(p: { proxy: KafkaProxy; trace: string[]; records: string[] }): string {
  const frames = p.proxy.exchanges.flatMap((x) => [x.request.raw, ...(x.response ? [x.response.raw] : [])]);
  return [
    ...p.trace,
    ...p.records,
    ...frames.map((f) => f.toString('latin1')),
    ...frames.map((f) => f.toString('hex')),
  ].join('\n');
}

describe('proxy → SASL_SSL broker', () => {
  it('logs in itself (SCRAM-SHA-256 over TLS): kafkajs with PLAINTEXT produces and consumes through it', async () => {
    const p = await proxyWith({
      tls: { ca },
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice', password: PASSWORD },
    });
    const kafka = new Kafka({
      clientId: 'plain-client',
      brokers: [p.proxy.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const sent = ['one', 'two', 'three'].map((value, i) => ({ key: `k${i}`, value }));
    await producer.send({ topic: 'proxied-secure', acks: -1, messages: sent });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'proxied-secure-g', sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'proxied-secure', fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            got.push(String(message.value));
            if (got.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(got.sort()).toEqual(['one', 'three', 'two']);

    // Each upstream connection logged in before the client's first frame went through.
    const logins = p.trace.filter((l) => /logged in to 127\.0\.0\.1:\d+ as alice \(SCRAM-SHA-256\)/.test(l));
    expect(logins.length).toBeGreaterThanOrEqual(2); // the bootstrap listener and the broker's
    const apis = new Set(p.proxy.exchanges.map((x) => x.api?.name));
    for (const api of ['ApiVersions', 'Metadata', 'Produce', 'Fetch', 'JoinGroup'])
      expect(apis).toContain(api);
    // The proxy's own login is not among the client's exchanges, and no client frame was refused.
    expect(apis).not.toContain('SaslAuthenticate');
    expect(p.proxy.exchanges.every((x) => x.outcome !== 'closed')).toBe(true);
    expect(shown(p)).not.toContain(PASSWORD);
    expect(p.warnings).toEqual([]);
  });

  it('a refused login closes the client connection, and the warning says why', async () => {
    const p = await proxyWith({
      tls: { ca },
      sasl: { mechanism: 'PLAIN', username: 'alice', password: 'wrong' },
    });
    const [host, port] = p.proxy.bootstrap.split(':');
    const socket = connect({ host, port: Number(port) });
    await once(socket, 'connect');
    let answered = 0;
    socket.on('data', (d) => {
      answered += d.length;
    });
    socket.write(
      encodeRequestFrame({
        api: ApiVersions,
        version: 3,
        correlationId: 1,
        clientId: 'c',
        body: { clientSoftwareName: 'test', clientSoftwareVersion: '1' },
      } as never),
    );
    await once(socket, 'close');
    expect(answered).toBe(0);
    expect(p.warnings.join('\n')).toMatch(/upstream 127\.0\.0\.1:\d+: .*Authentication failed/i);
    expect(p.warnings.join('\n')).not.toContain(PASSWORD);
  });

  it('with TLS only, a client that logs in itself is forwarded, and its password is masked in all the proxy shows', async () => {
    const p = await proxyWith({ protocol: 'SSL', tls: { ca } });
    const producer = new Producer({
      bootstrap: p.proxy.bootstrap,
      security: {
        protocol: 'SASL_PLAINTEXT',
        sasl: { mechanism: 'PLAIN', username: 'alice', password: PASSWORD },
      },
    });
    await producer.send({ topic: 'proxied-own-login', messages: [{ value: 'mine' }] });
    await producer.close();
    const auth = p.proxy.exchanges.filter((x) => x.api?.name === 'SaslAuthenticate');
    expect(auth.length).toBeGreaterThanOrEqual(1);
    // The user name stays (a learner can see who logged in); the password is stars of its length.
    const token = (auth[0]!.request.body as { authBytes: Buffer }).authBytes.toString('latin1');
    expect(token).toBe(`\0alice\0${'*'.repeat(PASSWORD.length)}`);
    expect(auth.every((x) => x.response && x.outcome === 'response')).toBe(true);
    expect(shown(p)).not.toContain(PASSWORD);
    expect(p.proxy.exchanges.map((x) => x.api?.name)).toContain('Produce');
  });

  it('kafkalab proxy --command-config refuses a key that is not a security setting, naming file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkalab-proxy-config-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'client.properties');
    writeFileSync(file, 'security.protocol=SASL_SSL\nacks=all\n');
    const r = await runCli(['proxy', '--upstream', e.bootstrap, '--command-config', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${file}:2: the proxy takes only security settings from --command-config`);
    expect(r.stderr).toContain('not "acks"');
  });
});
