/**
 * The consumer group coordinator's vocabulary (KIP-848): Kafka's error codes for the outcomes it
 * decides, its broker settings, the member states of a reconciliation, and the plain request/result
 * values handlers map to and from the wire.
 */

// Kafka's codes (org.apache.kafka.common.protocol.Errors) for the outcomes this coordinator decides.
export const ConsumerGroupErrors = {
  NONE: 0,
  COORDINATOR_NOT_AVAILABLE: 15,
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
  FENCED_MEMBER_EPOCH: 110,
  UNRELEASED_INSTANCE_ID: 111,
  UNSUPPORTED_ASSIGNOR: 112,
  STALE_MEMBER_EPOCH: 113,
  INVALID_REGULAR_EXPRESSION: 128,
} as const;

/** ConsumerGroupHeartbeatRequest.JOIN_GROUP_MEMBER_EPOCH, LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH. */
export const JOIN_GROUP_MEMBER_EPOCH = 0;
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

/** The assignor names Kafka's group coordinator knows (UniformAssignor.NAME, RangeAssignor.NAME). */
export type AssignorName = 'uniform' | 'range';
export const KNOWN_ASSIGNORS: readonly AssignorName[] = ['uniform', 'range'];

export interface ConsumerGroupConfig {
  /** group.consumer.session.timeout.ms (Kafka 45000): a member silent this long is fenced. */
  sessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms (Kafka 5000): what every heartbeat response tells the member. */
  heartbeatIntervalMs: number;
  /** group.consumer.max.size (Kafka Integer.MAX_VALUE). */
  maxSize: number;
  /** group.consumer.assignors: the first is the default when no member names one. */
  assignors: readonly AssignorName[];
  /** group.consumer.regex.refresh.interval.ms (Kafka 600000): regexes are resolved again at least this often. */
  regexRefreshIntervalMs: number;
}

export const DEFAULT_CONSUMER_GROUP_CONFIG: ConsumerGroupConfig = {
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 5000,
  maxSize: 2_147_483_647,
  assignors: ['uniform', 'range'],
  regexRefreshIntervalMs: 600_000,
};

/** Where a member is in its reconciliation (Kafka's MemberState). */
export type MemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS';

/** Kafka's ConsumerGroupState names, as ListGroups and ConsumerGroupDescribe print them. */
export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

/** topic id → partitions. */
export type Assignment = Map<string, Set<number>>;

/** One owned or assigned topic on the wire: partitions of a topic id. */
export interface TopicPartitions {
  topicId: string;
  partitions: number[];
}

export interface HeartbeatArgs {
  groupId: string;
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  /** -1 when unchanged since the last heartbeat. */
  rebalanceTimeoutMs: number;
  subscribedTopicNames: readonly string[] | null;
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  /** null when unchanged since the last heartbeat. */
  topicPartitions: readonly TopicPartitions[] | null;
  clientId: string;
  clientHost: string;
  /** The request's version: v1+ (KIP-1082) members bring their own member id. */
  apiVersion: number;
}

export interface HeartbeatResult {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  /** null when the member's assignment did not change (and the request was not a full one). */
  assignment: { topicPartitions: TopicPartitions[] } | null;
}

/** A topic as the coordinator sees it in the cluster's metadata. */
export interface TopicInfo {
  id: string;
  name: string;
  numPartitions: number;
}

/** How the coordinator reads topics without knowing the cluster (no import cycle, easy to fake in tests). */
export interface TopicsView {
  byName(name: string): TopicInfo | undefined;
  byId(id: string): TopicInfo | undefined;
  /** Every topic, for regular-expression subscriptions. */
  all(): TopicInfo[];
}

/** What the consumer coordinator needs to know about a classic group of the same id. */
export interface ClassicGroupsView {
  /** 'none' when there is no classic group of that id. */
  kind(groupId: string): 'none' | 'empty' | 'active';
  /** Removes an Empty classic group (its committed offsets stay): a consumer group takes the id. */
  removeEmpty(groupId: string): void;
}

/** One state change of a member, for the emulator's --trace and tests. */
export interface ConsumerGroupTransition {
  groupId: string;
  memberId: string;
  groupEpoch: number;
  assignmentEpoch: number;
  memberEpoch: number;
  memberState: MemberState | 'LEFT' | 'FENCED';
  reason: string;
  /** What the member owns now, what it must still give up, and the group's target for it: `topic-partition`. */
  assigned: string[];
  revoking: string[];
  target: string[];
}
