/**
 * The emulator's settings, with the defaults a learner gets from `kafkalab emulator` and
 * `startEmulator()`. Names follow the Kafka broker settings they stand for.
 */

export interface EmulatorConfig {
  /** Interface to bind (listeners' host). */
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  /** What Metadata/FindCoordinator tell clients to connect to (advertised.listeners); defaults to host/bound port. */
  advertisedHost?: string;
  advertisedPort?: number;
  /**
   * Listeners and their security by Kafka's broker property names (issue 17): `listeners`,
   * `listener.security.protocol.map`, `advertised.listeners`, `sasl.enabled.mechanisms`, `ssl.*`, …
   * (security/config.ts lists them). Absent: one PLAINTEXT listener on host:port.
   */
  security?: Record<string, string>;
  /** node.id of the first broker (the others follow: nodeId + 1, …); the first live one is named controller. */
  nodeId: number;
  /**
   * How many brokers the emulated cluster has (issue 16): each its own listener, on port, port + 1, …
   * (free ones when port is 0), advertising advertisedPort + i when that is given.
   */
  brokers: number;
  /**
   * broker.session.timeout.ms (Kafka's controller setting, 9000): a broker that stops heartbeating —
   * killed or paused (cluster/lifecycle.ts) — is fenced, and its leadership moved, this long after.
   */
  brokerSessionTimeoutMs: number;
  /**
   * replica.lag.time.max.ms (30000): a leader drops from the ISR a follower that has not been caught
   * up to its log end for this long (cluster/replication.ts, Partition.maybeShrinkIsr).
   */
  replicaLagTimeMaxMs: number;
  /** num.partitions: partition count of auto-created topics and of CreateTopics with numPartitions = -1. */
  numPartitions: number;
  /** auto.create.topics.enable */
  autoCreateTopics: boolean;
  /** Topics present from the start. */
  topics: { name: string; partitions?: number }[];
  /** socket.request.max.bytes: a larger frame closes the connection. */
  maxRequestBytes: number;
  /** group.initial.rebalance.delay.ms (Kafka's default is 3000; a test emulator wants 0). */
  groupInitialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms: a JoinGroup asking for less gets INVALID_SESSION_TIMEOUT (26). */
  groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms: a JoinGroup asking for more gets INVALID_SESSION_TIMEOUT (26). */
  groupMaxSessionTimeoutMs: number;
  /** group.max.size: members beyond it get GROUP_MAX_SIZE_REACHED (81). Kafka's default is Integer.MAX_VALUE. */
  groupMaxSize: number;
  /** group.consumer.session.timeout.ms (KIP-848 groups): a member silent this long is fenced. Kafka 45000. */
  groupConsumerSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms: the interval every ConsumerGroupHeartbeat answer gives. Kafka 5000. */
  groupConsumerHeartbeatIntervalMs: number;
  /** group.consumer.max.size: members beyond it get GROUP_MAX_SIZE_REACHED (81). Kafka Integer.MAX_VALUE. */
  groupConsumerMaxSize: number;
  /** group.consumer.assignors: server-side assignors by name, the first the default (Kafka: uniform, range). */
  groupConsumerAssignors: string[];
  /** group.consumer.regex.refresh.interval.ms: subscribedTopicRegex resolved again at least this often. Kafka 600000. */
  groupConsumerRegexRefreshIntervalMs: number;
  /**
   * group.consumer.migration.policy (KIP-848 online upgrade/downgrade between the classic and the
   * consumer protocol): DISABLED, UPGRADE, DOWNGRADE or BIDIRECTIONAL. Kafka 4.1.1 BIDIRECTIONAL.
   */
  groupConsumerMigrationPolicy: 'DISABLED' | 'UPGRADE' | 'DOWNGRADE' | 'BIDIRECTIONAL';
  /** max.message.bytes of every topic (Kafka's default 1048588). */
  maxMessageBytes: number;
  /**
   * log.message.timestamp.after.max.ms (KIP-937): a CreateTime record more than this far ahead of the
   * broker's clock is refused with INVALID_TIMESTAMP (32). Kafka 4 made it 1 hour (KIP-1030).
   */
  messageTimestampAfterMaxMs: bigint;
  /** log.message.timestamp.before.max.ms (KIP-937): the same, behind the clock; Long.MAX_VALUE (off) by default. */
  messageTimestampBeforeMaxMs: bigint;
  /**
   * offsets.topic.num.partitions: partitions of __consumer_offsets, created when the group coordinator
   * is first asked for (FindCoordinator), as Kafka does. Group state itself lives in state/groups.
   */
  offsetsTopicNumPartitions: number;
  /**
   * transaction.state.log.num.partitions: partitions of __transaction_state, created when the
   * transaction coordinator is first asked for (FindCoordinator key type 1), as Kafka does.
   * Transaction state itself lives in state/transactions.
   */
  transactionStateLogNumPartitions: number;
  /** transaction.max.timeout.ms: the longest transaction.timeout.ms InitProducerId accepts. */
  transactionMaxTimeoutMs: number;
  /** producer.id.expiration.ms: a partition forgets an idle producer's sequence state after this (1 day). */
  producerIdExpirationMs: number;
  /** producer.id.expiration.check.interval.ms: how often (10 min). */
  producerIdExpirationCheckIntervalMs: number;
  /** transactional.id.expiration.ms: an idle transactional id is forgotten after this (7 days). */
  transactionalIdExpirationMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms: how often expired ids are looked for (1 h). */
  transactionRemoveExpiredTransactionCleanupIntervalMs: number;
  /**
   * transaction.partition.verification.enable (KIP-890 part 1, default true): a leader asks the
   * transaction coordinator whether a transactional batch's partition is in the producer's
   * transaction before appending it. Off, it appends whatever comes, as Kafka did before 3.6 — the
   * way hanging transactions (kafka-transactions find-hanging) came about.
   */
  transactionPartitionVerificationEnable: boolean;
  /**
   * log.retention.check.interval.ms: how often retention (retention.ms, retention.bytes, the log
   * start offset) deletes old segments, on the cluster's clock. Kafka's default is 5 minutes.
   */
  logRetentionCheckIntervalMs: number;
  /** log.cleaner.backoff.ms: how often the cleaner looks for a compacted log to clean (Kafka 15 s). */
  logCleanerBackoffMs: number;
  /**
   * offsets.retention.minutes: how long committed offsets outlive their group's use of them (Kafka
   * 10080, 7 days; the rules per group kind are in state/offsets-expiry.ts).
   */
  offsetsRetentionMinutes: number;
  /** offsets.retention.check.interval.ms: how often expired offsets are removed (Kafka 600000). */
  offsetsRetentionCheckIntervalMs: number;
  /** cluster.id reported by Metadata and DescribeCluster. */
  clusterId: string;
  /** --data-dir: keep topics, logs, configs and offsets here across restarts (persistence/); memory-only without. */
  dataDir?: string;
  /** --fsync: 'always' fdatasyncs each append, 'never' (default) leaves flushing to the OS (persistence/log-files.ts). */
  fsync?: 'always' | 'never';
  /**
   * Log defaults from server.properties by Kafka's names (log.retention.hours, log.roll.ms, …;
   * state/static-log-configs.ts): --override log.retention.hours=1. STATIC_BROKER_CONFIG in describes.
   */
  staticLogConfigs?: Readonly<Record<string, string>>;
}

export const DEFAULT_CONFIG: EmulatorConfig = {
  host: '127.0.0.1',
  port: 9092,
  nodeId: 0,
  brokers: 1,
  brokerSessionTimeoutMs: 9000,
  replicaLagTimeMaxMs: 30_000,
  numPartitions: 1,
  autoCreateTopics: true,
  topics: [],
  maxRequestBytes: 104_857_600,
  groupInitialRebalanceDelayMs: 0,
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupMaxSize: 2_147_483_647,
  groupConsumerSessionTimeoutMs: 45_000,
  groupConsumerHeartbeatIntervalMs: 5000,
  groupConsumerMaxSize: 2_147_483_647,
  groupConsumerAssignors: ['uniform', 'range'],
  groupConsumerRegexRefreshIntervalMs: 600_000,
  groupConsumerMigrationPolicy: 'BIDIRECTIONAL',
  maxMessageBytes: 1_048_588,
  messageTimestampAfterMaxMs: 3_600_000n,
  messageTimestampBeforeMaxMs: 9_223_372_036_854_775_807n,
  offsetsTopicNumPartitions: 50,
  transactionStateLogNumPartitions: 50,
  transactionMaxTimeoutMs: 900_000,
  producerIdExpirationMs: 86_400_000,
  producerIdExpirationCheckIntervalMs: 600_000,
  transactionalIdExpirationMs: 604_800_000,
  transactionRemoveExpiredTransactionCleanupIntervalMs: 3_600_000,
  transactionPartitionVerificationEnable: true,
  logRetentionCheckIntervalMs: 300_000,
  logCleanerBackoffMs: 15_000,
  offsetsRetentionMinutes: 10_080,
  offsetsRetentionCheckIntervalMs: 600_000,
  clusterId: 'kafkalab-emulator',
};

export function resolveConfig(options: Partial<EmulatorConfig> = {}): EmulatorConfig {
  const config: EmulatorConfig = { ...DEFAULT_CONFIG };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  }
  return config;
}
