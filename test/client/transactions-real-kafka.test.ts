/**
 * kafkalab's transactional producer and read_committed consumer against a real Apache Kafka 4.1.1
 * broker (one KRaft node, test/support/real-kafka.ts; kafka.sh sets the transaction log's replication
 * factor and min ISR to 1) — the cases of transactions.test.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type RealKafka, startRealKafka } from '../support/real-kafka.js';
import { transactionCases } from './support/transactions-cases.js';

let kafka: RealKafka;
beforeAll(async () => {
  kafka = await startRealKafka();
}, 300_000);
afterAll(() => kafka?.stop(), 60_000);

describe('transactions against Apache Kafka 4.1.1', () => {
  transactionCases({ bootstrap: () => kafka.bootstrap }, 'real Kafka');
});
