/**
 * The offset cleanup over a cluster (GroupCoordinatorShard.cleanupGroupMetadata): every group of
 * both coordinators, and offsets whose group id no coordinator knows (committed by a transaction
 * for a group that never existed, which Kafka would have as a simple group), through the rules of
 * offsets-expiry.ts; an Empty group left without offsets is deleted.
 */

import { decodeSubscription } from '../../protocol/messages/consumer-protocol.js';
import type { Cluster } from '../cluster.js';
import { groupsOf, offsetsOf } from './group-classic/wiring.js';
import { consumerGroupsOf } from './group-consumer/wiring.js';
import {
  type CleanupRun,
  cleanupExpiredOffsets,
  type ExpiringGroup,
  OffsetExpiry,
} from './offsets-expiry.js';
import { transactionsOf } from './transactions/wiring.js';

/** A group id known only by its offsets: a simple group, its offsets aging from their commit. */
const SIMPLE: ExpiringGroup = {
  baseTimestamp: (o) => o.commitTimestamp,
  isSubscribedToTopic: () => false,
  isEmpty: true,
};

/**
 * The periodic offset cleanup of a cluster (the 'offset-expiry' domain): offsets.retention.minutes,
 * every offsets.retention.check.interval.ms, as a Kafka coordinator schedules it when it loads — the
 * emulator starts it with the cluster. It lives here, not in the coordinators' wiring, because the
 * cleanup reads every coordinator and those modules must not import it back.
 */
export function offsetExpiryOf(cluster: Cluster): OffsetExpiry {
  return cluster.domain(
    'offset-expiry',
    (c) =>
      new OffsetExpiry(c.clock, c.config.offsetsRetentionCheckIntervalMs, () =>
        cleanupGroupMetadata(c, c.config.offsetsRetentionMinutes * 60_000),
      ),
  );
}

const subscriptionTopics = (metadata: Uint8Array) => decodeSubscription(metadata).value.topics;

export function cleanupGroupMetadata(cluster: Cluster, retentionMs: number): CleanupRun {
  const now = cluster.clock.now();
  const store = offsetsOf(cluster);
  const classic = groupsOf(cluster);
  const consumer = consumerGroupsOf(cluster);
  const transactions = transactionsOf(cluster);
  const run: CleanupRun = { expired: [], deletedGroups: [] };
  const ids = new Set([...consumer.groupIds(), ...classic.groupIds(), ...store.groupIds()]);
  for (const groupId of ids) {
    const fromConsumer = consumer.expiringGroup(groupId);
    const group = fromConsumer ?? classic.expiringGroup(groupId, subscriptionTopics) ?? SIMPLE;
    const allExpired = cleanupExpiredOffsets(store, groupId, group, {
      now,
      retentionMs,
      hasPendingOffset: (topic, partition) => transactions.hasPendingOffset(groupId, topic, partition),
      expired: run.expired,
    });
    if (!allExpired || !group.isEmpty) continue;
    const deleted = fromConsumer
      ? consumer.deleteGroup(groupId) === 0
      : group === SIMPLE || classic.deleteEmptyGroup(groupId);
    if (deleted) {
      store.deleteGroup(groupId);
      run.deletedGroups.push(groupId);
    }
  }
  return run;
}
