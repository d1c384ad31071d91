/**
 * startEmulator({ security }) with Kafka's listener settings: several listeners per broker, each
 * with its own security protocol, and Metadata answering each client with the addresses of the
 * listener it came in on (advertised.listeners per listener, as Kafka does). An SSL listener without
 * a keystore gets a throwaway CA-signed certificate. The trace, --explain and --record never hold a
 * password or a SCRAM proof.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

const started: SecureEmulator[] = [];
afterAll(async () => {
  await Promise.all(started.map((e) => e.stop()));
});

async function secure(security: Record<string, string>, options = {}) {
  const e = await startSecureEmulator(security, options);
  started.push(e);
  return e;
}

function kafkajs(
  brokers: string[],
  o: { ca?: string; sasl?: { mechanism: string; username: string; password: string } } = {},
) {
  return new Kafka({
    brokers,
    clientId: 'listeners-test',
    ssl: o.ca ? { ca: [o.ca] } : undefined,
    sasl: o.sasl as never,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 5_000,
  });
}

const address = (b: { host: string; port: number }) => `${b.host}:${b.port}`;

describe('listeners by Kafka names', () => {
  it('2 brokers × PLAINTEXT + SASL_SSL: each client is told the addresses of its own listener', async () => {
    const e = await secure(
      {
        listeners: 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
        'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
        'sasl.users': 'alice:alice-secret',
        'connection.failed.authentication.delay.ms': '0',
      },
      { brokers: 2, topics: [{ name: 'both', partitions: 2 }] },
    );
    const { emulator } = e;
    expect(emulator.endpoints.map((p) => [p.nodeId, p.listener, p.protocol])).toEqual([
      [0, 'PLAINTEXT', 'PLAINTEXT'],
      [0, 'SASL_SSL', 'SASL_SSL'],
      [1, 'PLAINTEXT', 'PLAINTEXT'],
      [1, 'SASL_SSL', 'SASL_SSL'],
    ]);
    const of = (listener: string) =>
      emulator.endpoints.filter((p) => p.listener === listener).map((p) => address(p));
    expect(emulator.bootstrap).toBe(of('PLAINTEXT')[0]);
    expect(emulator.certificates?.ca.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const ca = emulator.certificates?.ca.cert as string;
    const sasl = { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' };
    const secured = kafkajs([of('SASL_SSL')[0]], { ca, sasl });
    const admin = secured.admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => address(b)).sort()).toEqual([...of('SASL_SSL')].sort());
    await admin.disconnect();
    // The producer reaches both partition leaders (nodes 0 and 1) through their SASL_SSL listeners.
    const producer = secured.producer();
    await producer.connect();
    await producer.send({
      topic: 'both',
      messages: [
        { partition: 0, value: 'p0' },
        { partition: 1, value: 'p1' },
      ],
    });
    await producer.disconnect();

    const plain = kafkajs([of('PLAINTEXT')[1]]).admin();
    await plain.connect();
    const viaPlain = await plain.describeCluster();
    expect(viaPlain.brokers.map((b) => address(b)).sort()).toEqual([...of('PLAINTEXT')].sort());
    const offsets = await plain.fetchTopicOffsets('both');
    expect(offsets.map((o) => [o.partition, o.high]).sort()).toEqual([
      [0, '1'],
      [1, '1'],
    ]);
    await plain.disconnect();
  }, 60_000);

  it('advertised.listeners names one listener; the other keeps its bound address', async () => {
    const e = await secure(
      {
        listeners: 'INTERNAL://127.0.0.1:0,EXTERNAL://127.0.0.1:0',
        'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:SASL_PLAINTEXT',
        'advertised.listeners': 'INTERNAL://127.0.0.1:19092',
        'sasl.enabled.mechanisms': 'PLAIN',
        'listener.name.external.plain.sasl.jaas.config':
          'org.apache.kafka.common.security.plain.PlainLoginModule required user_bob="bob-secret";',
      },
      { brokers: 2 },
    );
    const ext = e.emulator.endpoints.filter((p) => p.listener === 'EXTERNAL');
    expect(ext.map((p) => p.protocol)).toEqual(['SASL_PLAINTEXT', 'SASL_PLAINTEXT']);
    expect(ext.map((p) => p.port)).toEqual(ext.map((p) => p.bound.port));
    const internal = e.emulator.endpoints.filter((p) => p.listener === 'INTERNAL');
    expect(internal.map((p) => address(p))).toEqual(['127.0.0.1:19092', '127.0.0.1:19093']);
    const admin = kafkajs([address(ext[0].bound)], {
      sasl: { mechanism: 'plain', username: 'bob', password: 'bob-secret' },
    }).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => address(b)).sort()).toEqual(ext.map((p) => address(p)).sort());
    await admin.disconnect();
    // A PLAINTEXT client on INTERNAL hears the advertised ports, where nothing listens: Metadata only.
    const c = new Connection({ host: internal[0].bound.host, port: internal[0].bound.port });
    const md = await c.request(Metadata, { topics: [], allowAutoTopicCreation: false });
    await c.close();
    expect(md.brokers.map((b) => address(b))).toEqual(['127.0.0.1:19092', '127.0.0.1:19093']);
  }, 60_000);

  it('bad settings are refused at start with the setting named', async () => {
    await expect(secure({ listeners: 'SASL_SSL://127.0.0.1:0' })).rejects.toThrow(
      /a SASL listener needs sasl\.enabled\.mechanisms/,
    );
    await expect(secure({ listeners: 'SSL://127.0.0.1:0', 'ssl.client.auth': 'maybe' })).rejects.toThrow(
      'Invalid value maybe for configuration ssl.client.auth',
    );
    await expect(
      secure({ listeners: 'A://127.0.0.1:0', 'listener.security.protocol.map': 'B:PLAINTEXT' }),
    ).rejects.toThrow('No security protocol defined for listener A');
  });
});

describe('no secrets in the trace, --explain or --record', () => {
  it('PLAIN password and SCRAM proof/signature masked; user names, nonces and salt stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkalab-redact-'));
    const recordFile = join(dir, 'record.jsonl');
    const explained: string[] = [];
    const e = await secure(
      {
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
        'sasl.users': 'bob:bob-very-secret',
      },
      { explain: (t: string) => explained.push(t), recordFile, record: true },
    );
    for (const mechanism of ['plain', 'scram-sha-256']) {
      const admin = kafkajs([e.bootstrap], {
        sasl: { mechanism, username: 'bob', password: 'bob-very-secret' },
      }).admin();
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
    }
    await e.emulator.stop();
    const record = readFileSync(recordFile, 'utf8');
    const secretHex = Buffer.from('bob-very-secret').toString('hex');
    const everything = [...e.trace, ...explained, record].join('\n');
    expect(everything).not.toContain('bob-very-secret');
    expect(everything.toLowerCase()).not.toContain(secretHex);
    const auths = e.emulator.exchanges.filter((x) => x.api.name === 'SaslAuthenticate');
    expect(auths.length).toBe(3); // PLAIN once, SCRAM twice
    const tokens = auths.map((x) => (x.request as { authBytes: Buffer }).authBytes.toString('latin1'));
    expect(tokens[0]).toBe(`\0bob\0${'*'.repeat('bob-very-secret'.length)}`);
    expect(tokens[1]).toMatch(/^n,,n=bob,r=\S+$/);
    expect(tokens[2]).toMatch(/^c=biws,r=[^,]+,p=\*+$/);
    const answers = auths.map((x) => (x.response?.body as { authBytes: Buffer }).authBytes.toString());
    expect(answers[1]).toMatch(/^r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
    expect(answers[2]).toMatch(/^v=\*+$/);
    // The recorded frames still decode: the masking keeps every length.
    const lines = record
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const recorded = lines.filter((l) => l.api === 'SaslAuthenticate');
    expect(recorded.length).toBe(3);
    expect(explained.some((t) => t.includes('SaslAuthenticate'))).toBe(true);
  }, 60_000);
});
