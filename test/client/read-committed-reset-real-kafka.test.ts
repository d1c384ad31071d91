/**
 * read_committed's reset to the last stable offset (support/read-committed-reset-case.ts) against a
 * real Apache Kafka 4.1.1 broker (test/support/real-kafka.ts): the positions the emulator gives are
 * Kafka's. Starts a JVM: run under flock /tmp/kafkalab-jvm.lock.
 */
import { afterAll, beforeAll } from 'vitest';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { readCommittedResetCase } from './support/read-committed-reset-case.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka();
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

readCommittedResetCase(() => kafka.bootstrap, 'real Kafka');
