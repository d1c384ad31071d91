/**
 * Exactly once across a SIGKILL against a real Apache Kafka 4.1.1 broker (one KRaft node from the
 * project's Maven jars, test/support/real-kafka.ts): the run of exactly-once.test.ts — 3
 * consume-transform-produce processes, 3 input partitions, 3,000 records, one instance killed inside
 * a transaction and replaced with the same transactional.id; the committed output holds every input
 * record once, in order. Starts a JVM: run it under `flock /tmp/kafkalab-jvm.lock`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { checkExactlyOnce } from './exactly-once-check.js';
import { expectedOutput, REPLACEMENT, runExactlyOnce } from './exactly-once-run.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka({
    // KIP-848 groups (the second case): the killed member is fenced 2 s after its last heartbeat.
    overrides: {
      'group.consumer.min.session.timeout.ms': '2000',
      'group.consumer.session.timeout.ms': '2000',
      'group.consumer.min.heartbeat.interval.ms': '100',
      'group.consumer.heartbeat.interval.ms': '100',
    },
  });
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

describe('exactly once, 3 processes, one SIGKILLed mid-transaction (Apache Kafka 4.1.1)', () => {
  it('every input record is in the committed output exactly once', async () => {
    const result = await runExactlyOnce({
      bootstrap: kafka.bootstrap,
      runId: `kafka-${process.pid}`,
      partitions: 3,
      records: 3_000,
      victim: 1,
      dieInTransaction: 3,
      stepTimeoutMs: 60_000,
    });
    checkExactlyOnce(result, expectedOutput(3_000, 3), 'i1');
    console.log(
      `handovers: ${result.handovers.join(', ')}; aborts: ${result.aborts.length}; commits: ${[...result.commits].map(([n, c]) => `${n} ${c}`).join(', ')}; in the killed transaction: ${result.inOpenTransaction}`,
    );
    expect(result.commits.get(REPLACEMENT) ?? 0).toBeGreaterThan(0);
  }, 240_000);

  it('the same with KIP-848 consumer groups (group.protocol consumer)', async () => {
    const result = await runExactlyOnce({
      bootstrap: kafka.bootstrap,
      runId: `kafka-848-${process.pid}`,
      partitions: 3,
      records: 3_000,
      victim: 1,
      dieInTransaction: 3,
      stepTimeoutMs: 60_000,
      groupProtocol: 'consumer',
    });
    checkExactlyOnce(result, expectedOutput(3_000, 3), 'i1', { liveHandover: false });
    console.log(
      `KIP-848 handovers: ${result.handovers.join(', ')}; aborts: ${result.aborts.length}; commits: ${[...result.commits].map(([n, c]) => `${n} ${c}`).join(', ')}`,
    );
    expect(result.commits.get(REPLACEMENT) ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
