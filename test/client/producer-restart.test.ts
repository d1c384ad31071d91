/**
 * The producer across a broker restart (issue 11, item 10): the emulator is stopped and started again
 * on the same port, empty (its topics and producer ids gone; the topic comes back by auto-creation
 * on first use). As Kafka's Java producer does, ours treats the closed connection,
 * UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER and LEADER_NOT_AVAILABLE as retriable, refreshes
 * metadata, and delivers within delivery.timeout.ms without surfacing a transient error. While the
 * broker is down a placeholder listener accepts and drops connections, so the test knows the
 * producer met the outage (no sleeps).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Producer, type ProducerConnectOptions } from '../../src/client/producer/producer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { poke, until } from '../support/until.js';
import { unusedPort } from './support/ports.js';
import { readPartition } from './support/read-back.js';

const PRODUCE = 0;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const UNKNOWN_PRODUCER_ID = 59;
const INIT_PRODUCER_ID = 22;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  // Bounded: a failed test may leave sends that close() would wait for.
  const bounded = (c: () => Promise<unknown>) =>
    Promise.race([c().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  for (const c of cleanup.splice(0).reverse()) await bounded(c);
});

async function emulatorOn(port: number): Promise<Emulator> {
  const e = await startEmulator({ port });
  cleanup.push(() => e.stop());
  return e;
}

function producerOf(e: Emulator, options: Partial<ProducerConnectOptions> = {}): Producer {
  // Kafka's own backoff defaults (100 ms .. 1 s): the figure a user would see.
  const p = new Producer({ bootstrap: e.bootstrap, ...options });
  cleanup.push(() => p.close());
  return p;
}

/** A listener that accepts and drops every connection: a broker on its way down or up. */
async function placeholder(port: number): Promise<{ attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    attempts++;
    sockets.add(s);
    s.destroy();
    poke();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    attempts: () => attempts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Stops the emulator, lets the producer meet the outage (a send made now must try at least twice),
 * and starts an empty emulator on the same port.
 */
async function restart(e: Emulator, during: () => void): Promise<Emulator> {
  await e.stop();
  const down = await placeholder(e.port);
  during();
  await until('the producer to meet the outage', () => down.attempts() >= 2, 20_000);
  await down.close();
  return emulatorOn(e.port);
}

describe('the producer across a broker restart on the same port', () => {
  it('delivers a send made while the broker was down, and the next one at once (idempotent)', async () => {
    const first = await emulatorOn(await unusedPort());
    const p = producerOf(first);
    await p.send({ topic: 'restart', messages: [{ key: 'k', value: 'before' }] });
    let during: Promise<unknown> | undefined;
    let restartedAt = 0;
    const second = await restart(first, () => {
      during = p.send({ topic: 'restart', messages: [{ key: 'k', value: 'during' }] });
    });
    restartedAt = performance.now();
    const [m] = (await during) as { offset: bigint }[];
    // Within about a retry backoff of the broker's return, not after the retries ran out.
    expect(performance.now() - restartedAt).toBeLessThan(5000);
    expect(m.offset).toBe(0n); // the empty broker's first record
    const [next] = await p.send({ topic: 'restart', messages: [{ key: 'k', value: 'after' }] });
    expect(next.offset).toBe(1n);
    expect((await readPartition(second, 'restart', 0)).map((r) => r.value)).toEqual(['during', 'after']);
  });

  it('delivers the first send after a restart it did not see coming (the topic is gone, then re-created)', async () => {
    const first = await emulatorOn(await unusedPort());
    const p = producerOf(first);
    await p.send({ topic: 'gone', messages: [{ value: 'before' }] });
    await first.stop();
    const second = await emulatorOn(first.port);
    const started = performance.now();
    const [m] = await p.send({ topic: 'gone', messages: [{ value: 'after' }] });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(m.offset).toBe(0n);
    expect((await readPartition(second, 'gone', 0)).map((r) => r.value)).toEqual(['after']);
  });

  it('re-sends batches that were in flight when the broker went away, in order', async () => {
    const first = await emulatorOn(await unusedPort());
    const p = producerOf(first, { batchSize: 1 });
    await p.send({ topic: 'in-flight', messages: [{ value: 'warm-up' }] });
    // The broker takes the requests and never answers: they are in flight when it stops.
    let held = 0;
    first.hooks.intercept(PRODUCE, () => {
      held++;
      setImmediate(poke);
      return 'drop';
    });
    const values = Array.from({ length: 8 }, (_, i) => `v${i}`);
    const sends = values.map((value) => p.send({ topic: 'in-flight', messages: [{ value }] }));
    await until('5 batches in flight', () => p.inFlightBatches('in-flight', 0) === 5 && held >= 5, 10_000);
    const second = await restart(first, () => {});
    const metas = (await Promise.all(sends)).flat();
    expect(metas.map((m) => m.offset)).toEqual(values.map((_, i) => BigInt(i)));
    expect((await readPartition(second, 'in-flight', 0)).map((r) => r.value)).toEqual(values);
  });

  it('delivers with acks=1 (no idempotence) too', async () => {
    const first = await emulatorOn(await unusedPort());
    const p = producerOf(first, { acks: 1 });
    await p.send({ topic: 'plain', messages: [{ value: 'before' }] });
    let during: Promise<unknown> | undefined;
    const second = await restart(first, () => {
      during = p.send({ topic: 'plain', messages: [{ value: 'during' }] });
    });
    await during;
    await p.send({ topic: 'plain', messages: [{ value: 'after' }] });
    expect((await readPartition(second, 'plain', 0)).map((r) => r.value)).toEqual(['during', 'after']);
  });

  for (const [name, code] of [
    ['UNKNOWN_PRODUCER_ID', UNKNOWN_PRODUCER_ID],
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', OUT_OF_ORDER_SEQUENCE_NUMBER],
  ] as const) {
    it(`bumps the epoch when the restarted broker answers ${name}, and delivers in order`, async () => {
      const first = await emulatorOn(await unusedPort());
      const p = producerOf(first);
      await p.send({ topic: 'ids', messages: [{ value: 'before' }] });
      await first.stop();
      const second = await emulatorOn(first.port);
      let inits = 0;
      second.hooks.observe(INIT_PRODUCER_ID, () => inits++);
      // A broker that lost the producer's state but kept the log would answer so (Kafka before KIP-360).
      second.hooks.injectError(PRODUCE, code, { times: 1 });
      const metas = (
        await Promise.all(['a', 'b', 'c'].map((value) => p.send({ topic: 'ids', messages: [{ value }] })))
      ).flat();
      expect(metas.map((m) => m.offset)).toEqual([0n, 1n, 2n]);
      expect((await readPartition(second, 'ids', 0)).map((r) => r.value)).toEqual(['a', 'b', 'c']);
      expect(inits).toBe(1); // the epoch bump (KIP-360): a new identity, sequences from 0
    });
  }
});
