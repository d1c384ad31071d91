/**
 * Configs: IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT), AlterConfigs (replace the set),
 * DescribeConfigs (values, sources, synonyms, types) and ListConfigResources for a topic, this broker
 * and the cluster-wide broker default, with every error Kafka 4.1 answers and its message (the
 * messages are checkpoints of their own: the runner normalises errorMessage away in responses).
 * Sources: KIP-133, KIP-226 (dynamic broker configs, synonyms), KIP-339, KIP-569, KIP-1142;
 * ConfigAdminManager, ControllerConfigurationValidator, ConfigHelper, LogConfig, DynamicBrokerConfig.
 *
 * A real broker applies a config change from its metadata log a moment after answering, so every
 * describe after an alter first waits (uncompared) until the change shows. The scenario leaves the
 * broker's dynamic configs as it found them.
 */
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { AlterConfigs } from '../../src/protocol/messages/33-alter-configs.js';
import { IncrementalAlterConfigs } from '../../src/protocol/messages/44-incremental-alter-configs.js';
import { ListConfigResources } from '../../src/protocol/messages/74-list-config-resources.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { expectError, setUpTopic } from './support.js';

const TOPIC = 2;
const BROKER = 4;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

type Op = [name: string, op: number, value: string | null];

interface Resource {
  type: number;
  name: string;
  configs: Op[];
}

async function incremental(ctx: ScenarioContext, label: string, resources: Resource[], validateOnly = false) {
  const res = await ctx.exchange(label, IncrementalAlterConfigs, {
    resources: resources.map((r) => ({
      resourceType: r.type,
      resourceName: r.name,
      configs: r.configs.map(([name, configOperation, value]) => ({ name, configOperation, value })),
    })),
    validateOnly,
  });
  ctx.checkpoint(
    `${label}.messages`,
    res.responses.map((x) => x.errorMessage ?? null),
  );
  return res.responses;
}

async function replace(ctx: ScenarioContext, label: string, r: Resource, validateOnly = false) {
  const res = await ctx.exchange(label, AlterConfigs, {
    resources: [
      {
        resourceType: r.type,
        resourceName: r.name,
        configs: r.configs.map(([name, , value]) => ({ name, value })),
      },
    ],
    validateOnly,
  });
  ctx.checkpoint(
    `${label}.messages`,
    res.responses.map((x) => x.errorMessage ?? null),
  );
  return res.responses;
}

function describeBody(type: number, name: string, keys: string[] | null, includeSynonyms = true) {
  return {
    resources: [{ resourceType: type, resourceName: name, configurationKeys: keys }],
    includeSynonyms,
    includeDocumentation: false,
  };
}

/** Waits (uncompared) until `name` of the resource has `value` and `source` (null value: not dynamic here). */
async function settled(ctx: ScenarioContext, type: number, name: string, key: string, want: string | null) {
  await ctx.until(`${key} of ${name || '(default)'} to be ${want}`, async () => {
    const res = await ctx.exchange(null, DescribeConfigs, describeBody(type, name, [key], false));
    const entry = res.results[0]?.configs.find((c) => c.name === key);
    const dynamic = entry !== undefined && [1, 2, 3].includes(entry.configSource ?? -1);
    if (want === null) return !dynamic ? true : undefined;
    return dynamic && entry.value === want ? true : undefined;
  });
}

export const configs: Scenario = {
  name: 'configs',
  source: 'KIP-133, KIP-226, KIP-339, KIP-569, KIP-1142; ConfigAdminManager, ConfigHelper, LogConfig',
  description:
    'alter (incremental and whole) and describe topic, broker and cluster-default configs: sources, synonyms, every error and its message',
  timeoutMs: 120_000,
  async run(ctx) {
    const topic = ctx.name('configs');
    await setUpTopic(ctx, topic, 1);
    const t = (...ops: Op[]): Resource => ({ type: TOPIC, name: topic, configs: ops });
    const broker = (name: string, ...ops: Op[]): Resource => ({ type: BROKER, name, configs: ops });

    await ctx.exchange('describe-defaults', DescribeConfigs, describeBody(TOPIC, topic, null));

    // ---- IncrementalAlterConfigs on a topic.
    const [setOk] = await incremental(ctx, 'inc-set', [
      t(
        ['retention.ms', SET, '5000'],
        ['cleanup.policy', APPEND, 'compact'],
        ['preallocate', SET, 'TRUE'],
        ['min.cleanable.dirty.ratio', SET, '1'],
        ['retention.bytes', SET, ' 1000 '],
      ),
    ]);
    expectError(setOk.errorCode, 'NONE', 'inc-set');
    await settled(ctx, TOPIC, topic, 'retention.bytes', '1000');
    const changed = [
      'retention.ms',
      'cleanup.policy',
      'preallocate',
      'min.cleanable.dirty.ratio',
      'retention.bytes',
    ];
    await ctx.exchange(
      'describe-after-set',
      DescribeConfigs,
      describeBody(TOPIC, topic, [...changed, 'segment.ms']),
    );

    await incremental(ctx, 'inc-subtract-delete', [
      t(
        ['cleanup.policy', SUBTRACT, 'delete'],
        ['retention.ms', DELETE, null],
        ['no.such.config', DELETE, null],
      ),
    ]);
    await settled(ctx, TOPIC, topic, 'retention.ms', null);
    await ctx.exchange('describe-after-subtract', DescribeConfigs, describeBody(TOPIC, topic, changed));

    await incremental(ctx, 'inc-validate-only', [t(['segment.ms', SET, '1000'])], true);
    await ctx.exchange(
      'describe-after-validate-only',
      DescribeConfigs,
      describeBody(TOPIC, topic, ['segment.ms']),
    );

    const topicErrors: [string, Resource[]][] = [
      ['inc-unknown-name', [t(['retention.msec', SET, '1'])]],
      ['inc-not-a-long', [t(['retention.ms', SET, 'abc'])]],
      ['inc-too-large-long', [t(['retention.ms', SET, '99999999999999999999'])]],
      ['inc-below-range', [t(['retention.ms', SET, '-5'])]],
      ['inc-not-an-int', [t(['max.message.bytes', SET, '1.5'])]],
      ['inc-double-above-range', [t(['min.cleanable.dirty.ratio', SET, '2'])]],
      ['inc-not-a-boolean', [t(['preallocate', SET, 'yes'])]],
      ['inc-not-one-of', [t(['compression.type', SET, 'GZIP'])]],
      ['inc-list-item', [t(['cleanup.policy', APPEND, 'compact,foo'])]],
      ['inc-gzip-level', [t(['compression.gzip.level', SET, '0'])]],
      ['inc-segment-bytes', [t(['segment.bytes', SET, '1000'])]],
      ['inc-throttled-replicas', [t(['leader.replication.throttled.replicas', SET, 'abc'])]],
      ['inc-append-not-list', [t(['retention.ms', APPEND, '5'])]],
      ['inc-subtract-not-list', [t(['retention.ms', SUBTRACT, '5'])]],
      ['inc-duplicate-key', [t(['retention.ms', SET, '5'], ['retention.ms', DELETE, null])]],
      ['inc-null-value', [t(['retention.ms', SET, null])]],
      ['inc-unknown-op', [t(['retention.ms', 7, '5'])]],
      ['inc-remote-storage', [t(['remote.storage.enable', SET, 'true'])]],
      [
        'inc-compaction-lag',
        [t(['min.compaction.lag.ms', SET, '2000'], ['max.compaction.lag.ms', SET, '1000'])],
      ],
      ['inc-one-bad-one-good', [t(['segment.ms', SET, '1'], ['retention.ms', SET, 'x'])]],
      [
        'inc-unknown-topic',
        [{ type: TOPIC, name: ctx.name('configs-none'), configs: [['retention.ms', SET, '1']] }],
      ],
      ['inc-default-topic', [{ type: TOPIC, name: '', configs: [['retention.ms', SET, '1']] }]],
      ['inc-resource-twice', [t(['retention.ms', SET, '1']), t(['retention.ms', SET, '2'])]],
      ['inc-unknown-resource-type', [{ type: 1, name: '0', configs: [] }]],
      [
        'inc-per-resource',
        [t(['segment.jitter.ms', SET, '10']), { type: TOPIC, name: ctx.name('configs-none'), configs: [] }],
      ],
    ];
    for (const [label, resources] of topicErrors)
      await incremental(ctx, label, resources, label !== 'inc-per-resource');
    await ctx.exchange(
      'describe-after-errors',
      DescribeConfigs,
      describeBody(TOPIC, topic, ['segment.ms', 'retention.ms']),
    );

    // ---- AlterConfigs: the given set replaces the topic's overrides.
    await replace(ctx, 'alter-replace', t(['segment.ms', SET, '100000']));
    await settled(ctx, TOPIC, topic, 'cleanup.policy', null);
    await ctx.exchange(
      'describe-after-replace',
      DescribeConfigs,
      describeBody(TOPIC, topic, [...changed, 'segment.ms']),
    );
    await replace(ctx, 'alter-unknown-name', t(['foo', SET, '1']));
    await replace(ctx, 'alter-null-value', t(['segment.ms', SET, null]));
    await replace(ctx, 'alter-duplicate-key', t(['segment.ms', SET, '1'], ['segment.ms', SET, '2']));
    await replace(ctx, 'alter-bad-value', t(['segment.ms', SET, '0']));
    await replace(ctx, 'alter-unknown-topic', { type: TOPIC, name: ctx.name('configs-none'), configs: [] });

    // ---- Broker configs: the cluster-wide default ('') and this broker (node 0).
    await incremental(ctx, 'inc-broker-default', [
      broker('', ['log.retention.ms', SET, '100000'], ['foo.bar', SET, '1']),
    ]);
    await settled(ctx, BROKER, '', 'log.retention.ms', '100000');
    await ctx.exchange('describe-broker-default', DescribeConfigs, describeBody(BROKER, '', null));
    await ctx.exchange(
      'describe-topic-inherits-default',
      DescribeConfigs,
      describeBody(TOPIC, topic, ['retention.ms']),
    );

    await incremental(ctx, 'inc-broker', [
      broker(
        '0',
        ['log.message.timestamp.after.max.ms', SET, '5000'],
        ['log.cleanup.policy', APPEND, 'compact'],
        ['message.max.bytes', SET, '2000000'],
      ),
    ]);
    await settled(ctx, BROKER, '0', 'message.max.bytes', '2000000');
    const brokerKeys = [
      'log.retention.ms',
      'log.message.timestamp.after.max.ms',
      'log.cleanup.policy',
      'message.max.bytes',
      'min.insync.replicas',
      'log.segment.bytes',
      'foo.bar',
      'node.id',
      'no.such.config',
    ];
    await ctx.exchange('describe-broker', DescribeConfigs, describeBody(BROKER, '0', brokerKeys));
    await ctx.exchange(
      'describe-topic-inherits-broker',
      DescribeConfigs,
      describeBody(TOPIC, topic, ['message.timestamp.after.max.ms', 'max.message.bytes', 'cleanup.policy']),
    );
    const brokerErrors: [string, Resource][] = [
      ['inc-broker-not-dynamic', broker('0', ['num.partitions', SET, '3'])],
      ['inc-default-not-dynamic', broker('', ['num.partitions', SET, '3'])],
      ['inc-broker-not-a-long', broker('0', ['log.retention.ms', SET, 'abc'])],
      ['inc-default-not-a-long', broker('', ['log.retention.ms', SET, 'abc'])],
      ['inc-broker-below-range', broker('0', ['message.max.bytes', SET, '-1'])],
      ['inc-broker-min-insync', broker('0', ['min.insync.replicas', SET, '0'])],
      ['inc-broker-append-not-list', broker('0', ['log.retention.ms', APPEND, '1'])],
      ['inc-broker-other-id', broker('5', ['log.retention.ms', SET, '1'])],
      ['inc-broker-not-an-id', broker('x', ['log.retention.ms', SET, '1'])],
      [
        'inc-broker-duplicate-key',
        broker('0', ['log.retention.ms', SET, '1'], ['log.retention.ms', SET, '2']),
      ],
    ];
    for (const [label, r] of brokerErrors) await incremental(ctx, label, [r], true);

    await replace(ctx, 'alter-broker-replace', broker('0', ['log.segment.bytes', SET, '2000000']));
    await settled(ctx, BROKER, '0', 'message.max.bytes', null);
    await ctx.exchange(
      'describe-broker-after-replace',
      DescribeConfigs,
      describeBody(BROKER, '0', brokerKeys),
    );
    await replace(ctx, 'alter-broker-not-a-long', broker('0', ['log.retention.ms', SET, 'x']));
    await replace(ctx, 'alter-broker-not-dynamic', broker('0', ['num.partitions', SET, '2']));

    // ---- DescribeConfigs errors.
    for (const [label, type, name] of [
      ['describe-other-broker', BROKER, '7'],
      ['describe-unknown-topic', TOPIC, ctx.name('configs-none')],
      ['describe-illegal-topic', TOPIC, 'bad/name'],
    ] as const) {
      const res = await ctx.exchange(label, DescribeConfigs, describeBody(type, name, null));
      ctx.checkpoint(
        `${label}.messages`,
        res.results.map((r) => r.errorMessage ?? null),
      );
    }
    const docs = await ctx.exchange(null, DescribeConfigs, {
      ...describeBody(TOPIC, topic, null),
      includeDocumentation: true,
    });
    ctx.checkpoint(
      'documentation-present',
      Object.fromEntries(docs.results[0].configs.map((c) => [c.name, c.documentation !== null])),
    );

    // ---- ListConfigResources (KIP-1142): our topic, this broker, and an unlistable type.
    const listed = await ctx.exchange(null, ListConfigResources, { resourceTypes: [] });
    ctx.checkpoint(
      'list-all',
      listed.configResources
        .filter((r) => r.resourceType !== TOPIC || r.resourceName === topic)
        .map((r) => `${r.resourceType}:${r.resourceName.split(topic).join('<topic>')}`),
    );
    await ctx.exchange('list-brokers', ListConfigResources, { resourceTypes: [BROKER] });
    const topics = await ctx.exchange(null, ListConfigResources, { resourceTypes: [TOPIC] });
    ctx.checkpoint(
      'list-topics-has-ours',
      topics.configResources.some((r) => r.resourceName === topic),
    );
    await ctx.exchange('list-unlistable-type', ListConfigResources, { resourceTypes: [3] });

    // ---- Leave the broker as found.
    await incremental(ctx, 'cleanup-default', [
      broker('', ['log.retention.ms', DELETE, null], ['foo.bar', DELETE, null]),
    ]);
    await replace(ctx, 'cleanup-broker', broker('0'));
    await settled(ctx, BROKER, '', 'log.retention.ms', null);
    await settled(ctx, BROKER, '0', 'log.segment.bytes', null);
  },
};
