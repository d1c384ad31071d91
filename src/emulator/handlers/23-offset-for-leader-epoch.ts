/**
 * OffsetForLeaderEpoch: v2-4
 *
 * Behaviour:
 * - Per partition, where the requested leader epoch ended, from the partition's leader-epoch cache
 *   (cluster/leader-epochs.ts; epochs recorded as each leader starts writing), as
 *   LeaderEpochFileCache.endOffsetFor: the current epoch ends at the log end offset; an older one at
 *   the start of the next epoch the cache knows, answered with the highest known epoch at or below
 *   it; an epoch before every known one at the first epoch's start; an unknown newer epoch, or -1,
 *   as leaderEpoch -1 / endOffset -1 with no error.
 * - Only the leader answers (ReplicaManager.lastOffsetForLeaderEpoch, fetchOnlyFromLeader): a
 *   replica checks currentLeaderEpoch first (older → FENCED_LEADER_EPOCH 74, newer →
 *   UNKNOWN_LEADER_EPOCH 75, -1 skips the check), then answers NOT_LEADER_OR_FOLLOWER (6) if it does
 *   not lead; a broker without a replica → NOT_LEADER_OR_FOLLOWER; unknown topic or partition →
 *   UNKNOWN_TOPIC_OR_PARTITION (3).
 * - The log is shared by every replica (no replication modelled), so the leader's answer is every
 *   replica's: no divergence, and a consumer's KIP-320 check after a leader change finds no truncation.
 *
 * Version notes:
 * - v1 adds the epoch of the end offset (leaderEpoch) to the answer (KIP-279); v2 currentLeaderEpoch
 *   and throttleTimeMs (KIP-320); v3 replicaId (-1 consumer, -2 debug; followers' ids are not
 *   told apart here: every caller must reach the leader, as in Kafka 4); v4 flexible. v0-1 are
 *   declared (kafka-clients 3.9 still sends them) but not served, as Kafka 4.1.1 advertises v2-4
 *   (KIP-896).
 */
import { OffsetForLeaderEpoch } from '../../protocol/messages/23-offset-for-leader-epoch.js';
import { controllerOf, UNKNOWN_TOPIC_OR_PARTITION } from '../cluster/controller.js';
import { leaderAccessError } from '../cluster/leadership.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, authorizeCluster, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';

export default defineHandler({
  api: OffsetForLeaderEpoch,
  versions: declaredVersions(OffsetForLeaderEpoch, 2),
  handle(request, ctx) {
    const controller = controllerOf(ctx.cluster);
    // ACLs (KafkaApis.handleOffsetForLeaderEpochRequest): CLUSTER_ACTION (a follower) allows every
    // topic; else DESCRIBE on each.
    const clusterAction = authorizeCluster(ctx, 'CLUSTER_ACTION');
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => {
        const topic = ctx.cluster.topics.get(t.topic);
        return {
          topic: t.topic,
          partitions: t.partitions.map((p) => {
            const none = { partition: p.partition, leaderEpoch: -1, endOffset: -1n };
            if (!clusterAction && !authorize(ctx, 'DESCRIBE', 'TOPIC', t.topic))
              return { ...none, errorCode: TOPIC_AUTHORIZATION_FAILED };
            const log = topic?.partitions[p.partition];
            const reg = topic && log ? controller.partition(topic, p.partition) : undefined;
            if (!topic || !log || !reg) return { ...none, errorCode: UNKNOWN_TOPIC_OR_PARTITION };
            const refused = leaderAccessError(ctx, topic, p.partition, p.currentLeaderEpoch);
            if (refused !== 0) return { ...none, errorCode: refused };
            const end = reg.epochs.endOffsetFor(p.leaderEpoch, log.logEndOffset);
            return {
              partition: p.partition,
              errorCode: 0,
              leaderEpoch: end.epoch,
              endOffset: BigInt(end.endOffset),
            };
          }),
        };
      }),
    };
  },
});
