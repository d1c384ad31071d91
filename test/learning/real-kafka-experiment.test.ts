/**
 * The experiment and `kafkalab versions` against a real Apache Kafka 4.1 broker (one KRaft node from
 * test/support/real-kafka.ts, no Docker). Bounded: 20,000 messages, 2 runs per count. The broker's
 * KIP-848 heartbeat interval is 500 ms (its minimum lowered to allow it) so that a consumer-protocol
 * reconciliation takes a second, not ten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { runConsumersExperiment } from '../../src/learning/consumers-experiment.js';
import { runRebalanceScenario } from '../../src/learning/consumers-rebalance.js';
import { runCli } from '../support/cli.js';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka({
    overrides: {
      'group.consumer.heartbeat.interval.ms': '500',
      'group.consumer.min.heartbeat.interval.ms': '500',
    },
  });
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

  it('a third consumer joins two that are reading: classic stops everyone, the consumer protocol only the moved partition', async () => {
    const admin = new Admin({ bootstrap: kafka.bootstrap });
    await admin.createTopics({ topics: [{ topic: 'rebalance-real', numPartitions: 3 }] });
    await admin.close();
    const scenario = (protocol: 'classic' | 'consumer') =>
      runRebalanceScenario({
        bootstrap: kafka.bootstrap,
        topic: 'rebalance-real',
        partitions: 3,
        protocol,
        groupId: `rebalance-real-${protocol}`,
        timeoutMs: 60_000,
      });
    const classic = (await scenario('classic')).figures;
    expect([classic.membersStopped, classic.partitionsPaused]).toEqual([2, 3]);
    expect(classic.allStoppedMs).toBeGreaterThan(0);
    expect(classic.requests.JoinGroup).toBeGreaterThanOrEqual(3);
    expect(classic.requests.SyncGroup).toBe(3);
    const consumer = (await scenario('consumer')).figures;
    expect([consumer.membersStopped, consumer.partitionsPaused, consumer.allStoppedMs]).toEqual([0, 1, 0]);
    expect(consumer.requests.ConsumerGroupHeartbeat).toBeGreaterThanOrEqual(3);
    expect(consumer.requests.JoinGroup ?? 0).toBe(0);
  }, 180_000);

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
