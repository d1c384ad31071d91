/**
 * Topic and broker configuration: the dynamic layers (topic overrides, this broker's own dynamic
 * configs, the cluster-wide dynamic defaults), the static settings the emulator started with, and
 * Kafka's defaults — resolved, described and altered as Kafka 4.1 does (ConfigHelper for
 * DescribeConfigs, ConfigAdminManager + ControllerConfigurationValidator for the alters).
 *
 * Where a value is resolved (Kafka's order): topic override → this broker's dynamic config →
 * cluster-wide dynamic default → static setting (startEmulator / --override) → Kafka's default.
 * The emulator acts on max.message.bytes, cleanup.policy (compact: keys required),
 * message.timestamp.type and message.timestamp.{after,before}.max.ms; every other config is stored,
 * validated and described only.
 *
 * Knows nothing of bytes or versions: the handlers (19, 32, 33, 44) translate.
 */
import { BROKER_PROPERTIES } from '../broker-properties.js';
import type { Broker } from '../cluster/broker.js';
import type { Cluster, StateDomain } from '../cluster.js';
import {
  BROKER_CONFIG_BY_NAME,
  BROKER_CONFIGS,
  type BrokerConfigDefinition,
  brokerSynonyms,
  ConfigSource,
  ConfigType,
  KAFKA_DYNAMIC_NOT_EMULATED,
  parseConfigValue,
  splitList,
  TOPIC_CONFIG_BY_NAME,
  TOPIC_CONFIGS,
} from './config-definitions.js';
import type { Topic } from './topics.js';

export { ConfigSource, ConfigType } from './config-definitions.js';

/** ConfigResource.Type codes. */
export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;

const RESOURCE_TYPE_NAMES: Record<number, string> = {
  8: 'BROKER_LOGGER',
  16: 'CLIENT_METRICS',
  32: 'GROUP',
};

export const ConfigErrors = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
} as const;

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: number;
  readOnly: boolean;
  isSensitive: boolean;
  type: number;
  synonyms: ConfigSynonym[];
  documentation: string | null;
}

/** The broker-level dynamic configs (Kafka keeps them as ConfigRecords in the metadata log). */
export class DynamicConfigs implements StateDomain {
  /** Each broker's own (resource name = its node id), by node id: DYNAMIC_BROKER_CONFIG. */
  private readonly byBroker = new Map<number, Map<string, string>>();
  /**
   * Cluster-wide defaults (resource name ''): DYNAMIC_DEFAULT_BROKER_CONFIG. A KRaft 4.x cluster
   * leaves `kafka-storage format` with min.insync.replicas=1 stored here (what a fresh Kafka 4.1.1
   * describes), so the emulator starts the same way.
   */
  readonly clusterDefault = new Map<string, string>([['min.insync.replicas', '1']]);
  /** Bumped by every change to a topic's or a broker's configs: partition logs cache what they resolved. */
  generation = 0;

  /** The dynamic configs of broker `nodeId` (an empty map until one is set). */
  perBroker(nodeId: number): Map<string, string> {
    let m = this.byBroker.get(nodeId);
    if (!m) {
      m = new Map();
      this.byBroker.set(nodeId, m);
    }
    return m;
  }

  /** Nothing to drop: a topic's overrides live on its Topic and go with it, as Kafka deletes them. */
  topicDeleted(): void {}
}

export function dynamicConfigsOf(cluster: Cluster): DynamicConfigs {
  return cluster.domain('configs', () => new DynamicConfigs());
}

/** A broker setting as the emulator was started with it, under Kafka's name; undefined if it has none. */
function staticValue(cluster: Cluster, name: string, broker: Broker): string | undefined {
  const { config } = cluster;
  switch (name) {
    case 'node.id':
    case 'broker.id':
      return String(broker.nodeId);
    case 'process.roles':
      return 'broker,controller';
    case 'listeners':
      return `PLAINTEXT://${config.host}:${broker.port}`;
    case 'advertised.listeners':
      return `PLAINTEXT://${broker.host}:${broker.port}`;
    case 'default.replication.factor':
    case 'offsets.topic.replication.factor':
      return '1';
  }
  const given = config.staticLogConfigs?.[name];
  if (given !== undefined) return given;
  const prop = BROKER_PROPERTIES[name];
  return prop ? String(config[prop.field]) : undefined;
}

/** Names the emulator always "has in server.properties" (Kafka shows them STATIC_BROKER_CONFIG). */
const ALWAYS_STATIC = new Set([
  'node.id',
  'process.roles',
  'listeners',
  'advertised.listeners',
  'offsets.topic.replication.factor',
]);

/**
 * Static settings: what the emulator was started with where it differs from Kafka's default (the
 * emulator cannot tell a setting given equal to the default from one not given; Kafka would show
 * the former as STATIC_BROKER_CONFIG too).
 */
function staticLayer(cluster: Cluster, name: string, broker: Broker): string | undefined {
  const v = staticValue(cluster, name, broker);
  if (v === undefined) return undefined;
  const def = BROKER_CONFIG_BY_NAME.get(name);
  // A log default given at start shows even when equal to Kafka's (it is in server.properties).
  const given = cluster.config.staticLogConfigs?.[name] !== undefined;
  return given || ALWAYS_STATIC.has(name) || def?.default !== v ? v : undefined;
}

type Layer = (name: string) => string | undefined;

function layers(cluster: Cluster, broker: Broker = cluster.broker): [Layer, number][] {
  const d = dynamicConfigsOf(cluster);
  const own = d.perBroker(broker.nodeId);
  return [
    [(n) => own.get(n), ConfigSource.DYNAMIC_BROKER_CONFIG],
    [(n) => d.clusterDefault.get(n), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
    [(n) => staticLayer(cluster, n, broker), ConfigSource.STATIC_BROKER_CONFIG],
    [(n) => BROKER_CONFIG_BY_NAME.get(n)?.default ?? undefined, ConfigSource.DEFAULT_CONFIG],
  ];
}

/**
 * ConfigHelper.configSynonyms: every layer in turn, each synonym within it, then the leading ones
 * that are not `name` itself dropped (so retention.ms at its default lists no log.retention.hours).
 */
function brokerSynonymList(
  cluster: Cluster,
  name: string,
  sensitive = false,
  broker: Broker = cluster.broker,
): ConfigSynonym[] {
  const names = brokerSynonyms(name);
  const out: ConfigSynonym[] = [];
  for (const [layer, source] of layers(cluster, broker)) {
    for (const n of names) {
      const v = layer(n);
      if (v !== undefined) out.push({ name: n, value: sensitive ? null : v, source });
    }
  }
  const first = out.findIndex((s) => s.name === name);
  return first < 0 ? [] : out.slice(first);
}

/** The value of a broker setting in force: the first layer that has one. */
function brokerValue(cluster: Cluster, name: string, broker: Broker = cluster.broker): string | undefined {
  for (const [layer] of layers(cluster, broker)) {
    const v = layer(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * A broker setting as the broker's current KafkaConfig holds it (what DescribeConfigs shows as the
 * value). DynamicBrokerConfig.updateCurrentConfig builds it from the static settings, then each
 * dynamic one after removing all of its synonyms (overrideProps): so once log.retention.ms is set
 * dynamically, log.retention.hours reads as Kafka's default 168 even though its synonyms still list
 * the static value — seen on Kafka 4.1.1 (test/real-kafka/retention-conformance-static.test.ts).
 */
function currentBrokerValue(cluster: Cluster, name: string, broker: Broker): string | undefined {
  const d = dynamicConfigsOf(cluster);
  const own = d.perBroker(broker.nodeId);
  const dynamic = (n: string) => own.get(n) ?? d.clusterDefault.get(n);
  if (dynamic(name) !== undefined) return dynamic(name);
  const overridden = brokerSynonyms(name).some((n) => n !== name && dynamic(n) !== undefined);
  if (overridden) return BROKER_CONFIG_BY_NAME.get(name)?.default ?? undefined;
  return brokerValue(cluster, name, broker);
}

/** The broker-level value a topic config inherits (LogConfig built from KafkaConfig.extractLogConfigMap). */
function inheritedTopicValue(cluster: Cluster, name: string): string {
  const def = TOPIC_CONFIG_BY_NAME.get(name)!;
  const hours = (n: string) => {
    const v = brokerValue(cluster, n);
    return v === undefined ? undefined : String(BigInt(v) * 3_600_000n);
  };
  switch (name) {
    case 'retention.ms': {
      const minutes = brokerValue(cluster, 'log.retention.minutes');
      return (
        brokerValue(cluster, 'log.retention.ms') ??
        (minutes !== undefined ? String(BigInt(minutes) * 60_000n) : undefined) ??
        hours('log.retention.hours') ??
        def.default!
      );
    }
    case 'segment.ms':
      return brokerValue(cluster, 'log.roll.ms') ?? hours('log.roll.hours') ?? def.default!;
    case 'segment.jitter.ms':
      return brokerValue(cluster, 'log.roll.jitter.ms') ?? hours('log.roll.jitter.hours') ?? def.default!;
    case 'flush.ms':
      return (
        brokerValue(cluster, 'log.flush.interval.ms') ??
        brokerValue(cluster, 'log.flush.scheduler.interval.ms') ??
        def.default!
      );
  }
  return (def.brokerSynonym && brokerValue(cluster, def.brokerSynonym)) ?? def.default!;
}

/** A topic config in force: the topic's override, else what it inherits from the broker. */
export function topicConfigValue(topic: Topic, name: string, cluster: Cluster): string {
  return topic.configs.get(name) ?? inheritedTopicValue(cluster, name);
}

/** Every topic config as DescribeConfigs shows it (ConfigHelper.createTopicConfigEntry). */
export function topicConfigEntries(topic: Topic, cluster: Cluster): ConfigEntry[] {
  return TOPIC_CONFIGS.map((def) => {
    const synonyms = def.brokerSynonym ? brokerSynonymList(cluster, def.brokerSynonym) : [];
    const override = topic.configs.get(def.name);
    if (override !== undefined)
      synonyms.unshift({ name: def.name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    return {
      name: def.name,
      value: topicConfigValue(topic, def.name, cluster),
      source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
      readOnly: false,
      isSensitive: false,
      type: ConfigType[def.type],
      synonyms,
      documentation: def.doc,
    };
  });
}

/** One broker config as DescribeConfigs shows it (ConfigHelper.createBrokerConfigEntry). */
function brokerEntry(cluster: Cluster, name: string, perBroker: boolean, broker: Broker): ConfigEntry {
  const def = BROKER_CONFIG_BY_NAME.get(name);
  // Kafka cannot type a name it does not define, and hides the value of what it cannot type.
  const sensitive = def === undefined;
  let synonyms = brokerSynonymList(cluster, name, sensitive, broker);
  if (!perBroker) synonyms = synonyms.filter((s) => s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
  const own = synonyms.find((s) => s.name === name);
  return {
    name,
    value: sensitive
      ? null
      : perBroker
        ? (currentBrokerValue(cluster, name, broker) ?? null)
        : (own?.value ?? null),
    source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    readOnly: !def?.dynamic,
    isSensitive: sensitive,
    type: def ? ConfigType[def.type] : ConfigType.UNKNOWN,
    synonyms,
    documentation: def?.doc ?? null,
  };
}

/**
 * A broker's configs: for this node every config the emulator knows plus any dynamic one set; for
 * '' (the cluster default) only the dynamic defaults, as Kafka lists them.
 */
export function brokerConfigEntries(
  cluster: Cluster,
  perBroker: boolean,
  broker: Broker = cluster.broker,
): ConfigEntry[] {
  const d = dynamicConfigsOf(cluster);
  const names = perBroker
    ? [
        ...new Set([
          ...BROKER_CONFIGS.map((c) => c.name),
          ...d.perBroker(broker.nodeId).keys(),
          ...d.clusterDefault.keys(),
        ]),
      ]
    : [...d.clusterDefault.keys()];
  return names.map((n) => brokerEntry(cluster, n, perBroker, broker));
}

/** The max.message.bytes in force for a topic. */
export function maxMessageBytes(topic: Topic, cluster: Cluster): number {
  return Number(topicConfigValue(topic, 'max.message.bytes', cluster));
}

/**
 * How far a CreateTime record may be ahead of (`afterMs`) or behind (`beforeMs`) the broker's clock
 * (KIP-937): the topic's own setting, else the broker's log.message.timestamp.*.max.ms.
 */
export function timestampWindow(topic: Topic, cluster: Cluster): { beforeMs: bigint; afterMs: bigint } {
  return {
    beforeMs: BigInt(topicConfigValue(topic, 'message.timestamp.before.max.ms', cluster)),
    afterMs: BigInt(topicConfigValue(topic, 'message.timestamp.after.max.ms', cluster)),
  };
}

/** cleanup.policy includes compact (the log then refuses records without a key). */
export function isCompacted(topic: Topic, cluster: Cluster): boolean {
  return splitList(topicConfigValue(topic, 'cleanup.policy', cluster)).includes('compact');
}

/** message.timestamp.type is LogAppendTime (the broker stamps every batch). */
export function isLogAppendTime(topic: Topic, cluster: Cluster): boolean {
  return topicConfigValue(topic, 'message.timestamp.type', cluster) === 'LogAppendTime';
}

// ---- Validation and alteration --------------------------------------------------------------

/** Why a topic config given at creation is refused, or undefined (Kafka: INVALID_CONFIG, 40). */
export function invalidTopicConfig(name: string, value: string | null): string | undefined {
  const def = TOPIC_CONFIG_BY_NAME.get(name);
  if (!def) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic configs: ${name}`;
  const parsed = parseConfigValue(def, value);
  return parsed.ok ? undefined : parsed.message;
}

/** Normalised form of a valid topic config value ("TRUE" → "true"). */
export function normaliseTopicConfig(name: string, value: string): string {
  const parsed = parseConfigValue(TOPIC_CONFIG_BY_NAME.get(name)!, value);
  return parsed.ok ? parsed.value : value;
}

/** IncrementalAlterConfigs' OpType codes. */
export const AlterOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

export interface AlterResource {
  resourceType: number;
  resourceName: string;
  /** op: AlterOp code; AlterConfigs' entries are all SET with `replace`. */
  configs: { name: string; op: number; value: string | null }[];
}

export interface AlterOutcome {
  errorCode: number;
  errorMessage: string | null;
}

const ok: AlterOutcome = { errorCode: 0, errorMessage: null };
const invalidRequest = (m: string): AlterOutcome => ({
  errorCode: ConfigErrors.INVALID_REQUEST,
  errorMessage: m,
});
const invalidConfig = (m: string): AlterOutcome => ({
  errorCode: ConfigErrors.INVALID_CONFIG,
  errorMessage: m,
});

class AlterError extends Error {
  constructor(readonly outcome: AlterOutcome) {
    super(outcome.errorMessage ?? String(outcome.errorCode));
  }
}

/**
 * IncrementalAlterConfigs (`replace` false) or AlterConfigs (`replace` true: the given entries become
 * the resource's whole dynamic config). One outcome per resource, in order; nothing changes for a
 * resource that fails, nor for any when `validateOnly`.
 */
export function alterConfigs(
  cluster: Cluster,
  resources: readonly AlterResource[],
  o: { replace: boolean; validateOnly: boolean; broker?: Broker },
): AlterOutcome[] {
  const seen = new Map<string, number>();
  for (const r of resources) {
    const key = `${r.resourceType}:${r.resourceName}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return resources.map((r) => {
    // ConfigAdminManager.preprocess: checks on the broker before the controller sees the request.
    if ((seen.get(`${r.resourceType}:${r.resourceName}`) ?? 0) > 1)
      return invalidRequest('Each resource must appear at most once.');
    try {
      if (r.resourceType === ResourceType.TOPIC) return alterTopic(cluster, r, o);
      if (r.resourceType === ResourceType.BROKER) return alterBroker(cluster, r, o);
      const name = RESOURCE_TYPE_NAMES[r.resourceType];
      if (name) return invalidRequest(`The kafkalab emulator does not emulate ${name} configs`);
      return invalidRequest(`Unknown resource type ${r.resourceType}`);
    } catch (err) {
      if (err instanceof AlterError) return err.outcome;
      throw err;
    }
  });
}

/** Checks every resource type shares: duplicate names, op codes, null values. */
function checkEntries(r: AlterResource, replace: boolean): void {
  const names = r.configs.map((c) => c.name);
  if (new Set(names).size !== names.length)
    throw new AlterError(invalidRequest('Error due to duplicate config keys'));
  for (const c of r.configs) {
    // An op code Kafka does not know fails in OpType.forId, outside its error mapping.
    if (!replace && OP_NAMES[c.op] === undefined)
      throw new AlterError({ errorCode: ConfigErrors.UNKNOWN_SERVER_ERROR, errorMessage: null });
    if (c.value === null && (replace || c.op !== AlterOp.DELETE))
      throw new AlterError(invalidRequest(`Null value not supported for : ${c.name}`));
  }
}

/** The resource's dynamic entries after the ops: `base` is the value a list op starts from when unset. */
function applyOps(
  current: ReadonlyMap<string, string>,
  r: AlterResource,
  replace: boolean,
  listType: (name: string) => boolean | undefined,
  base: (name: string) => string | null,
  notAList: (op: string, name: string) => AlterOutcome,
): Map<string, string> {
  if (replace) return new Map(r.configs.map((c) => [c.name, c.value as string]));
  const next = new Map(current);
  for (const c of r.configs) {
    switch (c.op) {
      case AlterOp.SET:
        next.set(c.name, c.value as string);
        break;
      case AlterOp.DELETE:
        next.delete(c.name);
        break;
      default: {
        const opName = OP_NAMES[c.op];
        if (listType(c.name) !== true) throw new AlterError(notAList(opName, c.name));
        const was = next.get(c.name) ?? base(c.name);
        const items = was === null ? [] : splitList(was);
        const given = splitList(c.value as string);
        const out =
          c.op === AlterOp.APPEND
            ? [...items, ...given.filter((g) => !items.includes(g))]
            : items.filter((i) => !given.includes(i));
        next.set(c.name, out.join(','));
      }
    }
  }
  return next;
}

function alterTopic(
  cluster: Cluster,
  r: AlterResource,
  o: { replace: boolean; validateOnly: boolean },
): AlterOutcome {
  if (r.resourceName === '') return invalidRequest('Default topic resources are not allowed.');
  checkEntries(r, o.replace);
  const topic = cluster.topics.get(r.resourceName);
  if (!topic)
    return {
      errorCode: ConfigErrors.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: `The topic '${r.resourceName}' does not exist.`,
    };
  // ControllerConfigurationValidator: names first (a DELETE of an unknown name is allowed).
  for (const c of r.configs) {
    if ((o.replace || c.op !== AlterOp.DELETE) && !TOPIC_CONFIG_BY_NAME.has(c.name))
      return invalidConfig(`Unknown topic config name: ${c.name}`);
  }
  const next = applyOps(
    topic.configs,
    r,
    o.replace,
    (n) => TOPIC_CONFIG_BY_NAME.get(n)?.type === 'LIST',
    (n) => (TOPIC_CONFIG_BY_NAME.has(n) ? inheritedTopicValue(cluster, n) : null),
    // The controller's wording (ConfigurationControlManager) for a topic.
    (op, n) => invalidConfig(`Can't ${op} to key ${n} because its type is not LIST.`),
  );
  // LogConfig.validate: every value of the resulting set, then the rules across configs.
  const changed = r.configs.map((c) => c.name).filter((n) => next.has(n));
  const order = [...new Set([...changed, ...next.keys()])];
  const normalised = new Map<string, string>();
  for (const name of order) {
    const parsed = parseConfigValue(TOPIC_CONFIG_BY_NAME.get(name)!, next.get(name)!);
    if (!parsed.ok) return invalidConfig(parsed.message);
    normalised.set(name, parsed.value);
  }
  const value = (n: string) => normalised.get(n) ?? inheritedTopicValue(cluster, n);
  if (value('remote.storage.enable') === 'true')
    return invalidConfig(
      'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.',
    );
  const minLag = BigInt(value('min.compaction.lag.ms'));
  const maxLag = BigInt(value('max.compaction.lag.ms'));
  if (minLag > maxLag)
    return invalidConfig(
      `conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})`,
    );
  if (!o.validateOnly) {
    topic.configs.clear();
    for (const [k, v] of normalised) topic.configs.set(k, v);
    dynamicConfigsOf(cluster).generation++;
  }
  return ok;
}

function alterBroker(
  cluster: Cluster,
  r: AlterResource,
  o: { replace: boolean; validateOnly: boolean; broker?: Broker },
): AlterOutcome {
  // ConfigAdminManager.validateResourceNameIsCurrentNodeId: a broker alters only its own configs.
  const self = o.broker ?? cluster.broker;
  const perBroker = r.resourceName !== '';
  if (perBroker) {
    if (!/^-?\d+$/.test(r.resourceName))
      return invalidRequest(`Node id must be an integer, but it is: ${r.resourceName}`);
    if (Number(r.resourceName) !== self.nodeId)
      return invalidRequest(`Unexpected broker id, expected ${self.nodeId}, but received ${r.resourceName}`);
  }
  checkEntries(r, o.replace);
  const d = dynamicConfigsOf(cluster);
  const store = perBroker ? d.perBroker(self.nodeId) : d.clusterDefault;
  // DynamicBrokerConfig.validateConfigs: names Kafka cannot change at run time.
  const fixed = r.configs
    .filter((c) => BROKER_CONFIG_BY_NAME.get(c.name)?.dynamic === false)
    .map((c) => c.name);
  if (fixed.length > 0)
    return invalidRequest(`Cannot update these configs dynamically: Set(${fixed.join(', ')})`);
  const notEmulated = r.configs.find((c) => KAFKA_DYNAMIC_NOT_EMULATED.has(c.name));
  if (notEmulated)
    return invalidRequest(
      `The kafkalab emulator does not emulate the dynamic broker config ${notEmulated.name} (it would not act on it)`,
    );
  const next = applyOps(
    store,
    r,
    o.replace,
    (n) => (BROKER_CONFIG_BY_NAME.has(n) ? BROKER_CONFIG_BY_NAME.get(n)?.type === 'LIST' : undefined),
    (n) => {
      // A list op starts from what the level below holds.
      const below = layers(cluster, self).slice(perBroker ? 1 : 2);
      for (const [layer] of below) {
        const v = layer(n);
        if (v !== undefined) return v;
      }
      return null;
    },
    // The broker's own wording (ConfigAdminManager.prepareIncrementalConfigs) for a broker config.
    (op, n) => invalidConfig(`Config value ${op.toLowerCase()} is not allowed for config key: ${n}`),
  );
  const normalised = new Map<string, string>();
  for (const [name, raw] of next) {
    const def: BrokerConfigDefinition | undefined = BROKER_CONFIG_BY_NAME.get(name);
    if (!def) {
      // Kafka stores names it does not define (a plugin's config) and describes them as sensitive.
      normalised.set(name, raw);
      continue;
    }
    const parsed = parseConfigValue(def, raw);
    if (!parsed.ok) return invalidRequest(parsed.message);
    normalised.set(name, parsed.value);
  }
  if (!o.validateOnly) {
    store.clear();
    for (const [k, v] of normalised) store.set(k, v);
    dynamicConfigsOf(cluster).generation++;
  }
  return ok;
}
