/**
 * Transactions (KIP-98), split by concept:
 *
 * - types.ts        Kafka's error codes and states, one transactional id's metadata, broker settings
 * - coordinator.ts  `TransactionCoordinator`: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn,
 *                   EndTxn, the Produce and TxnOffsetCommit checks, timeouts, views
 * - markers.ts      COMMIT/ABORT control batches written into a transaction's partitions
 * - wiring.ts       `transactionsOf(cluster)`, the coordinator of a cluster
 *
 * The partitions' side — ongoing transactions, the last stable offset, aborted transactions — is
 * kept by each PartitionLog. Nothing here knows bytes (beyond the marker batch) or API versions.
 */
export {
  GROUP_METADATA_TOPIC,
  type InitProducerIdArgs,
  type ProducerRef,
  TransactionCoordinator,
  type TxnCoordinatorDeps,
  type TxnDescription,
} from './coordinator.js';
export {
  appendMarker,
  COORDINATOR_EPOCH,
  type MarkerProducerState,
  type MarkerSpec,
  writeMarkers,
} from './markers.js';
export * from './types.js';
export { transactionsOf } from './wiring.js';
