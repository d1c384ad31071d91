/**
 * Broker settings by their server.properties names, for `kafkalab emulator --override name=value`
 * (the model is kafka-server-start.sh's `--override`). Each name maps onto a field of EmulatorConfig,
 * so `startEmulator({ groupMaxSize: 1 })` and `--override group.max.size=1` set the same thing.
 *
 * Only settings the emulator acts on are accepted: Kafka would log an unknown name and go on, but a
 * learner who mistypes `group.max.size` here should hear about it rather than wonder why nothing changed.
 */
import type { EmulatorConfig } from './config.js';
import { isSecurityProperty, SECURITY_PROPERTY_NAMES } from './security/config.js';
import { parseStaticLogConfig, STATIC_LOG_CONFIG_NAMES } from './state/static-log-configs.js';

const INT32_MAX = 2_147_483_647;
const INT64_MAX = 9_223_372_036_854_775_807n;

type Parsed =
  | { ok: true; value: number | bigint | boolean | string | string[] }
  | { ok: false; reason: string };

interface BrokerProperty {
  field: keyof EmulatorConfig;
  parse(value: string): Parsed;
}

/** Kafka's ConfigDef.Type.INT with a lower bound (ConfigDef.Range.atLeast). */
function int(min: number): BrokerProperty['parse'] {
  return (value) => {
    const v = value.trim();
    if (!/^-?\d+$/.test(v) || Number(v) > INT32_MAX || Number(v) < -INT32_MAX - 1)
      return { ok: false, reason: 'Not a number of type INT' };
    if (Number(v) < min) return { ok: false, reason: `Value must be at least ${min}` };
    return { ok: true, value: Number(v) };
  };
}

/** Kafka's ConfigDef.Type.LONG (kept as bigint: Long.MAX_VALUE is a common value and no JS number). */
function long(min: bigint): BrokerProperty['parse'] {
  return (value) => {
    const v = value.trim();
    if (!/^-?\d+$/.test(v) || BigInt(v) > INT64_MAX || BigInt(v) < -INT64_MAX - 1n)
      return { ok: false, reason: 'Not a number of type LONG' };
    if (BigInt(v) < min) return { ok: false, reason: `Value must be at least ${min}` };
    return { ok: true, value: BigInt(v) };
  };
}

/** Kafka's ConfigDef.Type.LONG for a duration in ms: kept as a number (exact far beyond any useful interval). */
function longMs(min: bigint): BrokerProperty['parse'] {
  const parse = long(min);
  return (value) => {
    const r = parse(value);
    return r.ok ? { ok: true, value: Number(r.value) } : r;
  };
}

/** Kafka's ConfigDef.Type.BOOLEAN: true/false in any case. */
function bool(value: string): Parsed {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'false') return { ok: true, value: v === 'true' };
  return { ok: false, reason: 'Expected value to be either true or false' };
}

/**
 * group.consumer.assignors: Kafka's ConfigDef.Type.LIST of assignor names or class names; the
 * emulator knows Kafka's two built-in ones, by name or by their class.
 */
function assignors(value: string): Parsed {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ASSIGNOR_CLASSES[s] ?? s);
  if (names.length === 0) return { ok: false, reason: 'at least one assignor is needed' };
  const unknown = names.find((n) => n !== 'uniform' && n !== 'range');
  if (unknown !== undefined)
    return { ok: false, reason: `unknown assignor ${unknown} (the emulator has uniform, range)` };
  return { ok: true, value: names };
}

/** ConsumerGroupMigrationPolicy.parse: one of its four names, in any case. */
function migrationPolicy(value: string): Parsed {
  const v = value.trim().toUpperCase();
  if (v === 'DISABLED' || v === 'UPGRADE' || v === 'DOWNGRADE' || v === 'BIDIRECTIONAL')
    return { ok: true, value: v };
  return {
    ok: false,
    reason: 'String must be one of (case insensitive): DISABLED, DOWNGRADE, UPGRADE, BIDIRECTIONAL',
  };
}

const ASSIGNOR_CLASSES: Readonly<Record<string, string>> = {
  'org.apache.kafka.coordinator.group.assignor.UniformAssignor': 'uniform',
  'org.apache.kafka.coordinator.group.assignor.RangeAssignor': 'range',
};

export const BROKER_PROPERTIES: Readonly<Record<string, BrokerProperty>> = {
  'node.id': { field: 'nodeId', parse: int(0) },
  'num.partitions': { field: 'numPartitions', parse: int(1) },
  'broker.session.timeout.ms': { field: 'brokerSessionTimeoutMs', parse: int(0) },
  'replica.lag.time.max.ms': { field: 'replicaLagTimeMaxMs', parse: int(1) },
  'auto.create.topics.enable': { field: 'autoCreateTopics', parse: bool },
  'socket.request.max.bytes': { field: 'maxRequestBytes', parse: int(1) },
  'message.max.bytes': { field: 'maxMessageBytes', parse: int(0) },
  'group.initial.rebalance.delay.ms': { field: 'groupInitialRebalanceDelayMs', parse: int(0) },
  'group.min.session.timeout.ms': { field: 'groupMinSessionTimeoutMs', parse: int(0) },
  'group.max.session.timeout.ms': { field: 'groupMaxSessionTimeoutMs', parse: int(0) },
  'group.max.size': { field: 'groupMaxSize', parse: int(1) },
  'group.consumer.session.timeout.ms': { field: 'groupConsumerSessionTimeoutMs', parse: int(1) },
  'group.consumer.heartbeat.interval.ms': { field: 'groupConsumerHeartbeatIntervalMs', parse: int(1) },
  'group.consumer.max.size': { field: 'groupConsumerMaxSize', parse: int(1) },
  'group.consumer.assignors': { field: 'groupConsumerAssignors', parse: assignors },
  'group.consumer.regex.refresh.interval.ms': { field: 'groupConsumerRegexRefreshIntervalMs', parse: int(1) },
  'group.consumer.migration.policy': { field: 'groupConsumerMigrationPolicy', parse: migrationPolicy },
  'log.message.timestamp.after.max.ms': { field: 'messageTimestampAfterMaxMs', parse: long(0n) },
  'log.message.timestamp.before.max.ms': { field: 'messageTimestampBeforeMaxMs', parse: long(0n) },
  'offsets.topic.num.partitions': { field: 'offsetsTopicNumPartitions', parse: int(1) },
  'transaction.state.log.num.partitions': { field: 'transactionStateLogNumPartitions', parse: int(1) },
  'transaction.max.timeout.ms': { field: 'transactionMaxTimeoutMs', parse: int(1) },
  'transactional.id.expiration.ms': { field: 'transactionalIdExpirationMs', parse: int(1) },
  'producer.id.expiration.ms': { field: 'producerIdExpirationMs', parse: int(1) },
  'producer.id.expiration.check.interval.ms': { field: 'producerIdExpirationCheckIntervalMs', parse: int(1) },
  'transaction.remove.expired.transaction.cleanup.interval.ms': {
    field: 'transactionRemoveExpiredTransactionCleanupIntervalMs',
    parse: int(1),
  },
  'transaction.partition.verification.enable': {
    field: 'transactionPartitionVerificationEnable',
    parse: bool,
  },
  'log.retention.check.interval.ms': { field: 'logRetentionCheckIntervalMs', parse: longMs(1n) },
  'log.cleaner.backoff.ms': { field: 'logCleanerBackoffMs', parse: longMs(0n) },
  'offsets.retention.minutes': { field: 'offsetsRetentionMinutes', parse: int(1) },
  'offsets.retention.check.interval.ms': { field: 'offsetsRetentionCheckIntervalMs', parse: longMs(1n) },
};

export class BrokerPropertyError extends Error {}

/** Whether brokerOverrides takes this name (a setting the emulator acts on). */
export function isBrokerSetting(name: string): boolean {
  return name in BROKER_PROPERTIES || isSecurityProperty(name) || STATIC_LOG_CONFIG_NAMES.has(name);
}

/**
 * `name=value` pairs (in order; a later one wins) as EmulatorConfig fields. Throws BrokerPropertyError
 * naming the pair for an unknown name or a value Kafka would refuse.
 */
export function brokerOverrides(pairs: readonly string[]): Partial<EmulatorConfig> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new BrokerPropertyError(`bad override "${pair}", expected name=value`);
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    // Listeners, TLS and SASL settings are checked together at start (security/config.ts).
    if (isSecurityProperty(name)) {
      out.security = { ...(out.security as Record<string, string> | undefined), [name]: value };
      continue;
    }
    const prop = BROKER_PROPERTIES[name];
    if (!prop && STATIC_LOG_CONFIG_NAMES.has(name)) {
      const parsed = parseStaticLogConfig(name, value);
      if (!parsed.ok) throw new BrokerPropertyError(parsed.message);
      out.staticLogConfigs = {
        ...(out.staticLogConfigs as Record<string, string> | undefined),
        [name]: parsed.value,
      };
      continue;
    }
    if (!prop) {
      throw new BrokerPropertyError(
        `unknown or unsupported broker setting "${name}"; the emulator takes: ${[...Object.keys(BROKER_PROPERTIES), ...SECURITY_PROPERTY_NAMES, 'listener.name.<listener>.plain.sasl.jaas.config', ...STATIC_LOG_CONFIG_NAMES].join(', ')}`,
      );
    }
    const parsed = prop.parse(value);
    if (!parsed.ok)
      throw new BrokerPropertyError(`Invalid value ${value} for configuration ${name}: ${parsed.reason}`);
    out[prop.field] = parsed.value;
  }
  return out as Partial<EmulatorConfig>;
}
