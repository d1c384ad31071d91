/** Classic-protocol partition assignors, run by the group leader. */
export { cooperativeStickyAssign, cooperativeStickyAssignor } from './cooperative-sticky.js';
export { rangeAssign, rangeAssignor } from './range.js';
export { roundRobinAssign, roundRobinAssignor } from './round-robin.js';
export type {
  AssignInput,
  Assignor,
  GroupAssignment,
  MemberSubscription,
  RebalanceProtocol,
  TopicPartitions,
} from './types.js';
