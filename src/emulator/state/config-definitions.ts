/**
 * Every config Kafka 4.1 defines for a topic (LogConfig), and the broker configs the emulator knows,
 * with Kafka's type, default, valid values and the broker setting a topic config falls back to — read
 * from the kafka-storage / kafka-server 4.1.1 jars' ConfigDefs (LogConfig.configDefCopy,
 * ServerTopicConfigSynonyms, AbstractKafkaConfig.CONFIG_DEF, DynamicBrokerConfig.AllDynamicConfigs).
 * The documentation strings are our own short ones, not Kafka's.
 *
 * Kafka 4.0 removed message.format.version, message.downconversion.enable and
 * message.timestamp.difference.max.ms (KIP-724, KIP-937): they are unknown names here, as there.
 *
 * `parseConfigValue` is ConfigDef.parseType plus the validator, with the messages Kafka's
 * ConfigException carries ("Invalid value X for configuration N: ...").
 */

/** DescribeConfigs configType (DescribeConfigsResponse.ConfigType). */
export const ConfigType = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;
export type ConfigTypeName = Exclude<keyof typeof ConfigType, 'UNKNOWN'>;

/** DescribeConfigs configSource / synonym source (DescribeConfigsResponse.ConfigSource). */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** What ConfigDef's validators check (Range, ValidString, ValidList, and two of LogConfig's own). */
export type Validator =
  | { kind: 'range'; min?: number; max?: number }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'eachOf'; values: readonly string[] }
  /** compression.gzip.level: 1..9, or -1 for the codec's default (KIP-390). */
  | { kind: 'gzipLevel' }
  /** *.replication.throttled.replicas: '*' or partition:broker pairs. */
  | { kind: 'throttledReplicas' };

export interface ConfigDefinition {
  readonly name: string;
  readonly type: ConfigTypeName;
  /** As DescribeConfigs shows it (a list comma-joined); null when Kafka has no default. */
  readonly default: string | null;
  readonly validator?: Validator;
  readonly doc: string;
}

export interface TopicConfigDefinition extends ConfigDefinition {
  /**
   * The broker setting this topic config falls back to (ServerTopicConfigSynonyms), first of its
   * synonym list; none for the tiered-storage switches and the throttled-replica lists.
   */
  readonly brokerSynonym?: string;
}

export interface BrokerConfigDefinition extends ConfigDefinition {
  /** Kafka can change it without a restart (DynamicBrokerConfig.AllDynamicConfigs). */
  readonly dynamic: boolean;
}

const LONG_MAX = '9223372036854775807';
const CLEANUP_POLICIES = ['compact', 'delete'] as const;
const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const;
const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime'] as const;
const atLeast = (min: number): Validator => ({ kind: 'range', min });
const between = (min: number, max: number): Validator => ({ kind: 'range', min, max });

function topic(
  name: string,
  type: ConfigTypeName,
  dflt: string,
  validator: Validator | undefined,
  brokerSynonym: string | undefined,
  doc: string,
): TopicConfigDefinition {
  return { name, type, default: dflt, validator, brokerSynonym, doc };
}

/** LogConfig's 34 public topic configs (internal.segment.bytes, a test hook, is left out as Kafka's describe leaves it). */
export const TOPIC_CONFIGS: readonly TopicConfigDefinition[] = [
  topic(
    'cleanup.policy',
    'LIST',
    'delete',
    { kind: 'eachOf', values: CLEANUP_POLICIES },
    'log.cleanup.policy',
    'delete: drop old segments by time or size; compact: keep the newest record per key; both may be listed.',
  ),
  topic(
    'compression.gzip.level',
    'INT',
    '-1',
    { kind: 'gzipLevel' },
    'compression.gzip.level',
    'gzip level used when the broker recompresses to gzip (-1: the codec default).',
  ),
  topic(
    'compression.lz4.level',
    'INT',
    '9',
    between(1, 17),
    'compression.lz4.level',
    'lz4 level used when the broker recompresses to lz4.',
  ),
  topic(
    'compression.type',
    'STRING',
    'producer',
    { kind: 'oneOf', values: COMPRESSION_TYPES },
    'compression.type',
    "Codec batches are stored with; 'producer' keeps what the producer sent, 'uncompressed' stores none.",
  ),
  topic(
    'compression.zstd.level',
    'INT',
    '3',
    between(-131072, 22),
    'compression.zstd.level',
    'zstd level used when the broker recompresses to zstd.',
  ),
  topic(
    'delete.retention.ms',
    'LONG',
    '86400000',
    atLeast(0),
    'log.cleaner.delete.retention.ms',
    'How long a tombstone stays in a compacted log before the cleaner may remove it.',
  ),
  topic(
    'file.delete.delay.ms',
    'LONG',
    '60000',
    atLeast(0),
    'log.segment.delete.delay.ms',
    'Delay between marking a segment deleted and removing its files.',
  ),
  topic(
    'flush.messages',
    'LONG',
    LONG_MAX,
    atLeast(1),
    'log.flush.interval.messages',
    'Force an fsync after this many records (default: leave it to the OS).',
  ),
  topic(
    'flush.ms',
    'LONG',
    LONG_MAX,
    atLeast(0),
    'log.flush.interval.ms',
    'Force an fsync after this much time (default: leave it to the OS).',
  ),
  topic(
    'follower.replication.throttled.replicas',
    'LIST',
    '',
    { kind: 'throttledReplicas' },
    undefined,
    "Replicas throttled on the follower side: '*' or partition:broker pairs.",
  ),
  topic(
    'index.interval.bytes',
    'INT',
    '4096',
    atLeast(0),
    'log.index.interval.bytes',
    'Bytes of records between two offset-index entries.',
  ),
  topic(
    'leader.replication.throttled.replicas',
    'LIST',
    '',
    { kind: 'throttledReplicas' },
    undefined,
    "Replicas throttled on the leader side: '*' or partition:broker pairs.",
  ),
  topic(
    'local.retention.bytes',
    'LONG',
    '-2',
    atLeast(-2),
    'log.local.retention.bytes',
    'With tiered storage: bytes kept on local disk per partition (-2: retention.bytes).',
  ),
  topic(
    'local.retention.ms',
    'LONG',
    '-2',
    atLeast(-2),
    'log.local.retention.ms',
    'With tiered storage: time a segment stays on local disk (-2: retention.ms).',
  ),
  topic(
    'max.compaction.lag.ms',
    'LONG',
    LONG_MAX,
    atLeast(1),
    'log.cleaner.max.compaction.lag.ms',
    'Longest a record may stay uncompacted in a compacted log.',
  ),
  topic(
    'max.message.bytes',
    'INT',
    '1048588',
    atLeast(0),
    'message.max.bytes',
    'Largest record batch the topic accepts, after compression.',
  ),
  topic(
    'message.timestamp.after.max.ms',
    'LONG',
    '3600000',
    atLeast(0),
    'log.message.timestamp.after.max.ms',
    'How far a CreateTime timestamp may be ahead of the broker clock (KIP-937).',
  ),
  topic(
    'message.timestamp.before.max.ms',
    'LONG',
    LONG_MAX,
    atLeast(0),
    'log.message.timestamp.before.max.ms',
    'How far a CreateTime timestamp may be behind the broker clock (KIP-937).',
  ),
  topic(
    'message.timestamp.type',
    'STRING',
    'CreateTime',
    { kind: 'oneOf', values: TIMESTAMP_TYPES },
    'log.message.timestamp.type',
    "CreateTime keeps the producer's timestamp; LogAppendTime stamps the broker's.",
  ),
  topic(
    'min.cleanable.dirty.ratio',
    'DOUBLE',
    '0.5',
    between(0, 1),
    'log.cleaner.min.cleanable.ratio',
    'Share of uncompacted log at which the cleaner starts compacting.',
  ),
  topic(
    'min.compaction.lag.ms',
    'LONG',
    '0',
    atLeast(0),
    'log.cleaner.min.compaction.lag.ms',
    'Shortest time a record stays uncompacted in a compacted log.',
  ),
  topic(
    'min.insync.replicas',
    'INT',
    '1',
    atLeast(1),
    'min.insync.replicas',
    'In-sync replicas an acks=all write needs.',
  ),
  topic(
    'preallocate',
    'BOOLEAN',
    'false',
    undefined,
    'log.preallocate',
    'Preallocate a new segment file on disk.',
  ),
  topic(
    'remote.log.copy.disable',
    'BOOLEAN',
    'false',
    undefined,
    undefined,
    'With tiered storage: stop copying segments to remote storage.',
  ),
  topic(
    'remote.log.delete.on.disable',
    'BOOLEAN',
    'false',
    undefined,
    undefined,
    'With tiered storage: delete remote data when remote storage is switched off.',
  ),
  topic(
    'remote.storage.enable',
    'BOOLEAN',
    'false',
    undefined,
    undefined,
    'Tiered storage for this topic (needs it enabled on the broker).',
  ),
  topic(
    'retention.bytes',
    'LONG',
    '-1',
    undefined,
    'log.retention.bytes',
    'Size a partition may grow to before old segments are deleted (-1: no limit).',
  ),
  topic(
    'retention.ms',
    'LONG',
    '604800000',
    atLeast(-1),
    'log.retention.ms',
    'Time a segment is kept before deletion (-1: no limit).',
  ),
  topic(
    'segment.bytes',
    'INT',
    '1073741824',
    atLeast(1_048_576),
    'log.segment.bytes',
    'Size at which a new segment is rolled.',
  ),
  topic(
    'segment.index.bytes',
    'INT',
    '10485760',
    atLeast(4),
    'log.index.size.max.bytes',
    'Size of the offset index of one segment.',
  ),
  topic(
    'segment.jitter.ms',
    'LONG',
    '0',
    atLeast(0),
    'log.roll.jitter.ms',
    'Random time taken off segment.ms so that partitions do not all roll at once.',
  ),
  topic(
    'segment.ms',
    'LONG',
    '604800000',
    atLeast(1),
    'log.roll.ms',
    'Age at which a new segment is rolled even if not full.',
  ),
  topic(
    'unclean.leader.election.enable',
    'BOOLEAN',
    'false',
    undefined,
    'unclean.leader.election.enable',
    'Allow an out-of-sync replica to become leader (may lose data).',
  ),
];

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDefinition> = new Map(
  TOPIC_CONFIGS.map((d) => [d.name, d]),
);

function broker(
  name: string,
  type: ConfigTypeName,
  dflt: string | null,
  validator: Validator | undefined,
  dynamic: boolean,
  doc: string,
): BrokerConfigDefinition {
  return { name, type, default: dflt, validator, dynamic, doc };
}

/**
 * The broker configs the emulator knows: the topic configs' broker synonyms (all dynamic in Kafka
 * except the *.hours forms and log.flush.scheduler.interval.ms) and the settings it reads at start.
 */
export const BROKER_CONFIGS: readonly BrokerConfigDefinition[] = [
  broker(
    'compression.gzip.level',
    'INT',
    '-1',
    { kind: 'gzipLevel' },
    true,
    'Default of compression.gzip.level.',
  ),
  broker('compression.lz4.level', 'INT', '9', between(1, 17), true, 'Default of compression.lz4.level.'),
  broker(
    'compression.type',
    'STRING',
    'producer',
    { kind: 'oneOf', values: COMPRESSION_TYPES },
    true,
    'Default of the topic config compression.type.',
  ),
  broker(
    'compression.zstd.level',
    'INT',
    '3',
    between(-131072, 22),
    true,
    'Default of compression.zstd.level.',
  ),
  broker(
    'log.cleaner.delete.retention.ms',
    'LONG',
    '86400000',
    atLeast(0),
    true,
    'Default of delete.retention.ms.',
  ),
  broker(
    'log.cleaner.max.compaction.lag.ms',
    'LONG',
    LONG_MAX,
    atLeast(1),
    true,
    'Default of max.compaction.lag.ms.',
  ),
  broker(
    'log.cleaner.min.cleanable.ratio',
    'DOUBLE',
    '0.5',
    between(0, 1),
    true,
    'Default of min.cleanable.dirty.ratio.',
  ),
  broker(
    'log.cleaner.min.compaction.lag.ms',
    'LONG',
    '0',
    atLeast(0),
    true,
    'Default of min.compaction.lag.ms.',
  ),
  broker(
    'log.cleanup.policy',
    'LIST',
    'delete',
    { kind: 'eachOf', values: CLEANUP_POLICIES },
    true,
    'Default of cleanup.policy.',
  ),
  broker('log.flush.interval.messages', 'LONG', LONG_MAX, atLeast(1), true, 'Default of flush.messages.'),
  broker(
    'log.flush.interval.ms',
    'LONG',
    null,
    undefined,
    true,
    'Default of flush.ms (unset: log.flush.scheduler.interval.ms).',
  ),
  broker(
    'log.flush.scheduler.interval.ms',
    'LONG',
    LONG_MAX,
    undefined,
    false,
    'How often the flusher checks logs.',
  ),
  broker('log.index.interval.bytes', 'INT', '4096', atLeast(0), true, 'Default of index.interval.bytes.'),
  broker('log.index.size.max.bytes', 'INT', '10485760', atLeast(4), true, 'Default of segment.index.bytes.'),
  broker('log.local.retention.bytes', 'LONG', '-2', atLeast(-2), true, 'Default of local.retention.bytes.'),
  broker('log.local.retention.ms', 'LONG', '-2', atLeast(-2), true, 'Default of local.retention.ms.'),
  broker(
    'log.message.timestamp.after.max.ms',
    'LONG',
    '3600000',
    atLeast(0),
    true,
    'Default of message.timestamp.after.max.ms.',
  ),
  broker(
    'log.message.timestamp.before.max.ms',
    'LONG',
    LONG_MAX,
    atLeast(0),
    true,
    'Default of message.timestamp.before.max.ms.',
  ),
  broker(
    'log.message.timestamp.type',
    'STRING',
    'CreateTime',
    { kind: 'oneOf', values: TIMESTAMP_TYPES },
    true,
    'Default of message.timestamp.type.',
  ),
  broker('log.preallocate', 'BOOLEAN', 'false', undefined, true, 'Default of preallocate.'),
  broker('log.retention.bytes', 'LONG', '-1', undefined, true, 'Default of retention.bytes.'),
  broker('log.retention.hours', 'INT', '168', undefined, false, 'Default of retention.ms, in hours.'),
  broker(
    'log.retention.minutes',
    'INT',
    null,
    undefined,
    false,
    'Default of retention.ms, in minutes (wins over hours).',
  ),
  broker(
    'log.retention.ms',
    'LONG',
    null,
    undefined,
    true,
    'Default of retention.ms (wins over minutes and hours).',
  ),
  broker('log.roll.hours', 'INT', '168', atLeast(1), false, 'Default of segment.ms, in hours.'),
  broker('log.roll.jitter.hours', 'INT', '0', atLeast(0), false, 'Default of segment.jitter.ms, in hours.'),
  broker(
    'log.roll.jitter.ms',
    'LONG',
    null,
    undefined,
    true,
    'Default of segment.jitter.ms (wins over hours).',
  ),
  broker('log.roll.ms', 'LONG', null, undefined, true, 'Default of segment.ms (wins over log.roll.hours).'),
  broker('log.segment.bytes', 'INT', '1073741824', atLeast(1_048_576), true, 'Default of segment.bytes.'),
  broker(
    'log.segment.delete.delay.ms',
    'LONG',
    '60000',
    atLeast(0),
    true,
    'Default of file.delete.delay.ms.',
  ),
  broker('message.max.bytes', 'INT', '1048588', atLeast(0), true, 'Default of max.message.bytes.'),
  broker(
    'min.insync.replicas',
    'INT',
    '1',
    atLeast(1),
    true,
    'Default of the topic config min.insync.replicas.',
  ),
  broker(
    'unclean.leader.election.enable',
    'BOOLEAN',
    'false',
    undefined,
    true,
    'Default of the topic config unclean.leader.election.enable.',
  ),
  // Read at start only (kafkalab emulator --override); Kafka cannot change them dynamically either.
  broker('node.id', 'INT', null, atLeast(0), false, 'This node’s id.'),
  broker('broker.id', 'INT', '-1', undefined, false, 'The node id, under its ZooKeeper-era name.'),
  broker(
    'process.roles',
    'LIST',
    null,
    { kind: 'eachOf', values: ['broker', 'controller'] },
    false,
    'What this node is: broker, controller or both.',
  ),
  broker(
    'listeners',
    'STRING',
    'PLAINTEXT://:9092',
    undefined,
    false,
    'Addresses the broker listens on (dynamic in Kafka; fixed in the emulator).',
  ),
  broker(
    'advertised.listeners',
    'STRING',
    null,
    undefined,
    false,
    'Addresses clients are told to connect to.',
  ),
  broker('num.partitions', 'INT', '1', atLeast(1), false, 'Partitions of an auto-created topic.'),
  broker(
    'auto.create.topics.enable',
    'BOOLEAN',
    'true',
    undefined,
    false,
    'Create a topic when a client asks Metadata about it.',
  ),
  broker(
    'socket.request.max.bytes',
    'INT',
    '104857600',
    atLeast(1),
    false,
    'Largest request frame accepted.',
  ),
  broker(
    'group.initial.rebalance.delay.ms',
    'INT',
    '3000',
    undefined,
    false,
    'How long the first rebalance of an empty group waits for more members.',
  ),
  broker(
    'group.min.session.timeout.ms',
    'INT',
    '6000',
    undefined,
    false,
    'Shortest session timeout a member may ask.',
  ),
  broker(
    'group.max.session.timeout.ms',
    'INT',
    '1800000',
    undefined,
    false,
    'Longest session timeout a member may ask.',
  ),
  broker('group.max.size', 'INT', '2147483647', atLeast(1), false, 'Most members a classic group may have.'),
  broker(
    'default.replication.factor',
    'INT',
    '1',
    undefined,
    false,
    'Replication factor of auto-created topics.',
  ),
  broker(
    'offsets.topic.replication.factor',
    'SHORT',
    '3',
    atLeast(1),
    false,
    'Replication factor of __consumer_offsets.',
  ),
  broker('offsets.topic.num.partitions', 'INT', '50', atLeast(1), false, 'Partitions of __consumer_offsets.'),
  broker(
    'offsets.retention.minutes',
    'INT',
    '10080',
    atLeast(1),
    false,
    'How long committed offsets are kept once their group stops using them.',
  ),
  broker(
    'offsets.retention.check.interval.ms',
    'LONG',
    '600000',
    atLeast(1),
    false,
    'How often expired committed offsets are removed.',
  ),
  broker(
    'transaction.max.timeout.ms',
    'INT',
    '900000',
    atLeast(1),
    false,
    'Longest transaction timeout allowed.',
  ),
];

export const BROKER_CONFIG_BY_NAME: ReadonlyMap<string, BrokerConfigDefinition> = new Map(
  BROKER_CONFIGS.map((d) => [d.name, d]),
);

/**
 * The broker names that stand for one setting, in Kafka's order of precedence
 * (DynamicBrokerConfig.brokerConfigSynonyms): the milliseconds form before the coarser ones.
 */
export function brokerSynonyms(name: string): readonly string[] {
  switch (name) {
    case 'log.roll.ms':
    case 'log.roll.hours':
      return ['log.roll.ms', 'log.roll.hours'];
    case 'log.roll.jitter.ms':
    case 'log.roll.jitter.hours':
      return ['log.roll.jitter.ms', 'log.roll.jitter.hours'];
    case 'log.flush.interval.ms':
      return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'];
    case 'log.retention.ms':
    case 'log.retention.minutes':
    case 'log.retention.hours':
      return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'];
    default:
      return [name];
  }
}

/**
 * The names Kafka 4.1.1 can change without a restart that the emulator has no definition for
 * (threads, SSL/SASL, quotas, remote storage, cleaner tuning). The emulator cannot act on them and
 * says so instead of storing them silently.
 */
export const KAFKA_DYNAMIC_NOT_EMULATED: ReadonlySet<string> = new Set([
  'metric.reporters',
  'remote.log.reader.threads',
  'principal.builder.class',
  'log.cleaner.io.buffer.size',
  'ssl.engine.factory.class',
  'sasl.kerberos.ticket.renew.window.factor',
  'ssl.truststore.certificates',
  'num.recovery.threads.per.data.dir',
  'ssl.keystore.type',
  'transaction.partition.verification.enable',
  'sasl.mechanism.inter.broker.protocol',
  'ssl.truststore.password',
  'sasl.kerberos.principal.to.local.rules',
  'max.connections.per.ip',
  'ssl.endpoint.identification.algorithm',
  'background.threads',
  'num.io.threads',
  'sasl.login.refresh.buffer.seconds',
  'remote.log.manager.fetch.max.bytes.per.second',
  'max.connection.creation.rate',
  'remote.log.index.file.cache.total.size.bytes',
  'ssl.truststore.type',
  'log.cleaner.backoff.ms',
  'ssl.truststore.location',
  'ssl.keystore.password',
  'num.replica.fetchers',
  'max.connections.per.ip.overrides',
  'remote.log.manager.copier.thread.pool.size',
  'sasl.login.refresh.window.factor',
  'sasl.login.refresh.min.period.seconds',
  'ssl.client.auth',
  'log.cleaner.threads',
  'sasl.kerberos.kinit.cmd',
  'ssl.secure.random.implementation',
  'log.cleaner.io.max.bytes.per.second',
  'sasl.kerberos.service.name',
  'sasl.kerberos.ticket.renew.jitter',
  'ssl.trustmanager.algorithm',
  'num.network.threads',
  'ssl.key.password',
  'sasl.jaas.config',
  'ssl.keystore.key',
  'sasl.kerberos.min.time.before.relogin',
  'max.connections',
  'listener.security.protocol.map',
  'ssl.protocol',
  'ssl.keystore.certificate.chain',
  'ssl.enabled.protocols',
  'ssl.provider',
  'ssl.keystore.location',
  'producer.id.expiration.ms',
  'remote.list.offsets.request.timeout.ms',
  'ssl.cipher.suites',
  'sasl.enabled.mechanisms',
  'remote.log.manager.expiration.thread.pool.size',
  'log.cleaner.io.buffer.load.factor',
  'remote.log.manager.copy.max.bytes.per.second',
  'remote.fetch.max.wait.ms',
  'sasl.login.refresh.window.jitter',
  'log.cleaner.dedupe.buffer.size',
]);

export type Parsed = { ok: true; value: string } | { ok: false; message: string };

const INT32 = { min: -2_147_483_648n, max: 2_147_483_647n };
const INT16 = { min: -32_768n, max: 32_767n };
const INT64 = { min: -9_223_372_036_854_775_808n, max: 9_223_372_036_854_775_807n };

/** Java's Double.toString for the values configs take (2 → "2.0"). */
function javaDouble(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return `${v}.0`;
  return String(v).replace('e+', 'E').replace('e-', 'E-');
}

/** ConfigDef.parseType: a LIST splits on commas with the blanks around them. */
export function splitList(value: string): string[] {
  const v = value.trim();
  return v === '' ? [] : v.split(/\s*,\s*/);
}

/**
 * A raw value as Kafka reads it for this definition: the normalised string it then stores and
 * describes (" 100 " → "100", "TRUE" → "true", "2" → "2.0" for a DOUBLE), or the ConfigException
 * message naming the value and the config.
 */
export function parseConfigValue(def: ConfigDefinition, raw: string): Parsed {
  const bad = (value: string, why: string): Parsed => ({
    ok: false,
    message: `Invalid value ${value} for configuration ${def.name}: ${why}`,
  });
  const v = raw.trim();
  let normalised: string;
  let numeric: number | undefined;
  switch (def.type) {
    case 'BOOLEAN': {
      const l = v.toLowerCase();
      if (l !== 'true' && l !== 'false') return bad(raw, 'Expected value to be either true or false');
      normalised = l;
      break;
    }
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const bounds = def.type === 'INT' ? INT32 : def.type === 'SHORT' ? INT16 : INT64;
      if (!/^[+-]?\d+$/.test(v) || BigInt(v) < bounds.min || BigInt(v) > bounds.max)
        return bad(raw, `Not a number of type ${def.type}`);
      normalised = BigInt(v).toString();
      numeric = Number(v);
      break;
    }
    case 'DOUBLE': {
      // Double.parseDouble: decimal or exponent forms; no hex, no blanks inside.
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(v))
        return bad(raw, 'Not a number of type DOUBLE');
      numeric = Number.parseFloat(v);
      normalised = javaDouble(numeric);
      break;
    }
    case 'LIST':
      normalised = splitList(v).join(',');
      break;
    default:
      normalised = v;
  }
  const val = def.validator;
  if (!val) return { ok: true, value: normalised };
  switch (val.kind) {
    case 'range':
      // Range.ensureValid names the parsed value (a DOUBLE as Java prints it).
      if (val.min !== undefined && numeric! < val.min)
        return bad(normalised, `Value must be at least ${val.min}`);
      if (val.max !== undefined && numeric! > val.max)
        return bad(normalised, `Value must be no more than ${val.max}`);
      break;
    case 'gzipLevel':
      if (numeric !== -1 && (numeric! < 1 || numeric! > 9))
        return bad(normalised, 'Value must be between 1 and 9 or equal to -1');
      break;
    case 'oneOf':
      if (!val.values.includes(normalised))
        return bad(normalised, `String must be one of: ${val.values.join(', ')}`);
      break;
    case 'eachOf': {
      const wrong = splitList(normalised).find((p) => !val.values.includes(p));
      if (wrong !== undefined) return bad(wrong, `String must be one of: ${val.values.join(', ')}`);
      break;
    }
    case 'throttledReplicas': {
      const parts = splitList(normalised);
      const ok = (parts.length === 1 && parts[0] === '*') || parts.every((p) => /^\d+:\d+$/.test(p));
      if (!ok)
        return bad(
          `[${parts.join(', ')}]`,
          `${def.name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`,
        );
      break;
    }
  }
  return { ok: true, value: normalised };
}
