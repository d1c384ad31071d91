/**
 * A SASL_SSL listener served by EmulatorServer (TLS from node:tls, a SaslSession per connection)
 * against an unmodified client, kafkajs (ssl + sasl), with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN. A wrong password gets the client's authentication error and the listener
 * keeps serving others; a request before login, a too-large pre-login frame and random bytes
 * (instead of a ClientHello, or after the handshake) close only that connection.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/emulator/cluster.js';
import { resolveConfig } from '../../../src/emulator/config.js';
import { HANDLERS, routeHandlers, servedApis } from '../../../src/emulator/handlers/index.js';
import { Hooks } from '../../../src/emulator/hooks.js';
import { generateTestCertificates, type TestCertificates } from '../../../src/emulator/security/certs.js';
import { resolveSecurity } from '../../../src/emulator/security/config.js';
import { scramCredentialsOf } from '../../../src/emulator/security/scram-credentials.js';
import { EmulatorServer } from '../../../src/emulator/server.js';
import { SCRAM_MECHANISMS } from '../../../src/protocol/sasl/scram.js';

let certs: TestCertificates;
let server: EmulatorServer;
let cluster: Cluster;
let bootstrap: string;
let port: number;
let caFile: string;
const lines: string[] = [];

beforeAll(async () => {
  certs = await generateTestCertificates();
  const dir = mkdtempSync(join(tmpdir(), 'kafkalab-sasl-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certs.ca.cert);
  const security = resolveSecurity(
    {
      listeners: 'SASL_SSL://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512,SCRAM-SHA-256,PLAIN',
      'sasl.users': 'alice:alice-secret',
      'listener.name.sasl_ssl.plain.sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_bob="bob-secret";',
      'connection.failed.authentication.delay.ms': '10',
    },
    { host: '127.0.0.1', port: 0 },
  );
  cluster = new Cluster(resolveConfig({ port: 0, topics: [{ name: 'secure', partitions: 1 }] }));
  const creds = scramCredentialsOf(cluster);
  for (const [user, password] of security.sasl.users)
    for (const m of Object.values(SCRAM_MECHANISMS)) creds.addPassword(user, m, password);
  const handlers = routeHandlers(HANDLERS);
  server = new EmulatorServer({
    cluster,
    handlers,
    served: servedApis(handlers),
    hooks: new Hooks(),
    trace: (l) => lines.push(l),
    security: {
      listener: 'SASL_SSL',
      protocol: 'SASL_SSL',
      sasl: security.sasl,
      tls: { cert: certs.broker.cert, key: certs.broker.key },
    },
  });
  const bound = await server.listen('127.0.0.1', 0);
  cluster.broker.host = bound.host;
  cluster.broker.port = bound.port;
  port = bound.port;
  bootstrap = `${bound.host}:${bound.port}`;
}, 30_000);

afterAll(async () => {
  await server?.close();
  cluster?.stop();
});

function kafkajs(mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain', username: string, password: string) {
  return new Kafka({
    brokers: [bootstrap],
    clientId: 'kafkajs-sasl',
    ssl: { ca: [certs.ca.cert], servername: 'localhost' },
    sasl: { mechanism, username, password } as never,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 5_000,
  });
}

describe('SASL_SSL listener', () => {
  it('kafkajs: SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN users produce and read back', async () => {
    for (const [mechanism, user, password] of [
      ['scram-sha-512', 'alice', 'alice-secret'],
      ['scram-sha-256', 'alice', 'alice-secret'],
      ['plain', 'bob', 'bob-secret'],
    ] as const) {
      const k = kafkajs(mechanism, user, password);
      const producer = k.producer();
      await producer.connect();
      await producer.send({ topic: 'secure', messages: [{ value: `from ${mechanism}` }] });
      await producer.disconnect();
    }
    const admin = kafkajs('scram-sha-512', 'alice', 'alice-secret').admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('secure');
    await admin.disconnect();
    expect(offsets.map((o) => o.high)).toEqual(['3']);
    expect(lines.some((l) => l.includes('SASL login as User:alice'))).toBe(true);
    expect(lines.some((l) => l.includes('SASL login as User:bob'))).toBe(true);
  }, 60_000);

  it('kafkajs: a wrong password fails with its authentication error; others still log in', async () => {
    const bad = kafkajs('scram-sha-512', 'alice', 'wrong').producer();
    await expect(bad.connect()).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed|Authentication failed/i,
    );
    const badPlain = kafkajs('plain', 'bob', 'wrong').producer();
    await expect(badPlain.connect()).rejects.toThrow(/Invalid username or password/);
    const good = kafkajs('scram-sha-256', 'alice', 'alice-secret').producer();
    await good.connect();
    await good.disconnect();
  }, 60_000);

  it('a request before login closes that connection without an answer', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: certs.ca.cert, servername: 'localhost' });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    // Metadata v1 header, no client id, empty topics array.
    const body = Buffer.from([0, 3, 0, 1, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const frame = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);
    const got: Buffer[] = [];
    socket.on('data', (d) => got.push(d));
    socket.write(frame);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(Buffer.concat(got).length).toBe(0);
    expect(
      lines.some((l) => l.includes('Unexpected Kafka request of type Metadata during SASL handshake')),
    ).toBe(true);
  });

  it('fuzz: random bytes instead of a ClientHello or after the TLS handshake never stop the listener', async () => {
    for (let i = 0; i < 20; i++) {
      const junk = randomBytes(1 + ((i * 97) % 3000));
      await new Promise<void>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => s.end(junk));
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
      await new Promise<void>((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca: certs.ca.cert, servername: 'localhost' }, () =>
          s.write(i % 2 ? junk : Buffer.concat([Buffer.from([0x7f, 0, 0, 0]), junk])),
        );
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
    }
    const good = kafkajs('scram-sha-512', 'alice', 'alice-secret').admin();
    await good.connect();
    expect(await good.listTopics()).toContain('secure');
    await good.disconnect();
  }, 60_000);
});
