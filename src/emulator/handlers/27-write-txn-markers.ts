/**
 * WriteTxnMarkers: v1
 *
 * Behaviour:
 * - Appends one COMMIT or ABORT marker per listed partition for the producer, with the given epoch
 *   and coordinator epoch, as a partition leader does when a transaction coordinator asks (Kafka's
 *   inter-broker request). Here it comes from outside: Admin.abortTransaction /
 *   kafka-transactions.sh abort (KIP-664) ends a hanging transaction this way. The coordinator's
 *   own EndTxn writes its markers directly (state/transactions/markers.ts), so this handler only
 *   changes the partition: its open transaction ends, the last stable offset moves; the
 *   coordinator's state of that transactional id is not touched (Kafka's is not either).
 * - Per partition (ProducerAppendInfo.appendEndTxnMarker, TV0/1 rules): unknown topic or partition
 *   → UNKNOWN_TOPIC_OR_PARTITION (3); not the leader → NOT_LEADER_OR_FOLLOWER (6); epoch below the
 *   producer's in that partition → INVALID_PRODUCER_EPOCH (47); coordinator epoch below the last
 *   marker's → TRANSACTION_COORDINATOR_FENCED (52). A marker for a producer with nothing open still
 *   lands in the log (an abort of nothing adds no aborted-transaction entry).
 * - A __consumer_offsets partition: the marker decides nothing here (pending transactional offsets
 *   belong to the coordinator's EndTxn) and is answered NONE without an append.
 * - With an authorizer, CLUSTER_ACTION on the cluster, else CLUSTER_AUTHORIZATION_FAILED (31) for
 *   every partition.
 *
 * Version notes:
 * - v1 only (flexible), as Kafka 4.x: KIP-896 removed v0, which kafkalab's codecs still declare.
 */
import { WriteTxnMarkers } from '../../protocol/messages/27-write-txn-markers.js';
import { controllerOf } from '../cluster/controller.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorizeCluster, CLUSTER_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { appendMarker, TxnErrors as E, GROUP_METADATA_TOPIC } from '../state/transactions/index.js';

export default defineHandler({
  api: WriteTxnMarkers,
  versions: declaredVersions(WriteTxnMarkers, 1),
  handle(request, ctx) {
    const { cluster } = ctx;
    const controller = controllerOf(cluster);
    // ACLs (KafkaApis.handleWriteTxnMarkersRequest): CLUSTER_ACTION on the cluster, else every
    // partition is refused (kafka-transactions abort needs it too).
    const clusterAction = authorizeCluster(ctx, 'CLUSTER_ACTION');
    const markerCode = (
      m: (typeof request.markers)[number],
      topicName: string,
      partitionIndex: number,
    ): number => {
      const topic = cluster.topics.get(topicName);
      const log = topic?.partitions[partitionIndex];
      if (!topic || !log) return E.UNKNOWN_TOPIC_OR_PARTITION;
      const leader = controller.leaderOf(topic, partitionIndex);
      if (leader && leader.nodeId !== ctx.broker.nodeId) return E.NOT_LEADER_OR_FOLLOWER;
      if (topicName === GROUP_METADATA_TOPIC) return E.NONE;
      const producerId = Number(m.producerId);
      const state = cluster.producerIds.stateIn(producerId, topicName, partitionIndex);
      if (state && m.producerEpoch < state.producerEpoch) return E.INVALID_PRODUCER_EPOCH;
      if (state && m.coordinatorEpoch < state.coordinatorEpoch) return E.TRANSACTION_COORDINATOR_FENCED;
      const offset = appendMarker(
        log,
        {
          producerId,
          producerEpoch: m.producerEpoch,
          commit: m.transactionResult,
          coordinatorEpoch: m.coordinatorEpoch,
          timestamp: ctx.now(),
        },
        cluster.producerIds,
      );
      ctx.log(
        `${topicName}-${partitionIndex}: ${m.transactionResult ? 'COMMIT' : 'ABORT'} marker of producer ${producerId} (epoch ${m.producerEpoch}, coordinator epoch ${m.coordinatorEpoch}) at offset ${offset}`,
      );
      return E.NONE;
    };
    return {
      markers: request.markers.map((m) => ({
        producerId: m.producerId,
        topics: m.topics.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({
            partitionIndex,
            errorCode: clusterAction ? markerCode(m, t.name, partitionIndex) : CLUSTER_AUTHORIZATION_FAILED,
          })),
        })),
      })),
    };
  },
});
