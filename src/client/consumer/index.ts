/** The consumer: groups (classic protocol) and assign mode. */
export { Consumer, type ConsumerOptions, type RunOptions } from './consumer.js';
export { CommitFailedError, CorruptRecordError, NoOffsetForPartitionError } from './errors.js';
export type {
  ConsumerRecord,
  OffsetResetStrategy,
  RebalanceListener,
  RecordBatchOfPartition,
  TopicPartition,
  TopicPartitionOffset,
} from './types.js';
