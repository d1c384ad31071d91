/** kafkalab/client: a Kafka client on kafkalab's own protocol layer — connection, cluster, producer, consumer groups, admin. */
export * from './admin.js';
export * from './admin-acls.js';
export * from './admin-groups.js';
export * from './admin-transactions.js';
export * from './assignors/index.js';
export * from './cluster.js';
export * from './connection.js';
export * from './consumer/index.js';
export * from './errors.js';
export * from './producer/index.js';
export * from './security.js';
