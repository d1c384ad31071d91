// Helpers for the consumer tests: event-driven waits (test/support/until.ts; every emulator exchange
// and every record or rebalance callback re-checks the pending conditions; each wait fails after a
// timeout), an emulator with short group timeouts, and a producer from src/client.

import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { poke, until } from '../support/until.js';

export { poke, until };

/** An emulator whose group coordinator accepts short session timeouts (group.min.session.timeout.ms 500). */
export async function startTestEmulator(topics: { name: string; partitions?: number }[]): Promise<Emulator> {
  const emulator = await startEmulator({ topics, groupMinSessionTimeoutMs: 500 });
  emulator.hooks.observe('*', poke);
  return emulator;
}

/** Produces `values` to one partition each (values[i] → partition i % partitions), in order, awaited. */
export async function produce(
  emulator: Emulator,
  topic: string,
  messages: { value: string; key?: string; partition: number }[],
): Promise<void> {
  const producer = new Producer({ bootstrap: emulator.bootstrap, clientId: 'test-producer' });
  try {
    await producer.send({
      topic,
      messages: messages.map((m) => ({
        value: Buffer.from(m.value),
        key: m.key ?? null,
        partition: m.partition,
      })),
    });
  } finally {
    await producer.close();
  }
}

/** Short timeouts so the tests run in seconds (the emulator allows session timeouts from 500 ms). */
export const FAST_GROUP = {
  sessionTimeoutMs: 6_000,
  rebalanceTimeoutMs: 10_000,
  heartbeatIntervalMs: 100,
  fetchMaxWaitMs: 100,
  autoCommitIntervalMs: 200,
} as const;
