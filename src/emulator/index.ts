/**
 * `kafkalab/emulator`: an in-memory, single-broker Kafka that unmodified clients can use.
 *
 *     const kafka = await startEmulator({ port: 0, topics: [{ name: 'test', partitions: 2 }] });
 *     // new Kafka({ brokers: [kafka.bootstrap] }) ...
 *     await kafka.stop();
 */
export { type Clock, ManualClock, systemClock, type Timer } from './clock.js';
export { Cluster, type StateDomain } from './cluster.js';
export { DEFAULT_CONFIG, type EmulatorConfig } from './config.js';
export {
  exchangeJsonLine,
  explainExchange,
  groupTransitionLine,
  traceLine,
  transactionTransitionLines,
} from './exchange-output.js';
export * from './handler.js';
export { HANDLERS } from './handlers/index.js';
export type {
  ApiSelector,
  Exchange,
  InterceptDecision,
  Removable,
  RequestEvent,
  StateChange,
} from './hooks.js';
export { Hooks } from './hooks.js';
export type {
  EmulatorState,
  GroupState,
  PartitionState,
  TopicState,
  TransactionState,
} from './inspect-state.js';
export {
  CERT_FILES,
  generateTestCertificates,
  type TestCertificates,
  writeTestCertificates,
} from './security/certs.js';
export {
  type Emulator,
  type EmulatorEndpoint,
  type EmulatorOptions,
  startEmulator,
} from './start-emulator.js';
