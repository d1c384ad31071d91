// The KIP-848 churn run (support/churn-run.ts) against a real Apache Kafka 4.1.1 broker (one KRaft
// node from the project's Maven jars): the same schedule of joins, leaves and a SIGKILLed member
// while 20,000 acked records are produced, checked from the clients' side — no partition owned twice
// by the listeners' account, every step ends Stable with the group epoch up, member epochs only up,
// every record read, commits at each log end. The emulator's run, with the coordinator-side checks
// too: consumer-group-churn.test.ts. Starts a JVM: run it under `flock /tmp/kafkalab-jvm.lock`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { CHURN_SCHEDULE, runChurn } from './support/churn-run.js';

const PARTITIONS = 8;
const RECORDS = 20_000;
const SESSION_TIMEOUT_MS = 2_000;

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka({
    overrides: {
      // The killed member is fenced this long after its last heartbeat (Kafka's floors lowered).
      'group.consumer.min.session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'group.consumer.session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'group.consumer.min.heartbeat.interval.ms': '50',
      'group.consumer.heartbeat.interval.ms': '50',
    },
  });
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

describe('a KIP-848 group under churn (kafkalab Consumer, groupProtocol consumer), Apache Kafka 4.1.1', () => {
  it(`${CHURN_SCHEDULE.length} joins and leaves while ${RECORDS} records are produced: no double ownership, epochs up, every record read, commits at the log end`, async () => {
    const result = await runChurn({
      bootstrap: kafka.bootstrap,
      topic: 'kip848-churn',
      group: 'kip848-churn-g',
      partitions: PARTITIONS,
      records: RECORDS,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      stepTimeoutMs: 30_000,
    });
    expect(result.acked).toBe(RECORDS);
    expect(result.violations).toEqual([]);
    expect(result.seen).toBe(RECORDS);
    expect(result.deliveries).toBeGreaterThanOrEqual(RECORDS);
    for (let i = 1; i < result.epochsAtSteps.length; i++)
      expect(result.epochsAtSteps[i]!, `group epoch at step ${i}`).toBeGreaterThan(
        result.epochsAtSteps[i - 1]!,
      );
    for (let p = 0; p < PARTITIONS; p++)
      expect(result.committed.get(p), `partition ${p}`).toBe(result.logEnd.get(p));
    expect([...result.logEnd.values()].reduce((n, e) => n + e, 0n)).toBe(BigInt(RECORDS));
    console.log(
      `churn (Kafka 4.1.1): ${result.joined} members joined (one SIGKILLed), group epoch ${result.epochsAtSteps.at(-1)}, ` +
        `${result.deliveries} deliveries for ${RECORDS} records (${result.deliveries - RECORDS} again after a hand-over); group epoch at each step ${result.epochsAtSteps.join(' ')}`,
    );
  }, 300_000);
});
