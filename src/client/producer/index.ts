export { DeliveryTimeoutError } from './errors.js';
export { murmur2, partitionForKey } from './murmur2.js';
export { DefaultPartitioner } from './partitioner.js';
export { Producer, type ProducerConnectOptions } from './producer.js';
export type * from './types.js';
