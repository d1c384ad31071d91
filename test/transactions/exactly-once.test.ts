/**
 * Exactly once across a SIGKILL, against the emulator (issue 13's proof; exactly-once-run.ts tells
 * the story): 3 consume-transform-produce processes, 3 input partitions, 3,000 records, one instance
 * killed inside a transaction and replaced with the same transactional.id; the output read with
 * read_committed holds every input record once, in order. The same run against a real Kafka 4.1.1 is
 * exactly-once-real-kafka.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { checkExactlyOnce } from './exactly-once-check.js';
import { expectedOutput, REPLACEMENT, runExactlyOnce } from './exactly-once-run.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    // KIP-848 groups (the second case): the killed member is fenced 2 s after its last heartbeat.
    groupConsumerSessionTimeoutMs: 2_000,
    groupConsumerHeartbeatIntervalMs: 100,
  });
});
afterAll(() => emulator?.stop());

describe('exactly once, 3 processes, one SIGKILLed mid-transaction (emulator)', () => {
  it('every input record is in the committed output exactly once', async () => {
    const result = await runExactlyOnce({
      bootstrap: emulator.bootstrap,
      runId: `emu-${process.pid}`,
      partitions: 3,
      records: 3_000,
      victim: 1,
      dieInTransaction: 3,
      stepTimeoutMs: 40_000,
    });
    checkExactlyOnce(result, expectedOutput(3_000, 3), 'i1');
    console.log(
      `handovers: ${result.handovers.join(', ')}; aborts: ${result.aborts.length}; commits: ${[...result.commits].map(([n, c]) => `${n} ${c}`).join(', ')}; in the killed transaction: ${result.inOpenTransaction}`,
    );
    expect(result.commits.get(REPLACEMENT) ?? 0).toBeGreaterThan(0);
  }, 150_000);

  it('the same with KIP-848 consumer groups (group.protocol consumer)', async () => {
    const result = await runExactlyOnce({
      bootstrap: emulator.bootstrap,
      runId: `emu-848-${process.pid}`,
      partitions: 3,
      records: 3_000,
      victim: 1,
      dieInTransaction: 3,
      stepTimeoutMs: 40_000,
      groupProtocol: 'consumer',
    });
    checkExactlyOnce(result, expectedOutput(3_000, 3), 'i1', { liveHandover: false });
    console.log(
      `KIP-848 handovers: ${result.handovers.join(', ')}; aborts: ${result.aborts.length}; commits: ${[...result.commits].map(([n, c]) => `${n} ${c}`).join(', ')}`,
    );
    expect(result.commits.get(REPLACEMENT) ?? 0).toBeGreaterThan(0);
  }, 150_000);
});
