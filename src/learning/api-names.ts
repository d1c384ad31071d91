/**
 * Names of every Kafka API key up to Kafka 4.1, so that `kafkalab versions` can name the APIs a broker
 * serves even when kafkalab declares no codec for them (most are broker-to-broker or controller APIs).
 * Facts from Apache Kafka's message definitions (clients/src/main/resources/common/message/*.json).
 */
const NAMES: readonly string[] = [
  'Produce',
  'Fetch',
  'ListOffsets',
  'Metadata',
  'LeaderAndIsr',
  'StopReplica',
  'UpdateMetadata',
  'ControlledShutdown',
  'OffsetCommit',
  'OffsetFetch',
  'FindCoordinator',
  'JoinGroup',
  'Heartbeat',
  'LeaveGroup',
  'SyncGroup',
  'DescribeGroups',
  'ListGroups',
  'SaslHandshake',
  'ApiVersions',
  'CreateTopics',
  'DeleteTopics',
  'DeleteRecords',
  'InitProducerId',
  'OffsetForLeaderEpoch',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'EndTxn',
  'WriteTxnMarkers',
  'TxnOffsetCommit',
  'DescribeAcls',
  'CreateAcls',
  'DeleteAcls',
  'DescribeConfigs',
  'AlterConfigs',
  'AlterReplicaLogDirs',
  'DescribeLogDirs',
  'SaslAuthenticate',
  'CreatePartitions',
  'CreateDelegationToken',
  'RenewDelegationToken',
  'ExpireDelegationToken',
  'DescribeDelegationToken',
  'DeleteGroups',
  'ElectLeaders',
  'IncrementalAlterConfigs',
  'AlterPartitionReassignments',
  'ListPartitionReassignments',
  'OffsetDelete',
  'DescribeClientQuotas',
  'AlterClientQuotas',
  'DescribeUserScramCredentials',
  'AlterUserScramCredentials',
  'Vote',
  'BeginQuorumEpoch',
  'EndQuorumEpoch',
  'DescribeQuorum',
  'AlterPartition',
  'UpdateFeatures',
  'Envelope',
  'FetchSnapshot',
  'DescribeCluster',
  'DescribeProducers',
  'BrokerRegistration',
  'BrokerHeartbeat',
  'UnregisterBroker',
  'DescribeTransactions',
  'ListTransactions',
  'AllocateProducerIds',
  'ConsumerGroupHeartbeat',
  'ConsumerGroupDescribe',
  'ControllerRegistration',
  'GetTelemetrySubscriptions',
  'PushTelemetry',
  'AssignReplicasToDirs',
  // ListClientMetricsResources (KIP-714) until Kafka 4.1 renamed it (KIP-1142).
  'ListConfigResources',
  'DescribeTopicPartitions',
  'ShareGroupHeartbeat',
  'ShareGroupDescribe',
  'ShareFetch',
  'ShareAcknowledge',
  'AddRaftVoter',
  'RemoveRaftVoter',
  'UpdateRaftVoter',
  'InitializeShareGroupState',
  'ReadShareGroupState',
  'WriteShareGroupState',
  'DeleteShareGroupState',
  'ReadShareGroupStateSummary',
  'StreamsGroupHeartbeat',
  'StreamsGroupDescribe',
  'DescribeShareGroupOffsets',
  'AlterShareGroupOffsets',
  'DeleteShareGroupOffsets',
];

/** `Metadata` for 3; `ApiKey(120)` for a key newer than this table. */
export function apiKeyName(apiKey: number): string {
  return NAMES[apiKey] ?? `ApiKey(${apiKey})`;
}

/** What an API is for: the sections of `kafkalab versions`. */
export type ApiPurpose =
  | 'client'
  | 'groups'
  | 'transactions'
  | 'share-groups'
  | 'streams'
  | 'admin'
  | 'controller'
  | 'telemetry'
  | 'other';

export interface ApiPurposeGroup {
  purpose: ApiPurpose;
  title: string;
  /** The API keys of this purpose, in key order. */
  keys: readonly number[];
}

/**
 * Every API key by what it is for, in the order `kafkalab versions` shows them. The sorting is ours
 * (Kafka's JSON only says which listeners take an API): what a client needs to produce and consume,
 * group membership and offsets, transactions, KIP-932 share groups, KIP-1071 streams groups, admin,
 * the broker/controller and KRaft quorum APIs that clients never send, KIP-714 client telemetry.
 */
export const API_PURPOSES: readonly ApiPurposeGroup[] = [
  {
    purpose: 'client',
    title: 'client: produce, fetch, metadata, negotiation, SASL',
    keys: [0, 1, 2, 3, 17, 18, 23, 36],
  },
  {
    purpose: 'groups',
    title: 'groups: consumer groups (classic and KIP-848) and their offsets',
    keys: [8, 9, 10, 11, 12, 13, 14, 15, 16, 42, 47, 68, 69],
  },
  {
    purpose: 'transactions',
    title: 'transactions: idempotent and transactional producers (KIP-98, KIP-664)',
    keys: [22, 24, 25, 26, 27, 28, 61, 65, 66],
  },
  {
    purpose: 'share-groups',
    title: 'share groups: queues for Kafka (KIP-932), client, admin and state APIs',
    keys: [76, 77, 78, 79, 83, 84, 85, 86, 87, 90, 91, 92],
  },
  {
    purpose: 'streams',
    title: 'streams groups: the Kafka Streams rebalance protocol (KIP-1071)',
    keys: [88, 89],
  },
  {
    purpose: 'admin',
    title: 'admin: topics, configs, ACLs, quotas, credentials, reassignments, cluster',
    keys: [
      19, 20, 21, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 43, 44, 45, 46, 48, 49, 50, 51, 55, 57, 60,
      64, 74, 75,
    ],
  },
  {
    purpose: 'controller',
    title: 'controller and KRaft: broker/controller and quorum APIs (KIP-500, KIP-595, KIP-853)',
    keys: [4, 5, 6, 7, 52, 53, 54, 56, 58, 59, 62, 63, 67, 70, 73, 80, 81, 82],
  },
  { purpose: 'telemetry', title: 'telemetry: client metrics pushed to the broker (KIP-714)', keys: [71, 72] },
];

const PURPOSE_BY_KEY = new Map(API_PURPOSES.flatMap((g) => g.keys.map((k) => [k, g.purpose] as const)));

/** The purpose of an API key; 'other' for a key newer than this table. */
export function apiPurpose(apiKey: number): ApiPurpose {
  return PURPOSE_BY_KEY.get(apiKey) ?? 'other';
}
