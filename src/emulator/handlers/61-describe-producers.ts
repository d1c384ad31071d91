/**
 * DescribeProducers: v0
 *
 * Behaviour:
 * - Per partition, every producer with state in its log, as the partition leader answers
 *   (UnifiedLog.activeProducers, KIP-664): producer id and epoch, the last sequence of the
 *   retained batches (-1 when none: a marker with a new epoch clears them, or only markers were
 *   written), the timestamp of the last batch or marker, the coordinator epoch of the last marker
 *   (-1 before one), and where the producer's open transaction starts in this log (-1 when none).
 *   Idempotent producers are listed as well as transactional ones.
 * - Unknown topic or partition → UNKNOWN_TOPIC_OR_PARTITION (3); a partition this broker does not
 *   lead → NOT_LEADER_OR_FOLLOWER (6) (ReplicaManager.getPartitionOrError); errorMessage stays null
 *   as in Kafka.
 * - Producers are listed by producer id; Kafka lists them in its producer map's hash order.
 * - No expiry: Kafka forgets a producer producer.id.expiration.ms (1 day) after its last write.
 *
 * Version notes:
 * - v0 only (flexible), what kafka-transactions.sh describe-producers / find-hanging / abort send.
 */
import { DescribeProducers } from '../../protocol/messages/61-describe-producers.js';
import { controllerOf } from '../cluster/controller.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { TxnErrors as E } from '../state/transactions/index.js';

export default defineHandler({
  api: DescribeProducers,
  versions: declaredVersions(DescribeProducers),
  handle(request, ctx) {
    const { cluster } = ctx;
    const controller = controllerOf(cluster);
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const none = { partitionIndex, errorMessage: null, activeProducers: [] };
          // ACLs (KafkaApis.handleDescribeProducersRequest): READ on the topic.
          if (!authorize(ctx, 'READ', 'TOPIC', t.name))
            return {
              ...none,
              errorCode: TOPIC_AUTHORIZATION_FAILED,
              errorMessage: 'Topic authorization failed.',
            };
          const topic = cluster.topics.get(t.name);
          const log = topic?.partitions[partitionIndex];
          if (!topic || !log) return { ...none, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION };
          const leader = controller.leaderOf(topic, partitionIndex);
          if (leader && leader.nodeId !== ctx.broker.nodeId)
            return { ...none, errorCode: E.NOT_LEADER_OR_FOLLOWER };
          return {
            ...none,
            errorCode: 0,
            activeProducers: cluster.producerIds.producersOf(t.name, partitionIndex).map((p) => ({
              producerId: BigInt(p.producerId),
              producerEpoch: p.producerEpoch,
              lastSequence: p.lastSequence,
              lastTimestamp: BigInt(p.lastTimestamp),
              coordinatorEpoch: p.coordinatorEpoch,
              currentTxnStartOffset: BigInt(log.ongoingTransactions.get(p.producerId) ?? -1),
            })),
          };
        }),
      })),
    };
  },
});
