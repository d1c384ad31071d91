/**
 * The producer's idempotent pipelining and MESSAGE_TOO_LARGE split against a real Apache Kafka 4.1
 * broker (one KRaft node, test/support/real-kafka.ts): Kafka's own sequence checks accept 5 batches of
 * a partition in flight and the fresh sequences of split batches. The emulator-side tests
 * (producer-reliability.test.ts) stage the failures; this shows the real broker agrees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { KafkaProtocolError } from '../../src/client/errors.js';
import { Producer } from '../../src/client/producer/producer.js';
import { startEmulator } from '../../src/emulator/index.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { WireClient } from '../emulator/support/wire-client.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { readPartition } from './support/read-back.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka();
  const admin = new Admin({ bootstrap: kafka.bootstrap });
  try {
    await admin.createTopics({
      topics: [
        { topic: 'in-flight', numPartitions: 1, replicationFactor: 1 },
        { topic: 'split', numPartitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '1500' } },
      ],
    });
  } finally {
    await admin.close();
  }
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

const numbered = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    value: `${prefix}-${String(i).padStart(3, '0')}-${'v'.repeat(80)}`,
  }));

describe('idempotent producer against a real broker', () => {
  it('keeps 5 batches of one partition in flight; Kafka accepts every sequence and the log keeps send order', async () => {
    // A tiny batch.size makes every record its own batch, so 100 sends queue 100 batches at once.
    const p = new Producer({ bootstrap: kafka.bootstrap, batchSize: 1 });
    try {
      await p.connect();
      const messages = numbered('f', 100);
      const sends = messages.map((m) => p.send({ topic: 'in-flight', messages: [m] }));
      // Sample the partition's in-flight count on every turn of the event loop until all are answered
      // (bounded by the sends): most turns read no answer, so the sample sees the window full.
      let max = 0;
      let settled = false;
      const all = Promise.all(sends).finally(() => {
        settled = true;
      });
      await new Promise<void>((resolve) => {
        const sample = () => {
          max = Math.max(max, p.inFlightBatches('in-flight', 0));
          if (settled) resolve();
          else setImmediate(sample);
        };
        setImmediate(sample);
      });
      expect(max).toBe(5);
      const metas = (await all).flat();
      const stored = await readPartition(kafka.bootstrap, 'in-flight', 0);
      expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
      expect(metas.map((m) => m.offset)).toEqual(stored.map((r) => r.offset));
      // One producer id, sequences 0..99 in log order: nothing was retried or re-sequenced.
      expect(new Set(stored.map((r) => r.batch.producerId))).toEqual(
        new Set([p.producerIdentity.producerId]),
      );
      expect(stored.map((r) => r.batch.baseSequence)).toEqual(messages.map((_, i) => i));
    } finally {
      await p.close();
    }
  }, 60_000);

  it('splits a batch Kafka refuses as MESSAGE_TOO_LARGE; the parts land in order with fresh sequences', async () => {
    const p = new Producer({ bootstrap: kafka.bootstrap, batchSize: 1 << 20 });
    try {
      await p.connect();
      const messages = numbered('s', 60);
      const metas = await p.send({ topic: 'split', messages });
      const stored = await readPartition(kafka.bootstrap, 'split', 0);
      expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
      expect(metas.map((m) => m.offset)).toEqual(stored.map((r) => r.offset));
      const batches = [...new Map(stored.map((r) => [r.batch.baseOffset, r.batch])).values()];
      expect(batches.length).toBeGreaterThan(1);
      let sequence = 0;
      for (const b of batches) {
        expect(b.batchLength + 12).toBeLessThanOrEqual(1500);
        expect(b.baseSequence).toBe(sequence);
        sequence += b.lastOffsetDelta + 1;
      }
      // A single record over the limit cannot be split: Kafka's error reaches send().
      const err = await p.send({ topic: 'split', messages: [{ value: 'x'.repeat(3000) }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KafkaProtocolError);
      expect((err as KafkaProtocolError).type).toBe('MESSAGE_TOO_LARGE');
      // …and the sequence chain goes on where Kafka expects it.
      const after = await p.send({ topic: 'split', messages: [{ value: 'after' }] });
      expect(after[0].offset).toBe(stored.at(-1)!.offset + 1n);
    } finally {
      await p.close();
    }
  }, 60_000);
});

describe('a topic a producer makes by asking for it (auto.create.topics.enable)', () => {
  /** The first Metadata answer for a new name, then the topic once it is there (bounded). */
  async function autoCreate(port: number, name: string): Promise<{ first: number; partitions: number }> {
    const c = await WireClient.connect(port);
    const ask = () =>
      c.request(Metadata, 12, {
        topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name }],
        allowAutoTopicCreation: true,
        includeTopicAuthorizedOperations: false,
      });
    try {
      const first = (await ask()).topics[0]!.errorCode;
      // A KRaft broker lists it once the controller's record reaches its metadata cache: ask again,
      // each round paced by the broker's answer, a bounded number of times.
      for (let round = 0; round < 5_000; round++) {
        const t = (await ask()).topics[0]!;
        if (t.errorCode === 0 && t.partitions.length > 0) return { first, partitions: t.partitions.length };
      }
      throw new Error(`${name}: not in the metadata after 5,000 rounds`);
    } finally {
      c.close();
    }
  }

  it('answers UNKNOWN_TOPIC_OR_PARTITION first, then the topic with num.partitions — Kafka 4.1.1 and the emulator alike', async () => {
    const emulator = await startEmulator();
    try {
      const real = await autoCreate(Number(kafka.bootstrap.split(':')[1]), 'made-by-metadata');
      const emulated = await autoCreate(emulator.port, 'made-by-metadata');
      expect(real.first).toBe(3);
      expect(emulated).toEqual(real);
    } finally {
      await emulator.stop();
    }
  });
});
