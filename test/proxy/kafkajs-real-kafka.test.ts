// kafkajs 2.2.4 through the decoding proxy to a REAL Apache Kafka 4.1.1 broker (issue 6: the proxy
// is tested with kafkajs and Kafka's Java tools against both brokers; the emulator side is in
// kafkajs-emulator.test.ts, the Java tools in kafka-tools.test.ts). Create a topic, produce, consume
// in a group; every broker address the client was given must be one of the proxy's listeners.
// Waits are event-driven and bounded. Runs where Java is present (.ci/run installs it).
import { spawnSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResponseFrame } from '../../src/protocol/frame.js';
import { FindCoordinator, Metadata } from '../../src/protocol/messages/index.js';
import { type KafkaProxy, startProxy } from '../../src/proxy/index.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { poke, until } from '../support/until.js';

const java = process.env.JAVA ?? (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
const hasJava = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

describe.runIf(hasJava)('kafkajs → proxy → real Apache Kafka broker', () => {
  let kafka: RealKafka | undefined;
  let proxy: KafkaProxy | undefined;
  const warnings: string[] = [];

  beforeAll(async () => {
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    kafka = await startRealKafka({ timeoutMs: 180_000 });
    proxy = await startProxy({
      upstream: kafka.bootstrap,
      keepExchanges: true,
      warn: (l) => warnings.push(l),
    });
  }, 1_200_000); // a bare machine first downloads the jars (bounded inside at 15 min)

  afterAll(async () => {
    await proxy?.stop();
    await kafka?.stop();
  }, 90_000);

  it('creates a topic, produces 30 keyed messages and consumes them in a group, all through the proxy', async () => {
    const client = new Kafka({
      clientId: 'via-proxy',
      brokers: [proxy!.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'proxied', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = client.producer();
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => `k${i}:v${i}`);
    await producer.send({
      topic: 'proxied',
      acks: -1,
      messages: sent.map((s) => ({ key: s.split(':')[0], value: s.split(':')[1] })),
    });
    await producer.disconnect();

    const consumer = client.consumer({
      groupId: 'proxied-g',
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'proxied', fromBeginning: true });
    const got: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push(`${message.key}:${message.value}`);
        poke();
      },
    });
    try {
      await until('all 30 messages through the proxy', () => got.length >= sent.length, 60_000);
    } finally {
      await consumer.disconnect();
    }
    expect(got.sort()).toEqual([...sent].sort());

    // Every address the client was handed is a proxy listener, never the broker itself.
    const listeners = new Set(proxy!.listeners().map((l) => l.local));
    const answered = proxy!.exchanges.filter((x) => x.outcome === 'response' && x.response);
    const metadata = answered.filter((x) => x.apiKey === Metadata.apiKey);
    const coordinators = answered.filter((x) => x.apiKey === FindCoordinator.apiKey);
    expect(metadata.length).toBeGreaterThan(0);
    for (const x of metadata) {
      for (const b of decodeResponseFrame(x.response!.raw, Metadata, x.version).body.brokers) {
        expect(listeners.has(`${b.host}:${b.port}`)).toBe(true);
      }
    }
    let coordinatorsNamed = 0;
    for (const x of coordinators) {
      const body = decodeResponseFrame(x.response!.raw, FindCoordinator, x.version).body;
      // A fresh broker first answers COORDINATOR_NOT_AVAILABLE (host "", port -1): no address to check.
      for (const c of x.version <= 3 ? [body] : body.coordinators) {
        if (c.errorCode !== 0) continue;
        expect(listeners.has(`${c.host}:${c.port}`)).toBe(true);
        coordinatorsNamed++;
      }
    }
    expect(coordinatorsNamed).toBeGreaterThan(0);
    // Produce and Fetch went through the proxy too, and nothing kafkajs sent failed to decode.
    const apis = new Set(answered.map((x) => x.api?.name));
    expect(apis.has('Produce') && apis.has('Fetch')).toBe(true);
    expect(warnings).toEqual([]);
  }, 240_000);
});
