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
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_SESSION_TIMEOUT: 26,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
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
  /** group.consumer.migration.policy (Kafka 4.1.1 BIDIRECTIONAL): which online conversions are allowed. */
  migrationPolicy: MigrationPolicy;
  /** group.max.size: a consumer group is downgraded to a classic one only when it fits. */
  classicMaxSize: number;
  /** group.min/max.session.timeout.ms: a classic member's JoinGroup outside them is refused (26). */
  classicMinSessionTimeoutMs: number;
  classicMaxSessionTimeoutMs: number;
}

/** ConsumerGroupMigrationPolicy. */
export type MigrationPolicy = 'DISABLED' | 'UPGRADE' | 'DOWNGRADE' | 'BIDIRECTIONAL';

export function isUpgradeEnabled(p: MigrationPolicy): boolean {
  return p === 'UPGRADE' || p === 'BIDIRECTIONAL';
}

export function isDowngradeEnabled(p: MigrationPolicy): boolean {
  return p === 'DOWNGRADE' || p === 'BIDIRECTIONAL';
}

export const DEFAULT_CONSUMER_GROUP_CONFIG: ConsumerGroupConfig = {
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 5000,
  maxSize: 2_147_483_647,
  assignors: ['uniform', 'range'],
  regexRefreshIntervalMs: 600_000,
  migrationPolicy: 'BIDIRECTIONAL',
  classicMaxSize: 2_147_483_647,
  classicMinSessionTimeoutMs: 6000,
  classicMaxSessionTimeoutMs: 1_800_000,
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
  /**
   * Whether this request's principal may DESCRIBE a topic (ACLs). A regex resolution this heartbeat
   * starts keeps only such topics, as Kafka 4.1.1 filters it with the triggering request's context
   * (GroupMetadataManager.filterTopicDescribeAuthorizedTopics). Absent: every topic.
   */
  canDescribeTopic?: (topic: string) => boolean;
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

/** A JoinGroup protocol (name and the consumer protocol's Subscription bytes). */
export interface ClassicProtocol {
  name: string;
  metadata: Uint8Array;
}

/** A member of a classic group as it crosses over in an online upgrade or downgrade. */
export interface ClassicMemberImage {
  memberId: string;
  instanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: readonly ClassicProtocol[];
  /** The consumer protocol's Assignment bytes (empty when it has none yet). */
  assignment: Uint8Array;
}

/** A live classic group taken out of the classic coordinator to become a consumer group. */
export interface ClassicGroupImage {
  generationId: number;
  protocolName: string | null;
  members: ClassicMemberImage[];
}

/** What the consumer coordinator needs to know about a classic group of the same id. */
export interface ClassicGroupsView {
  /** 'none' when there is no classic group of that id. */
  kind(groupId: string): 'none' | 'empty' | 'active';
  /** Removes an Empty classic group (its committed offsets stay): a consumer group takes the id. */
  removeEmpty(groupId: string): void;
  /** The live group's protocol type and size, for validateOnlineUpgrade (a view without the three migration hooks cannot migrate). */
  describeLive?(groupId: string): { protocolType: string | null; members: number } | undefined;
  /**
   * Online upgrade: the live group leaves the classic coordinator (parked joins and syncs answered
   * REBALANCE_IN_PROGRESS, timers cancelled) and is handed over.
   */
  takeForUpgrade?(groupId: string): ClassicGroupImage;
  /**
   * Online downgrade: a classic group made of these members, Stable at `generationId` with the
   * given assignments, which then prepares a rebalance (ClassicGroup.fromConsumerGroup).
   */
  installDowngraded?(groupId: string, generationId: number, members: readonly ClassicMemberImage[]): void;
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
