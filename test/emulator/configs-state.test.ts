// Topic and broker configs in the emulator's state: the definitions (Kafka 4.1.1's names, types,
// ranges), validation with Kafka's messages, IncrementalAlterConfigs / AlterConfigs semantics, and
// DescribeConfigs' sources and synonyms (ConfigHelper's rules). Expected messages and sources are
// what Apache Kafka 4.1.1 answered for the same requests (conformance/scenarios/configs.ts runs them
// against both).
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/emulator/cluster.js';
import { resolveConfig } from '../../src/emulator/config.js';
import {
  BROKER_CONFIG_BY_NAME,
  parseConfigValue,
  TOPIC_CONFIG_BY_NAME,
  TOPIC_CONFIGS,
} from '../../src/emulator/state/config-definitions.js';
import {
  type AlterResource,
  alterConfigs,
  brokerConfigEntries,
  maxMessageBytes,
  timestampWindow,
  topicConfigEntries,
} from '../../src/emulator/state/configs.js';

function cluster(options = {}) {
  const c = new Cluster(resolveConfig({ topics: [{ name: 't' }], ...options }));
  return c;
}
const topic = (c: Cluster) => c.topics.get('t')!;
const inc = (c: Cluster, r: AlterResource[], validateOnly = false) =>
  alterConfigs(c, r, { replace: false, validateOnly });
const set = (name: string, value: string | null) => ({ name, op: 0, value });
const del = (name: string) => ({ name, op: 1, value: null });
const append = (name: string, value: string) => ({ name, op: 2, value });
const subtract = (name: string, value: string) => ({ name, op: 3, value });
const onTopic = (...configs: AlterResource['configs']): AlterResource => ({
  resourceType: 2,
  resourceName: 't',
  configs,
});
const onBroker = (name: string, ...configs: AlterResource['configs']): AlterResource => ({
  resourceType: 4,
  resourceName: name,
  configs,
});
const entry = (c: Cluster, name: string) => topicConfigEntries(topic(c), c).find((e) => e.name === name)!;

describe('config definitions', () => {
  it("are Kafka 4.1.1's topic configs, less the ones 4.0 removed", () => {
    expect(TOPIC_CONFIGS.map((d) => d.name).sort()).toEqual(
      [
        'cleanup.policy',
        'compression.gzip.level',
        'compression.lz4.level',
        'compression.type',
        'compression.zstd.level',
        'delete.retention.ms',
        'file.delete.delay.ms',
        'flush.messages',
        'flush.ms',
        'follower.replication.throttled.replicas',
        'index.interval.bytes',
        'leader.replication.throttled.replicas',
        'local.retention.bytes',
        'local.retention.ms',
        'max.compaction.lag.ms',
        'max.message.bytes',
        'message.timestamp.after.max.ms',
        'message.timestamp.before.max.ms',
        'message.timestamp.type',
        'min.cleanable.dirty.ratio',
        'min.compaction.lag.ms',
        'min.insync.replicas',
        'preallocate',
        'remote.log.copy.disable',
        'remote.log.delete.on.disable',
        'remote.storage.enable',
        'retention.bytes',
        'retention.ms',
        'segment.bytes',
        'segment.index.bytes',
        'segment.jitter.ms',
        'segment.ms',
        'unclean.leader.election.enable',
      ].sort(),
    );
    for (const gone of [
      'message.format.version',
      'message.downconversion.enable',
      'message.timestamp.difference.max.ms',
    ])
      expect(TOPIC_CONFIG_BY_NAME.has(gone)).toBe(false);
    // Every broker synonym a topic config names is a broker config the emulator defines.
    for (const d of TOPIC_CONFIGS)
      if (d.brokerSynonym) expect(BROKER_CONFIG_BY_NAME.has(d.brokerSynonym)).toBe(true);
  });

  it("parse values as ConfigDef does, with Kafka's messages", () => {
    const p = (name: string, v: string) => parseConfigValue(TOPIC_CONFIG_BY_NAME.get(name)!, v);
    expect(p('retention.ms', ' 100 ')).toEqual({ ok: true, value: '100' });
    expect(p('preallocate', 'TRUE')).toEqual({ ok: true, value: 'true' });
    expect(p('min.cleanable.dirty.ratio', '0.25')).toEqual({ ok: true, value: '0.25' });
    expect(p('cleanup.policy', 'compact , delete')).toEqual({ ok: true, value: 'compact,delete' });
    expect(p('cleanup.policy', '')).toEqual({ ok: true, value: '' });
    const message = (name: string, v: string) => {
      const r = p(name, v);
      return r.ok ? undefined : r.message;
    };
    expect(message('retention.ms', 'abc')).toBe(
      'Invalid value abc for configuration retention.ms: Not a number of type LONG',
    );
    expect(message('retention.ms', '99999999999999999999')).toMatch(/Not a number of type LONG$/);
    expect(message('retention.ms', '-5')).toBe(
      'Invalid value -5 for configuration retention.ms: Value must be at least -1',
    );
    expect(message('max.message.bytes', '1.5')).toMatch(/Not a number of type INT$/);
    expect(message('max.message.bytes', '3000000000')).toMatch(/Not a number of type INT$/);
    expect(message('min.cleanable.dirty.ratio', 'abc')).toMatch(/Not a number of type DOUBLE$/);
    expect(message('min.cleanable.dirty.ratio', '2')).toBe(
      'Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1',
    );
    expect(message('segment.bytes', '1000')).toMatch(/Value must be at least 1048576$/);
    expect(message('compression.gzip.level', '0')).toMatch(/Value must be between 1 and 9 or equal to -1$/);
    expect(message('preallocate', 'yes')).toMatch(/Expected value to be either true or false$/);
    expect(message('compression.type', 'GZIP')).toBe(
      'Invalid value GZIP for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer',
    );
    expect(message('cleanup.policy', 'compact,foo')).toBe(
      'Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete',
    );
    expect(message('leader.replication.throttled.replicas', 'abc')).toMatch(/^Invalid value \[abc\] for/);
    expect(message('leader.replication.throttled.replicas', '0:0,1:0')).toBeUndefined();
    expect(message('leader.replication.throttled.replicas', '*')).toBeUndefined();
  });
});

describe('IncrementalAlterConfigs on a topic', () => {
  it('SET, DELETE, APPEND and SUBTRACT change the overrides; validateOnly changes nothing', () => {
    const c = cluster();
    expect(inc(c, [onTopic(set('retention.ms', '1000'), append('cleanup.policy', 'compact'))], true)).toEqual(
      [{ errorCode: 0, errorMessage: null }],
    );
    expect(topic(c).configs.size).toBe(0);
    inc(c, [onTopic(set('retention.ms', '1000'), append('cleanup.policy', 'compact'))]);
    // APPEND starts from the inherited value (delete), as Kafka's controller does.
    expect(Object.fromEntries(topic(c).configs)).toEqual({
      'retention.ms': '1000',
      'cleanup.policy': 'delete,compact',
    });
    inc(c, [onTopic(subtract('cleanup.policy', 'delete'), del('retention.ms'))]);
    expect(Object.fromEntries(topic(c).configs)).toEqual({ 'cleanup.policy': 'compact' });
    // Deleting a name that is not set (even an unknown one) is no error.
    expect(inc(c, [onTopic(del('no.such'))])[0].errorCode).toBe(0);
  });

  it("answers Kafka's errors, per resource, and a failed resource changes nothing", () => {
    const c = cluster();
    const err = (r: AlterResource) => inc(c, [r])[0];
    expect(err(onTopic(set('foo.bar', '1')))).toEqual({
      errorCode: 40,
      errorMessage: 'Unknown topic config name: foo.bar',
    });
    expect(err(onTopic(set('retention.ms', '5'), del('retention.ms')))).toEqual({
      errorCode: 42,
      errorMessage: 'Error due to duplicate config keys',
    });
    expect(err(onTopic(append('retention.ms', '5')))).toEqual({
      errorCode: 40,
      errorMessage: "Can't APPEND to key retention.ms because its type is not LIST.",
    });
    expect(err(onTopic({ name: 'retention.ms', op: 7, value: '5' }))).toEqual({
      errorCode: -1,
      errorMessage: null,
    });
    expect(err(onTopic(set('retention.ms', null)))).toEqual({
      errorCode: 42,
      errorMessage: 'Null value not supported for : retention.ms',
    });
    expect(err({ resourceType: 2, resourceName: 'nope', configs: [set('retention.ms', '5')] })).toEqual({
      errorCode: 3,
      errorMessage: "The topic 'nope' does not exist.",
    });
    expect(err({ resourceType: 2, resourceName: '', configs: [] })).toEqual({
      errorCode: 42,
      errorMessage: 'Default topic resources are not allowed.',
    });
    expect(err(onTopic(set('remote.storage.enable', 'true'))).errorMessage).toMatch(
      /^Tiered Storage functionality is disabled/,
    );
    expect(err(onTopic(set('min.compaction.lag.ms', '2000'), set('max.compaction.lag.ms', '1000')))).toEqual({
      errorCode: 40,
      errorMessage:
        'conflict topic config setting min.compaction.lag.ms (2000) > max.compaction.lag.ms (1000)',
    });
    // A valid change beside a bad one is not applied.
    expect(err(onTopic(set('segment.ms', '1'), set('retention.ms', 'x'))).errorCode).toBe(40);
    expect(topic(c).configs.size).toBe(0);
    // Two resources: each answered on its own; a resource named twice fails both times.
    const both = inc(c, [
      onTopic(set('segment.ms', '5000')),
      { resourceType: 1, resourceName: 'x', configs: [] },
    ]);
    expect(both).toEqual([
      { errorCode: 0, errorMessage: null },
      { errorCode: 42, errorMessage: 'Unknown resource type 1' },
    ]);
    expect(inc(c, [onTopic(), onTopic()]).map((o) => o.errorMessage)).toEqual([
      'Each resource must appear at most once.',
      'Each resource must appear at most once.',
    ]);
  });

  it('AlterConfigs replaces the whole set', () => {
    const c = cluster();
    inc(c, [onTopic(set('retention.ms', '1000'), set('segment.ms', '2000'))]);
    expect(
      alterConfigs(c, [onTopic(set('segment.ms', '3000'))], { replace: true, validateOnly: false }),
    ).toEqual([{ errorCode: 0, errorMessage: null }]);
    expect(Object.fromEntries(topic(c).configs)).toEqual({ 'segment.ms': '3000' });
  });
});

describe('broker configs', () => {
  it('per broker and cluster-wide default; names Kafka cannot change dynamically are refused', () => {
    const c = cluster();
    expect(inc(c, [onBroker('', set('log.retention.ms', '100000'))])[0].errorCode).toBe(0);
    expect(inc(c, [onBroker('0', set('log.message.timestamp.after.max.ms', '5000'))])[0].errorCode).toBe(0);
    expect(inc(c, [onBroker('0', set('num.partitions', '3'), set('group.max.size', '2'))])[0]).toEqual({
      errorCode: 42,
      errorMessage: 'Cannot update these configs dynamically: Set(num.partitions, group.max.size)',
    });
    expect(inc(c, [onBroker('0', set('message.max.bytes', '-1'))])[0]).toEqual({
      errorCode: 42,
      errorMessage: 'Invalid value -1 for configuration message.max.bytes: Value must be at least 0',
    });
    expect(inc(c, [onBroker('5', set('log.retention.ms', '1'))])[0].errorMessage).toBe(
      'Unexpected broker id, expected 0, but received 5',
    );
    expect(inc(c, [onBroker('x', set('log.retention.ms', '1'))])[0].errorMessage).toBe(
      'Node id must be an integer, but it is: x',
    );
    expect(inc(c, [onBroker('0', append('log.retention.ms', '1'))])[0]).toEqual({
      errorCode: 40,
      errorMessage: 'Config value append is not allowed for config key: log.retention.ms',
    });
    // A name Kafka does not define is stored and described as sensitive (a plugin's config).
    expect(inc(c, [onBroker('', set('foo.bar', '1'))])[0].errorCode).toBe(0);
    const defaults = brokerConfigEntries(c, false);
    expect(defaults.map((e) => [e.name, e.value, e.source, e.isSensitive])).toEqual([
      ['min.insync.replicas', '1', 3, false],
      ['log.retention.ms', '100000', 3, false],
      ['foo.bar', null, 3, true],
    ]);
    const own = brokerConfigEntries(c, true).find((e) => e.name === 'log.message.timestamp.after.max.ms')!;
    expect([own.value, own.source, own.readOnly, own.synonyms]).toEqual([
      '5000',
      2,
      false,
      [
        { name: 'log.message.timestamp.after.max.ms', value: '5000', source: 2 },
        { name: 'log.message.timestamp.after.max.ms', value: '3600000', source: 5 },
      ],
    ]);
    expect(brokerConfigEntries(c, true).find((e) => e.name === 'num.partitions')?.readOnly).toBe(true);
  });

  it('take effect where the emulator applies them: max.message.bytes and the timestamp windows', () => {
    const c = cluster();
    expect(maxMessageBytes(topic(c), c)).toBe(1_048_588);
    inc(c, [onBroker('', set('message.max.bytes', '2000'))]);
    expect(maxMessageBytes(topic(c), c)).toBe(2000);
    inc(c, [onBroker('0', set('message.max.bytes', '3000'))]);
    expect(maxMessageBytes(topic(c), c)).toBe(3000);
    inc(c, [onTopic(set('max.message.bytes', '4000'))]);
    expect(maxMessageBytes(topic(c), c)).toBe(4000);
    inc(c, [onBroker('0', set('log.message.timestamp.after.max.ms', '5000'))]);
    expect(timestampWindow(topic(c), c).afterMs).toBe(5000n);
  });
});

describe('DescribeConfigs sources and synonyms (ConfigHelper)', () => {
  it('an inherited value names its broker synonym; leading coarser synonyms are dropped', () => {
    const c = cluster();
    // At the default: retention.ms comes from log.retention.hours=168, which Kafka does not list.
    expect(entry(c, 'retention.ms')).toMatchObject({ value: '604800000', source: 5, synonyms: [] });
    inc(c, [onBroker('', set('log.retention.ms', '100000'))]);
    expect(entry(c, 'retention.ms')).toMatchObject({
      value: '100000',
      source: 3,
      synonyms: [
        { name: 'log.retention.ms', value: '100000', source: 3 },
        { name: 'log.retention.hours', value: '168', source: 5 },
      ],
    });
    inc(c, [onTopic(set('retention.ms', '1000'))]);
    expect(entry(c, 'retention.ms')).toMatchObject({ value: '1000', source: 1 });
    expect(entry(c, 'retention.ms').synonyms[0]).toEqual({ name: 'retention.ms', value: '1000', source: 1 });
    // A static setting the emulator was started with shows as STATIC_BROKER_CONFIG.
    const s = cluster({ maxMessageBytes: 5000 });
    expect(entry(s, 'max.message.bytes')).toMatchObject({
      value: '5000',
      source: 4,
      synonyms: [
        { name: 'message.max.bytes', value: '5000', source: 4 },
        { name: 'message.max.bytes', value: '1048588', source: 5 },
      ],
    });
    // min.insync.replicas: a fresh KRaft 4.x cluster has it as a cluster-wide dynamic default.
    expect(entry(c, 'min.insync.replicas')).toMatchObject({ value: '1', source: 3 });
    // Configs without a broker synonym.
    expect(entry(c, 'remote.storage.enable')).toMatchObject({
      value: 'false',
      source: 5,
      synonyms: [],
      type: 1,
    });
  });
});
