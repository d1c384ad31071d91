/** How the consumer group coordinator sits in a cluster: the 'consumer-groups' domain. */
import type { Cluster } from '../../cluster.js';
import { groupsOf, offsetsOf } from '../group-classic/wiring.js';
import { ConsumerGroups } from './coordinator.js';
import type { AssignorName, TopicInfo } from './types.js';

export function consumerGroupsOf(cluster: Cluster): ConsumerGroups {
  return cluster.domain('consumer-groups', (c) => {
    // The offset store exists whenever a group can.
    offsetsOf(c);
    const info = (t: { id: string; name: string; partitions: unknown[] }): TopicInfo => ({
      id: t.id,
      name: t.name,
      numPartitions: t.partitions.length,
    });
    return new ConsumerGroups({
      // The cluster's clock: a test's ManualClock drives session and rebalance timeouts.
      clock: c.clock,
      config: {
        sessionTimeoutMs: c.config.groupConsumerSessionTimeoutMs,
        heartbeatIntervalMs: c.config.groupConsumerHeartbeatIntervalMs,
        maxSize: c.config.groupConsumerMaxSize,
        assignors: c.config.groupConsumerAssignors as AssignorName[],
        regexRefreshIntervalMs: c.config.groupConsumerRegexRefreshIntervalMs,
        migrationPolicy: c.config.groupConsumerMigrationPolicy,
        classicMaxSize: c.config.groupMaxSize,
        classicMinSessionTimeoutMs: c.config.groupMinSessionTimeoutMs,
        classicMaxSessionTimeoutMs: c.config.groupMaxSessionTimeoutMs,
      },
      topics: {
        byName: (name) => {
          const t = c.topics.get(name);
          return t ? info(t) : undefined;
        },
        byId: (id) => {
          const t = c.topics.getById(id);
          return t ? info(t) : undefined;
        },
        all: () =>
          c.topics
            .list()
            .filter((t) => !t.isInternal)
            .map(info),
      },
      classic: {
        kind: (groupId) => {
          const s = groupsOf(c).stateOf(groupId);
          if (!s || s.state === 'Dead') return 'none';
          return s.state === 'Empty' ? 'empty' : 'active';
        },
        removeEmpty: (groupId) => {
          groupsOf(c).removeEmptyGroup(groupId);
        },
        describeLive: (groupId) => groupsOf(c).describeLive(groupId),
        takeForUpgrade: (groupId) => groupsOf(c).takeForUpgrade(groupId),
        installDowngraded: (groupId, generationId, members) =>
          groupsOf(c).installDowngraded(groupId, generationId, members),
      },
    });
  });
}
