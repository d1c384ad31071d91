/**
 * Topic and broker configuration as DescribeConfigs and CreateTopics report it. The emulator honours
 * only a few settings (max.message.bytes, cleanup.policy, message.timestamp.type and
 * message.timestamp.{after,before}.max.ms); the rest are reported with Kafka 4's defaults so that
 * tools listing them see familiar values.
 */
import type { EmulatorConfig } from '../config.js';
import type { Topic } from './topics.js';

/** DescribeConfigsResponse configSource values (ConfigSource in Kafka). */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** ConfigResource.Type codes. */
export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** DescribeConfigs configType (ConfigDef.Type order in Kafka's ConfigType enum). */
export const ConfigType = {
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

interface ConfigDef {
  value: string;
  type: number;
}

/** Kafka 4 topic-level defaults (LogConfig / TopicConfig); the ones a learner meets first. */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': { value: 'delete', type: ConfigType.LIST },
  'compression.type': { value: 'producer', type: ConfigType.STRING },
  'delete.retention.ms': { value: '86400000', type: ConfigType.LONG },
  'file.delete.delay.ms': { value: '60000', type: ConfigType.LONG },
  'flush.messages': { value: '9223372036854775807', type: ConfigType.LONG },
  'flush.ms': { value: '9223372036854775807', type: ConfigType.LONG },
  'index.interval.bytes': { value: '4096', type: ConfigType.INT },
  'max.compaction.lag.ms': { value: '9223372036854775807', type: ConfigType.LONG },
  'max.message.bytes': { value: '1048588', type: ConfigType.INT },
  // KIP-1030: Kafka 4.0 lowered this from Long.MAX_VALUE to one hour.
  'message.timestamp.after.max.ms': { value: '3600000', type: ConfigType.LONG },
  'message.timestamp.before.max.ms': { value: '9223372036854775807', type: ConfigType.LONG },
  'message.timestamp.type': { value: 'CreateTime', type: ConfigType.STRING },
  'min.cleanable.dirty.ratio': { value: '0.5', type: ConfigType.DOUBLE },
  'min.compaction.lag.ms': { value: '0', type: ConfigType.LONG },
  'min.insync.replicas': { value: '1', type: ConfigType.INT },
  preallocate: { value: 'false', type: ConfigType.BOOLEAN },
  'retention.bytes': { value: '-1', type: ConfigType.LONG },
  'retention.ms': { value: '604800000', type: ConfigType.LONG },
  'segment.bytes': { value: '1073741824', type: ConfigType.INT },
  'segment.index.bytes': { value: '10485760', type: ConfigType.INT },
  'segment.jitter.ms': { value: '0', type: ConfigType.LONG },
  'segment.ms': { value: '604800000', type: ConfigType.LONG },
  'unclean.leader.election.enable': { value: 'false', type: ConfigType.BOOLEAN },
};

const INT64_MAX = 9_223_372_036_854_775_807n;
const TIMESTAMP_WINDOWS = new Set(['message.timestamp.after.max.ms', 'message.timestamp.before.max.ms']);

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: number;
  readOnly: boolean;
  isSensitive: boolean;
  type: number;
}

/** Why a topic config given at creation is refused, or undefined (Kafka: INVALID_CONFIG, 40). */
export function invalidTopicConfig(name: string, value: string | null): string | undefined {
  if (!(name in TOPIC_CONFIG_DEFAULTS)) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic configs: ${name}`;
  if (name === 'cleanup.policy' && !value.split(',').every((p) => ['delete', 'compact'].includes(p.trim()))) {
    return `Invalid value ${value} for configuration cleanup.policy: String must be one of: compact, delete`;
  }
  const t = TOPIC_CONFIG_DEFAULTS[name].type;
  if ((t === ConfigType.INT || t === ConfigType.LONG) && !/^-?\d+$/.test(value.trim())) {
    return `Invalid value ${value} for configuration ${name}: Not a number of type ${t === ConfigType.INT ? 'INT' : 'LONG'}`;
  }
  if (t === ConfigType.LONG && (BigInt(value.trim()) > INT64_MAX || BigInt(value.trim()) < -INT64_MAX - 1n)) {
    return `Invalid value ${value} for configuration ${name}: Not a number of type LONG`;
  }
  // LogConfig declares both timestamp windows with atLeast(0).
  if (TIMESTAMP_WINDOWS.has(name) && BigInt(value.trim()) < 0n) {
    return `Invalid value ${value} for configuration ${name}: Value must be at least 0`;
  }
  return undefined;
}

/** The broker setting a topic config falls back to, where the emulator has one (Kafka's log.* synonyms). */
function brokerDefaultOf(name: string, config: EmulatorConfig): string | undefined {
  switch (name) {
    case 'max.message.bytes':
      return String(config.maxMessageBytes);
    case 'message.timestamp.after.max.ms':
      return String(config.messageTimestampAfterMaxMs);
    case 'message.timestamp.before.max.ms':
      return String(config.messageTimestampBeforeMaxMs);
    default:
      return undefined;
  }
}

/** Every topic config: overrides first-class, the rest defaults (max.message.bytes from the broker setting). */
export function topicConfigEntries(topic: Topic, config: EmulatorConfig): ConfigEntry[] {
  return Object.entries(TOPIC_CONFIG_DEFAULTS).map(([name, def]) => {
    const override = topic.configs.get(name);
    const brokerDefault = brokerDefaultOf(name, config) ?? def.value;
    return {
      name,
      value: override ?? brokerDefault,
      source: override !== undefined ? ConfigSource.DYNAMIC_TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG,
      readOnly: false,
      isSensitive: false,
      type: def.type,
    };
  });
}

/** The broker settings the emulator has, named as Kafka's server.properties names them. */
export function brokerConfigEntries(config: EmulatorConfig, boundPort: number): ConfigEntry[] {
  const entries: [string, string, number][] = [
    ['node.id', String(config.nodeId), ConfigType.INT],
    ['broker.id', String(config.nodeId), ConfigType.INT],
    ['process.roles', 'broker,controller', ConfigType.LIST],
    ['listeners', `PLAINTEXT://${config.host}:${boundPort}`, ConfigType.STRING],
    [
      'advertised.listeners',
      `PLAINTEXT://${config.advertisedHost ?? config.host}:${config.advertisedPort ?? boundPort}`,
      ConfigType.STRING,
    ],
    ['num.partitions', String(config.numPartitions), ConfigType.INT],
    ['auto.create.topics.enable', String(config.autoCreateTopics), ConfigType.BOOLEAN],
    ['socket.request.max.bytes', String(config.maxRequestBytes), ConfigType.INT],
    ['message.max.bytes', String(config.maxMessageBytes), ConfigType.INT],
    ['log.message.timestamp.after.max.ms', String(config.messageTimestampAfterMaxMs), ConfigType.LONG],
    ['log.message.timestamp.before.max.ms', String(config.messageTimestampBeforeMaxMs), ConfigType.LONG],
    ['group.initial.rebalance.delay.ms', String(config.groupInitialRebalanceDelayMs), ConfigType.INT],
    ['group.min.session.timeout.ms', String(config.groupMinSessionTimeoutMs), ConfigType.INT],
    ['group.max.session.timeout.ms', String(config.groupMaxSessionTimeoutMs), ConfigType.INT],
    ['group.max.size', String(config.groupMaxSize), ConfigType.INT],
    ['default.replication.factor', '1', ConfigType.INT],
    ['offsets.topic.replication.factor', '1', ConfigType.SHORT],
    ['offsets.topic.num.partitions', String(config.offsetsTopicNumPartitions), ConfigType.INT],
    ['min.insync.replicas', '1', ConfigType.INT],
  ];
  return entries.map(([name, value, type]) => ({
    name,
    value,
    source: ConfigSource.STATIC_BROKER_CONFIG,
    readOnly: true,
    isSensitive: false,
    type,
  }));
}

/** The max.message.bytes in force for a topic. */
export function maxMessageBytes(topic: Topic, config: EmulatorConfig): number {
  const v = topic.configs.get('max.message.bytes');
  return v === undefined ? config.maxMessageBytes : Number(v);
}

/**
 * How far a CreateTime record may be ahead of (`afterMs`) or behind (`beforeMs`) the broker's clock
 * (KIP-937): the topic's own setting, else the broker's log.message.timestamp.*.max.ms.
 */
export function timestampWindow(topic: Topic, config: EmulatorConfig): { beforeMs: bigint; afterMs: bigint } {
  const before = topic.configs.get('message.timestamp.before.max.ms');
  const after = topic.configs.get('message.timestamp.after.max.ms');
  return {
    beforeMs: BigInt(before ?? config.messageTimestampBeforeMaxMs),
    afterMs: BigInt(after ?? config.messageTimestampAfterMaxMs),
  };
}
