/**
 * Classic consumer groups (the JoinGroup/SyncGroup protocol, not KIP-848), split by concept:
 *
 * - types.ts          Kafka's error codes, broker settings, the plain request/result values
 * - member.ts         one member; classic-group.ts one group's data and member checks
 * - state-machine.ts  Empty → PreparingRebalance → CompletingRebalance → Stable (→ Dead): rebalances
 * - join.ts           JoinGroup: new, pending (KIP-394), static (KIP-345) and known members
 * - sync.ts           SyncGroup: the leader's assignment handed out
 * - session.ts        session timers, pending member ids, Heartbeat
 * - leave.ts          LeaveGroup by member id or instance id
 * - offset-commit.ts  the membership half of OffsetCommit's acceptance rules
 * - views.ts          DescribeGroups, ListGroups, DeleteGroups, stateOf
 * - expiry.ts         what the offset cleanup (../offsets-expiry.ts) asks of a group
 * - coordinator.ts    `Groups`, the face handlers call; wiring.ts puts it in a cluster
 *
 * The shape follows Apache Kafka's group coordinator (`GroupMetadataManager`, `ClassicGroup`); the
 * error codes are the ones in broker-behaviour.md §1.10 and rows 43-57 of its conformance table.
 * Nothing here knows bytes or API versions. Waits are parked promises owned by the group; timers
 * come from the cluster's Clock so tests advance time instead of sleeping.
 */
export { Groups, type GroupsOptions } from './coordinator.js';
export type { OffsetCommitArgs } from './offset-commit.js';
export * from './types.js';
export type { GroupSnapshot } from './views.js';
export { clientHostOf, groupsOf, offsetsOf, settleOnAbort } from './wiring.js';
