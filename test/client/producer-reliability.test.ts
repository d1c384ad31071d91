/**
 * Kafka's producer behaviours beyond the happy path, against the in-process emulator: up to 5 batches
 * of a partition in flight with idempotence, a failure among them retried in sequence order,
 * delivery.timeout.ms, MESSAGE_TOO_LARGE splitting, and the epoch bump of KIP-360. Failures are staged
 * with the emulator's hooks; what landed is read back with our own Fetch (support/read-back.ts),
 * independent of the producer under test. Waits are event-driven (until/poke), never sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import type { Connection } from '../../src/client/connection.js';
import { KafkaClientError, KafkaProtocolError } from '../../src/client/errors.js';
import { DeliveryTimeoutError } from '../../src/client/producer/errors.js';
import { Producer } from '../../src/client/producer/producer.js';
import type { RequestEvent } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { poke, until } from '../support/until.js';
import { TestProducers } from './support/producers.js';
import { readPartition } from './support/read-back.js';

const PRODUCE = 0;
const NOT_LEADER_OR_FOLLOWER = 6;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const UNKNOWN_PRODUCER_ID = 59;

let emulator: Emulator;
const producers = new TestProducers(() => emulator.bootstrap);
const producer = producers.make;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: 'five', partitions: 1 },
      { name: 'failed-second', partitions: 1 },
      { name: 'expiry', partitions: 1 },
      { name: 'bump-45', partitions: 1 },
      { name: 'bump-59', partitions: 1 },
      { name: 'bump-in-flight', partitions: 1 },
      { name: 'expiry-queued', partitions: 1 },
      { name: 'refused-second', partitions: 1 },
    ],
  });
  // A topic whose max.message.bytes is far below batch.size, created the way a user would.
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  try {
    await admin.createTopics({
      topics: [
        { topic: 'small', numPartitions: 1, configs: { 'max.message.bytes': '1500' } },
        { topic: 'small-plain', numPartitions: 1, configs: { 'max.message.bytes': '1500' } },
      ],
    });
  } finally {
    await admin.close();
  }
});

afterAll(async () => {
  emulator.hooks.clear();
  await producers.closeAll();
  await emulator.stop();
});

/** The producer's connection to the emulator, with every request poking the waits below. */
async function watchedConnection(p: Producer): Promise<{ conn: Connection; maxPending: () => number }> {
  const conn = await p.cluster.connectionTo(emulator.nodeId);
  let max = 0;
  const original = conn.request.bind(conn);
  conn.request = ((...args: Parameters<Connection['request']>) => {
    const answer = original(...args);
    max = Math.max(max, conn.pending);
    poke();
    return answer;
  }) as Connection['request'];
  return { conn, maxPending: () => max };
}

/** One record per batch: with batch.size 150 a second ~120-byte record does not fit. */
function numbered(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    value: `${prefix}-${String(i).padStart(3, '0')}`.padEnd(100, '.'),
  }));
}

/** The answer a partition leader that moved away would give, for every partition of the request. */
function errorAnswer(e: RequestEvent, errorCode: number) {
  return {
    respond: {
      responses: e.request.topicData.map((t: { name: string; partitionData: { index: number }[] }) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => ({
          index: p.index,
          errorCode,
          baseOffset: -1n,
          logAppendTimeMs: -1n,
          logStartOffset: -1n,
          recordErrors: [],
          errorMessage: null,
        })),
      })),
      throttleTimeMs: 0,
    },
  };
}

describe('in flight: up to 5 batches of one partition (idempotent)', () => {
  it('has 5 Produce requests of one partition outstanding at once, and the log keeps send order', async () => {
    const p = producer({ batchSize: 150 });
    await p.send({ topic: 'five', messages: [{ value: 'warm-up' }] });
    const { conn, maxPending } = await watchedConnection(p);
    let heldUntil5 = false;
    // The first request is held until the producer has 5 out; the broker answers none before that.
    const hold = emulator.hooks.intercept(
      PRODUCE,
      async () => {
        await until('5 Produce requests outstanding', () => conn.pending >= 5, 5000);
        heldUntil5 = true;
        return undefined;
      },
      {},
    );
    try {
      const messages = numbered('five', 20);
      const first = emulator.hooks.observe(PRODUCE, () => hold.remove());
      const metas = await p.send({ topic: 'five', messages });
      first.remove();
      expect(heldUntil5).toBe(true);
      expect(maxPending()).toBe(5);
      const stored = (await readPartition(emulator, 'five', 0)).slice(1);
      expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
      expect(new Set(stored.map((r) => r.batch.baseOffset)).size).toBe(20); // one record per batch
      expect(metas.map((m) => m.offset)).toEqual(stored.map((r) => r.offset));
    } finally {
      hold.remove();
    }
  });

  it('retries a retriable error on the 2nd of 5 in-flight batches: every record once, in order', async () => {
    const p = producer({ batchSize: 150 });
    await p.send({ topic: 'failed-second', messages: [{ value: 'warm-up' }] });
    const { conn } = await watchedConnection(p);
    let seen = 0;
    const stage = emulator.hooks.intercept(PRODUCE, async (e) => {
      seen++;
      if (seen === 1) await until('5 Produce requests outstanding', () => conn.pending >= 5, 5000);
      if (seen === 2) return errorAnswer(e, NOT_LEADER_OR_FOLLOWER);
      return undefined;
    });
    const codes: number[][] = [];
    const obs = emulator.hooks.observe(PRODUCE, (e) => codes.push([...e.errorCodes]));
    try {
      const messages = numbered('second', 12);
      const metas = await p.send({ topic: 'failed-second', messages });
      // The 2nd failed; the broker refused the 3rd-5th as out of order (a gap), and all came again.
      expect(codes.slice(0, 5)).toEqual([
        [],
        [NOT_LEADER_OR_FOLLOWER],
        [OUT_OF_ORDER_SEQUENCE_NUMBER],
        [OUT_OF_ORDER_SEQUENCE_NUMBER],
        [OUT_OF_ORDER_SEQUENCE_NUMBER],
      ]);
      const stored = (await readPartition(emulator, 'failed-second', 0)).slice(1);
      expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
      expect(metas.map((m) => m.offset)).toEqual(stored.map((r) => r.offset));
      // No new identity was needed: every batch kept its producer id and sequence.
      expect(stored.map((r) => r.batch.baseSequence)).toEqual(messages.map((_, i) => i + 1));
    } finally {
      stage.remove();
      obs.remove();
    }
  });

  it('keeps one batch per partition in flight without idempotence', async () => {
    const p = producer({ batchSize: 150, acks: 1 });
    await p.send({ topic: 'five', messages: [{ value: 'warm-up' }] });
    const { maxPending } = await watchedConnection(p);
    await p.send({ topic: 'five', messages: numbered('plain', 6) });
    expect(p.idempotent).toBe(false);
    expect(maxPending()).toBe(1);
  });
});

describe('a batch refused for good among 5 in flight', () => {
  it('fails only its own records; the later batches are re-sequenced and land in order, same producer id', async () => {
    const p = producer({ batchSize: 150 });
    await p.send({ topic: 'refused-second', messages: [{ value: 'warm-up' }] });
    const identity = p.producerIdentity.producerId;
    const { conn } = await watchedConnection(p);
    let seen = 0;
    const stage = emulator.hooks.intercept(PRODUCE, async (e) => {
      seen++;
      if (seen === 1) await until('5 Produce requests outstanding', () => conn.pending >= 5, 5000);
      if (seen === 2) return errorAnswer(e, 10); // MESSAGE_TOO_LARGE for a one-record batch: fatal
      return undefined;
    });
    try {
      const messages = numbered('refused', 8);
      // One send per record, so that only the refused record's own send fails.
      const outcomes = await Promise.allSettled(
        messages.map((m) => p.send({ topic: 'refused-second', messages: [m] })),
      );
      expect(outcomes.map((o) => o.status)).toEqual(
        messages.map((_, i) => (i === 1 ? 'rejected' : 'fulfilled')),
      );
      expect(((outcomes[1] as PromiseRejectedResult).reason as KafkaProtocolError).type).toBe(
        'MESSAGE_TOO_LARGE',
      );
      const stored = (await readPartition(emulator, 'refused-second', 0)).slice(1);
      expect(stored.map((r) => r.value)).toEqual(messages.filter((_, i) => i !== 1).map((m) => m.value));
      // The broker never took sequence 2 (the refused batch): the next batch got it, and so on.
      expect(stored.map((r) => r.batch.baseSequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(stored.every((r) => r.batch.producerId === identity)).toBe(true);
      expect(p.producerIdentity.producerId).toBe(identity);
    } finally {
      stage.remove();
    }
  });
});

describe('delivery.timeout.ms', () => {
  it('rejects send() with a DeliveryTimeoutError once the timeout passed, not before', async () => {
    const p = producer({
      deliveryTimeoutMs: 800,
      requestTimeoutMs: 300,
      retry: { retries: 1000, initialBackoffMs: 20, maxBackoffMs: 50 },
    });
    await p.send({ topic: 'expiry', messages: [{ value: 'warm-up' }] });
    const drop = emulator.hooks.drop(PRODUCE);
    try {
      const started = performance.now();
      const err = await p
        .send({ topic: 'expiry', messages: [{ value: 'lost' }, { value: 'lost too' }] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const elapsed = performance.now() - started;
      expect(err).toBeInstanceOf(DeliveryTimeoutError);
      expect(err).toBeInstanceOf(KafkaClientError);
      const timeout = err as DeliveryTimeoutError;
      expect(timeout.message).toMatch(/2 record\(s\) for expiry-0 expired/);
      expect(timeout.topic).toBe('expiry');
      expect(timeout.elapsedMs).toBeGreaterThanOrEqual(800);
      expect(elapsed).toBeGreaterThanOrEqual(795);
      expect(elapsed).toBeLessThan(800 + 1500);
    } finally {
      drop.remove();
    }
    // The producer is still usable afterwards (the lost batch's sequences are repaired).
    const [m] = await p.send({ topic: 'expiry', messages: [{ value: 'after' }] });
    const stored = await readPartition(emulator, 'expiry', 0);
    expect(stored.filter((r) => r.value === 'after').map((r) => r.offset)).toEqual([m.offset]);
  });

  it('expires records still queued behind an unanswered batch (one in flight without idempotence)', async () => {
    const p = producer({
      acks: 1,
      deliveryTimeoutMs: 700,
      requestTimeoutMs: 300,
      retry: { retries: 1000, initialBackoffMs: 20, maxBackoffMs: 50 },
    });
    await p.send({ topic: 'expiry-queued', messages: [{ value: 'warm-up' }] });
    const { conn } = await watchedConnection(p);
    const drop = emulator.hooks.drop(PRODUCE);
    try {
      const started = performance.now();
      const first = p
        .send({ topic: 'expiry-queued', messages: [{ value: 'in flight' }] })
        .catch((e: unknown) => e);
      await until('the first batch in flight', () => conn.pending === 1, 5000);
      const second = p
        .send({ topic: 'expiry-queued', messages: [{ value: 'queued' }, { value: 'queued too' }] })
        .catch((e: unknown) => e);
      const [a, b] = await Promise.all([first, second]);
      const elapsed = performance.now() - started;
      expect(a).toBeInstanceOf(DeliveryTimeoutError);
      expect(b).toBeInstanceOf(DeliveryTimeoutError);
      expect((b as Error).message).toMatch(/^2 record\(s\) for expiry-queued-0 expired/);
      expect(elapsed).toBeGreaterThanOrEqual(695);
      expect(elapsed).toBeLessThan(700 + 1500);
    } finally {
      drop.remove();
    }
    const stored = await readPartition(emulator, 'expiry-queued', 0);
    expect(stored.map((r) => r.value)).not.toContain('queued');
  });

  it('refuses deliveryTimeoutMs below lingerMs + requestTimeoutMs, as Kafka’s ProducerConfig', () => {
    expect(
      () =>
        new Producer({
          bootstrap: emulator.bootstrap,
          deliveryTimeoutMs: 1000,
          lingerMs: 500,
          requestTimeoutMs: 600,
        }),
    ).toThrow(/deliveryTimeoutMs \(1000\) must be at least lingerMs \+ requestTimeoutMs/);
    expect(() => new Producer({ bootstrap: emulator.bootstrap, deliveryTimeoutMs: 20_000 })).toThrow(/30000/);
  });
});

describe('MESSAGE_TOO_LARGE: split', () => {
  it.each([
    ['small', true],
    ['small-plain', false],
  ] as const)('%s (idempotent %s): a batch above max.message.bytes is split until it fits; all land in order', async (topic, idempotent) => {
    const p = producer({ acks: idempotent ? -1 : 1, batchSize: 1 << 20 });
    await p.connect();
    const identity = p.producerIdentity.producerId;
    const tooLarge: number[] = [];
    const obs = emulator.hooks.observe(PRODUCE, (e) => {
      if (e.errorCodes.includes(10)) tooLarge.push(e.raw.length);
    });
    try {
      const messages = numbered(topic, 60);
      const metas = await p.send({ topic, messages });
      expect(tooLarge.length).toBeGreaterThan(0);
      const stored = await readPartition(emulator, topic, 0);
      expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
      expect(metas.map((m) => m.offset)).toEqual(stored.map((r) => r.offset));
      for (const r of stored) expect(r.batch.batchLength + 12).toBeLessThanOrEqual(1500);
      if (idempotent) {
        // The parts got consecutive fresh sequences from 0: the broker never took the original.
        const batches = [...new Map(stored.map((r) => [r.batch.baseOffset, r.batch])).values()];
        let expected = 0;
        for (const b of batches) {
          expect(b.baseSequence).toBe(expected);
          expected += b.lastOffsetDelta + 1;
        }
      }
      // One record above the limit cannot be split: it fails with the broker's error…
      const err = await p.send({ topic, messages: [{ value: 'x'.repeat(3000) }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KafkaProtocolError);
      expect((err as KafkaProtocolError).type).toBe('MESSAGE_TOO_LARGE');
      // …and the partition's sequence goes on where the broker expects it.
      const [after] = await p.send({ topic, messages: [{ value: 'after' }] });
      const again = await readPartition(emulator, topic, 0);
      expect(again.map((r) => r.value)).toEqual([...messages.map((m) => m.value), 'after']);
      expect(after.offset).toBe(again[again.length - 1].offset);
      // Mended by re-sequencing alone: no epoch bump (no new producer id) was needed.
      expect(p.producerIdentity.producerId).toBe(identity);
    } finally {
      obs.remove();
    }
  });
});

describe('epoch bump (KIP-360)', () => {
  it.each([
    ['bump-45', OUT_OF_ORDER_SEQUENCE_NUMBER],
    ['bump-59', UNKNOWN_PRODUCER_ID],
  ] as const)('%s: error %i once → a new producer id, sequences from 0, the records once', async (topic, code) => {
    const p = producer();
    await p.send({ topic, messages: [{ value: 'before' }] });
    const before = p.producerIdentity.producerId;
    const inits: bigint[] = [];
    const obs = emulator.hooks.observe(22, (e) => inits.push(e.response?.body.producerId));
    emulator.hooks.injectError(PRODUCE, code, { times: 1 });
    try {
      const metas = await p.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
      expect(inits).toHaveLength(1);
      expect(p.producerIdentity.producerId).toBe(inits[0]);
      expect(p.producerIdentity.producerId).not.toBe(before);
      const stored = await readPartition(emulator, topic, 0);
      expect(stored.map((r) => r.value)).toEqual(['before', 'a', 'b', 'c']);
      expect(metas.map((m) => m.offset)).toEqual([1n, 2n, 3n]);
      expect(stored[1].batch.producerId).toBe(p.producerIdentity.producerId);
      expect(stored[1].batch.baseSequence).toBe(0);
    } finally {
      obs.remove();
    }
  });

  it('UNKNOWN_PRODUCER_ID on the 2nd of 5 in flight: the rest wait for the bump and land once, in order', async () => {
    const p = producer({ batchSize: 150 });
    await p.send({ topic: 'bump-in-flight', messages: [{ value: 'warm-up' }] });
    const before = p.producerIdentity.producerId;
    const { conn } = await watchedConnection(p);
    let seen = 0;
    const stage = emulator.hooks.intercept(PRODUCE, async (e) => {
      seen++;
      if (seen === 1) await until('5 Produce requests outstanding', () => conn.pending >= 5, 5000);
      if (seen === 2) return errorAnswer(e, UNKNOWN_PRODUCER_ID);
      return undefined;
    });
    try {
      const messages = numbered('bump', 10);
      await p.send({ topic: 'bump-in-flight', messages });
      const stored = (await readPartition(emulator, 'bump-in-flight', 0)).slice(1);
      expect(stored.map((r) => r.value)).toEqual(messages.map((m) => m.value));
      expect(p.producerIdentity.producerId).not.toBe(before);
      // The first batch went under the old id; the rest under the new one, sequences from 0.
      expect(stored[0].batch.producerId).toBe(before);
      const rest = stored.slice(1).map((r) => [r.batch.producerId, r.batch.baseSequence]);
      expect(rest).toEqual(messages.slice(1).map((_, i) => [p.producerIdentity.producerId, i]));
    } finally {
      stage.remove();
    }
  });
});
