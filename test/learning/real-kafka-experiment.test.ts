/**
 * The experiment and `kafkalab versions` against a real Apache Kafka 4.1 broker (one KRaft node from
 * test/support/real-kafka.ts, no Docker). Bounded: 20,000 messages, 2 runs per count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsumersExperiment } from '../../src/learning/consumers-experiment.js';
import { runCli } from '../support/cli.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka();
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

describe('against a real Kafka broker', () => {
  it('the experiment splits 2 partitions 2 / 1+1 / 1+1+0 and reads everything', async () => {
    const result = await runConsumersExperiment({
      bootstrap: kafka.bootstrap,
      topic: 'experiment-real',
      partitions: 2,
      messages: 20_000,
      consumers: [1, 2, 3],
      runs: 2,
      runTimeoutMs: 60_000,
    });
    const splits = result.results.map((r) => r.runs.map((run) => [...run.partitionsEach].sort().join('+')));
    expect(splits).toEqual([
      ['2', '2'],
      ['1+1', '1+1'],
      ['0+1+1', '0+1+1'],
    ]);
    for (const r of result.results) {
      for (const run of r.runs) expect(run.delivered).toBeGreaterThanOrEqual(20_000);
      expect(r.messagesPerSecond).toBeGreaterThan(0);
    }
  }, 240_000);

  it('kafkalab versions: every API Kafka 4.1.1 advertises has a kafkalab codec, named as Kafka names it', async () => {
    const run = await runCli(['versions', '--bootstrap-server', kafka.bootstrap]);
    expect(run.code).toBe(0);
    const rows = new Map(
      run.stdout
        .split('\n')
        .slice(3)
        .filter((l) => /^\s*\d+\s/.test(l)) // API rows; section titles and blank lines apart
        .map((l) => l.trim().split(/\s{2,}/))
        .map((c) => [c[1], c]),
    );
    // Kafka 4 still advertises Produce from v0 though it rejects v0-2 (KIP-896): KAFKA-18659 keeps
    // old librdkafka, which wants to see v0, working. kafkalab picks the top of the range anyway.
    expect(rows.get('Produce')?.[2]).toMatch(/^0-\d+$/);
    // EndTxn v5 is KIP-890's transactions V2; kafkalab declares every version 4.1.1 knows (issue 12).
    expect(rows.get('EndTxn')?.slice(2, 5)).toEqual(['0-5', '0-5', 'v5']);
    expect([...rows.values()].filter((c) => c.includes('no kafkalab codec'))).toEqual([]);
    expect([...rows.keys()].filter((n) => n.startsWith('ApiKey('))).toEqual([]);
  }, 60_000);
});
