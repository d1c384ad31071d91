// kafkajs 2.2.4 (installed devDependency) through the decoding proxy to the emulator: create a topic,
// produce, consume in a group. Every connection must go through the proxy: the Metadata and
// FindCoordinator answers the client saw name the proxy, and the emulator served exactly the
// exchanges the proxy forwarded. Waits are event-driven (proxy trace lines, consumer callbacks), each
// bounded by a timeout that fails the test.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { decodeResponseFrame } from '../../src/protocol/frame.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { type KafkaProxy, type ProxyExchange, startProxy } from '../../src/proxy/index.js';

const TOPIC = 'through-proxy';
let emulator: Emulator;
let proxy: KafkaProxy;
let kafka: Kafka;
const traceLines: string[] = [];
const recordLines: string[] = [];
const warnings: string[] = [];

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  emulator = await startEmulator({ port: 0, record: true });
  proxy = await startProxy({
    upstream: emulator.bootstrap,
    keepExchanges: true,
    trace: (line) => traceLines.push(line),
    warn: (line) => warnings.push(line),
    recordLine: (line) => recordLines.push(line),
  });
  kafka = new Kafka({ clientId: 'via-proxy', brokers: [proxy.bootstrap], logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});

function withTimeout<T>(what: string, p: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const done = (x: ProxyExchange) => x.outcome !== 'pending';

describe('kafkajs → proxy → emulator', () => {
  it('creates a topic, produces 30 keyed messages and consumes them all in a group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] })).toBe(true);
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    const result = await producer.send({ topic: TOPIC, acks: -1, messages: sent });
    expect(result.every((r) => r.errorCode === 0)).toBe(true);
    await producer.disconnect();

    const consumer = kafka.consumer({
      groupId: 'proxied-group',
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const got: string[] = [];
    let allIn: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push(`${message.key}:${message.value}`);
        if (got.length === sent.length) allIn();
      },
    });
    try {
      await withTimeout('all 30 messages consumed through the proxy', all);
    } finally {
      await consumer.disconnect();
    }
    expect(got.sort()).toEqual(sent.map((m) => `${m.key}:${m.value}`).sort());
  }, 90_000);

  it('rewrote every broker address the client was given to the proxy', () => {
    const xs = proxy.exchanges.filter(done);
    const metadata = xs.filter((x) => x.apiKey === Metadata.apiKey && x.response);
    expect(metadata.length).toBeGreaterThan(0);
    const listeners = new Set(proxy.listeners().map((l) => l.local));
    for (const x of metadata) {
      // Decode what the client received, independently of the proxy's own decoded body.
      const seen = decodeResponseFrame(x.response!.raw, Metadata, x.version).body;
      expect(seen.brokers.length).toBe(1);
      for (const b of seen.brokers) {
        expect(listeners.has(`${b.host}:${b.port}`)).toBe(true);
        expect(b.port).not.toBe(emulator.port);
      }
      // And what the emulator sent named itself.
      const original = decodeResponseFrame(x.response!.original!, Metadata, x.version).body;
      expect(original.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([emulator.bootstrap]);
    }
    const coordinators = xs.filter((x) => x.apiKey === FindCoordinator.apiKey && x.response);
    expect(coordinators.length).toBeGreaterThan(0);
    for (const x of coordinators) {
      const body = decodeResponseFrame(x.response!.raw, FindCoordinator, x.version).body;
      const named = x.version <= 3 ? [body] : body.coordinators;
      for (const c of named) expect(listeners.has(`${c.host}:${c.port}`)).toBe(true);
    }
    // No re-encode changed more than the addresses.
    expect(xs.flatMap((x) => x.warnings)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('carried all the traffic: the emulator served exactly what the proxy forwarded', () => {
    const xs = proxy.exchanges.filter(done);
    const names = new Set(xs.map((x) => x.api?.name));
    for (const api of [
      'ApiVersions',
      'Metadata',
      'CreateTopics',
      'Produce',
      'Fetch',
      'FindCoordinator',
      'JoinGroup',
      'SyncGroup',
      'OffsetCommit',
    ]) {
      expect(names, api).toContain(api);
    }
    // Had kafkajs connected to the emulator directly, the emulator would have served more exchanges.
    const key = (apiKey: number, corr: number, clientId: string | null) => `${apiKey}/${corr}/${clientId}`;
    const served = emulator.exchanges
      .map((e) => key(e.api.apiKey, e.header.correlationId, e.header.clientId))
      .sort();
    const forwarded = xs
      .filter((x) => x.outcome === 'response')
      .map((x) => key(x.apiKey, x.correlationId, x.clientId))
      .sort();
    expect(forwarded).toEqual(served);
  });

  it('forwarded every request byte for byte, and every response the proxy did not rewrite', () => {
    const xs = proxy.exchanges.filter((x) => x.outcome === 'response');
    // Emulator connection ids differ from the proxy's; match by request bytes, which include the correlation id.
    const emulatorRequests = new Map(emulator.exchanges.map((e) => [e.raw.toString('hex'), e]));
    let compared = 0;
    for (const x of xs) {
      const e = emulatorRequests.get(x.request.raw.toString('hex'));
      expect(e, `${x.api?.name} corr=${x.correlationId}`).toBeDefined();
      if (!x.response!.original) {
        expect(x.response!.raw.equals(e!.response!.raw)).toBe(true);
        compared++;
      } else {
        expect(x.response!.original.equals(e!.response!.raw)).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('wrote one trace line and one record line per exchange, the record naming what the client saw', () => {
    const xs = proxy.exchanges.filter(done);
    expect(traceLines.filter((l) => l.startsWith('conn#'))).toHaveLength(xs.length);
    expect(recordLines).toHaveLength(xs.length);
    const records = recordLines.map((l) => JSON.parse(l));
    const rewritten = records.filter((r) => r.api === 'Metadata');
    expect(rewritten.length).toBeGreaterThan(0);
    for (const r of rewritten) {
      const client = decodeResponseFrame(Buffer.from(r.response.hex, 'hex'), Metadata, r.version).body;
      expect(client.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([proxy.bootstrap]);
      expect(r.proxy.rewrites).toEqual([`node 0 ${emulator.bootstrap} → ${proxy.bootstrap}`]);
    }
    expect(records.some((r) => r.api === 'Produce')).toBe(true);
    expect(records.some((r) => r.api === 'Fetch')).toBe(true);
  });
});
