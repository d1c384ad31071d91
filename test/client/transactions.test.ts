/**
 * kafkalab's transactional producer and read_committed consumer against the emulator (the same cases
 * run against Apache Kafka 4.1.1 in transactions-real-kafka.test.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { transactionCases } from './support/transactions-cases.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator?.stop());

describe('transactions against the emulator', () => {
  transactionCases({ bootstrap: () => emulator.bootstrap }, 'emulator');
});
