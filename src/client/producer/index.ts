export { DeliveryTimeoutError } from './errors.js';
export { murmur2, partitionForKey } from './murmur2.js';
export { DefaultPartitioner } from './partitioner.js';
export { Producer, type ProducerConnectOptions } from './producer.js';
export {
  ProducerFencedError,
  TransactionAbortedError,
  TransactionError,
  type TransactionErrorKind,
  TransactionStateError,
  TransactionTimeoutError,
} from './transaction-errors.js';
export type { ConsumerGroupMetadata, TransactionState } from './transaction-manager.js';
export type * from './types.js';
