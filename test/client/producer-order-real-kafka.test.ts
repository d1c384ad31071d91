/**
 * Send order and broker restarts against a real Apache Kafka 4.1 broker (one KRaft node,
 * test/support/real-kafka.ts, auto.create.topics.enable=true as kafka.sh sets it): the scenarios of
 * producer-order.test.ts and producer-restart.test.ts (issue 11, items 1 and 10) where Kafka itself
 * creates the topic and keeps the producer state across a rolling restart. The conformance suite's
 * targets run with auto-creation off, so these live here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../../src/client/producer/producer.js';
import type { RecordMetadata } from '../../src/client/producer/types.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { readPartition } from './support/read-back.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka({ overrides: { 'num.partitions': '3' } });
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

describe('send order on a topic Kafka creates on first use', () => {
  it('stores a burst of keyed and keyless sends in call order, per partition', async () => {
    const p = new Producer({ bootstrap: kafka.bootstrap });
    try {
      // Not connected yet and the topic unknown: every send waits for metadata, the first one
      // while Kafka creates the topic (UNKNOWN_TOPIC_OR_PARTITION first).
      const sent: { key: string | null; value: string }[] = [];
      for (let i = 0; i < 60; i++) {
        const key = i % 4 === 3 ? null : `k${i % 4}`;
        sent.push({ key, value: `v${String(i).padStart(3, '0')}` });
      }
      const metas = (await Promise.all(sent.map((m) => p.send({ topic: 'ord-real', messages: [m] })))).flat();
      for (let partition = 0; partition < 3; partition++) {
        const stored = await readPartition(kafka.bootstrap, 'ord-real', partition);
        const expected = sent.filter((_, i) => metas[i].partition === partition).map((m) => m.value);
        expect(
          stored.map((r) => r.value),
          `partition ${partition}`,
        ).toEqual(expected);
      }
      // Each key on one partition, in send order.
      for (const k of ['k0', 'k1', 'k2']) {
        expect(new Set(metas.filter((_, i) => sent[i].key === k).map((m) => m.partition)).size).toBe(1);
      }
    } finally {
      await p.close();
    }
  });
});

describe('the producer across a real broker restart', () => {
  it('keeps sending through a rolling restart: every send succeeds, in order, none twice', async () => {
    const p = new Producer({ bootstrap: kafka.bootstrap });
    try {
      await p.send({ topic: 'restart-real', messages: [{ key: 'k', value: 'before' }] });
      // Sends keep coming, one after the other, while the broker shuts down and comes back.
      let restarted = false;
      const values: string[] = [];
      const results: RecordMetadata[] = [];
      let sentAfter = 0;
      const sender = (async () => {
        // Until 5 sends were made after the broker came back (bounded).
        for (let i = 0; sentAfter < 5 && i < 10_000; i++) {
          if (restarted) sentAfter++;
          const value = `r${String(i).padStart(4, '0')}`;
          values.push(value);
          const [m] = await p.send({ topic: 'restart-real', messages: [{ key: 'k', value }] });
          results.push(m);
        }
      })();
      await kafka.restart();
      restarted = true;
      await sender;
      expect(sentAfter).toBe(5);
      const partition = results[0].partition;
      const stored = await readPartition(kafka.bootstrap, 'restart-real', partition);
      expect(stored.map((r) => r.value)).toEqual(['before', ...values]);
      expect(results.map((m) => m.offset)).toEqual(stored.slice(1).map((r) => r.offset));
    } finally {
      await p.close();
    }
  }, 180_000);
});
