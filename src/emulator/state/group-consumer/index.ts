/**
 * Consumer groups of KIP-848's consumer rebalance protocol (ConsumerGroupHeartbeat), beside the
 * classic coordinator in ../group-classic/ and sharing its committed-offset store:
 *
 * - types.ts           Kafka's error codes, broker settings (group.consumer.*), plain values
 * - assignors.ts       the server-side assignors `uniform` and `range`
 * - reconcile.ts       one member's step towards its target (Kafka's CurrentAssignmentBuilder)
 * - consumer-group.ts  a group's epochs, members and target assignment
 * - migration.ts       KIP-848's online migration: a classic group's members in, a downgraded group's out
 * - coordinator.ts     `ConsumerGroups`, the face handlers call: the heartbeat path and the steps
 *                      every path shares (coordinator-steps.ts); wiring.ts puts it in a cluster
 * - classic-members.ts JoinGroup/SyncGroup/Heartbeat/LeaveGroup of classic members in a consumer group
 * - regex-resolution.ts subscribedTopicRegex resolved, batched as Kafka does (re2j.ts parses)
 * - admin-views.ts     ConsumerGroupDescribe, ListGroups rows, snapshots for the CLI and tests
 *
 * Nothing here knows bytes or API versions beyond the two rules Kafka ties to a version (v1 members
 * bring their own id; OffsetCommit below v9 is refused for consumer-protocol members).
 */
export {
  type ConsumerGroupSnapshot,
  ConsumerGroups,
  type ConsumerGroupsOptions,
  type ConsumerMemberSnapshot,
  type DescribedConsumerGroup,
  type ListedConsumerGroup,
} from './coordinator.js';
export * from './types.js';
export { consumerGroupsOf } from './wiring.js';
