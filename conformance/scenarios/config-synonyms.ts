/**
 * The time settings Kafka spells three ways: retention.ms inherits from log.retention.ms, then
 * log.retention.minutes, then log.retention.hours; segment.ms from log.roll.ms, then log.roll.hours;
 * segment.jitter.ms from log.roll.jitter.ms, then log.roll.jitter.hours (KafkaConfig.logRetentionTimeMillis,
 * logRollTimeMillis, logRollTimeJitterMillis). DescribeConfigs with includeSynonyms lists each layer's
 * names in that order (ConfigHelper.configSynonyms); only the .ms names are dynamic
 * (DynamicLogConfig.ReconfigurableConfigs are the first synonym of each topic config), so setting
 * log.roll.hours or log.retention.minutes on a running broker is refused. Setting log.roll.ms /
 * log.retention.ms dynamically changes what a topic without its own value has in force.
 *
 * The scenario leaves the broker's dynamic configs as it found them.
 */
import { DescribeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { IncrementalAlterConfigs } from '../../src/protocol/messages/44-incremental-alter-configs.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { expectError, setUpTopic } from './support.js';

const TOPIC = 2;
const BROKER = 4;
const SET = 0;
const DELETE = 1;

const TOPIC_KEYS = ['retention.ms', 'segment.ms', 'segment.jitter.ms'];
const BROKER_KEYS = [
  'log.retention.ms',
  'log.retention.minutes',
  'log.retention.hours',
  'log.roll.ms',
  'log.roll.hours',
  'log.roll.jitter.ms',
  'log.roll.jitter.hours',
];

function describeBody(type: number, name: string, keys: string[]) {
  return {
    resources: [{ resourceType: type, resourceName: name, configurationKeys: keys }],
    includeSynonyms: true,
    includeDocumentation: false,
  };
}

async function alter(
  ctx: ScenarioContext,
  label: string,
  name: string,
  configs: [string, number, string | null][],
  validateOnly = false,
) {
  const res = await ctx.exchange(label, IncrementalAlterConfigs, {
    resources: [
      {
        resourceType: BROKER,
        resourceName: name,
        configs: configs.map(([n, configOperation, value]) => ({ name: n, configOperation, value })),
      },
    ],
    validateOnly,
  });
  ctx.checkpoint(`${label}.message`, res.responses[0].errorMessage ?? null);
  return res.responses[0];
}

/** Waits (uncompared) until the topic's `key` is `want` (a real broker applies an alter a moment later). */
async function topicValue(ctx: ScenarioContext, topic: string, key: string, want: string) {
  await ctx.until(`${key} of ${topic} to be ${want}`, async () => {
    const res = await ctx.exchange(null, DescribeConfigs, describeBody(TOPIC, topic, [key]));
    return res.results[0]?.configs.find((c) => c.name === key)?.value === want ? true : undefined;
  });
}

export const configSynonyms: Scenario = {
  name: 'config-synonyms',
  source:
    'KIP-226; KafkaConfig.logRetentionTimeMillis/logRollTimeMillis; ConfigHelper.configSynonyms; DynamicLogConfig',
  description:
    'log.retention.{ms,minutes,hours}, log.roll.{ms,hours}, log.roll.jitter.{ms,hours}: synonyms for a topic and the broker, which are dynamic, what a topic has in force',
  timeoutMs: 120_000,
  async run(ctx) {
    const topic = ctx.name('synonyms');
    await setUpTopic(ctx, topic, 1);
    await ctx.exchange('topic-defaults', DescribeConfigs, describeBody(TOPIC, topic, TOPIC_KEYS));
    await ctx.exchange('broker-defaults', DescribeConfigs, describeBody(BROKER, '0', BROKER_KEYS));

    // Not dynamic: the hours and minutes spellings, per broker and cluster-wide.
    for (const [label, name, key, value] of [
      ['roll-hours-broker', '0', 'log.roll.hours', '2'],
      ['roll-hours-default', '', 'log.roll.hours', '2'],
      ['retention-hours-broker', '0', 'log.retention.hours', '1'],
      ['retention-minutes-default', '', 'log.retention.minutes', '30'],
      ['roll-jitter-hours-broker', '0', 'log.roll.jitter.hours', '1'],
    ] as const) {
      await alter(ctx, label, name, [[key, SET, value]], true);
      await alter(ctx, `${label}-apply`, name, [[key, SET, value]]);
    }

    // Dynamic: the .ms spellings. The topic follows (it has no values of its own).
    const roll = await alter(ctx, 'roll-ms-default', '', [['log.roll.ms', SET, '7200000']]);
    expectError(roll.errorCode, 'NONE', 'log.roll.ms cluster default');
    const retention = await alter(ctx, 'retention-ms-broker', '0', [
      ['log.retention.ms', SET, '3600000'],
      ['log.roll.jitter.ms', SET, '1000'],
    ]);
    expectError(retention.errorCode, 'NONE', 'log.retention.ms on broker 0');
    await topicValue(ctx, topic, 'segment.ms', '7200000');
    await topicValue(ctx, topic, 'retention.ms', '3600000');
    await topicValue(ctx, topic, 'segment.jitter.ms', '1000');
    await ctx.exchange('topic-after-dynamic', DescribeConfigs, describeBody(TOPIC, topic, TOPIC_KEYS));
    await ctx.exchange('broker-after-dynamic', DescribeConfigs, describeBody(BROKER, '0', BROKER_KEYS));
    await ctx.exchange('default-after-dynamic', DescribeConfigs, describeBody(BROKER, '', BROKER_KEYS));

    // The same name at both levels: the per-broker value wins, the default is the next synonym.
    await alter(ctx, 'roll-ms-broker', '0', [['log.roll.ms', SET, '600000']]);
    await topicValue(ctx, topic, 'segment.ms', '600000');
    await ctx.exchange('topic-both-levels', DescribeConfigs, describeBody(TOPIC, topic, ['segment.ms']));

    // Leave the broker as found.
    await alter(ctx, 'cleanup-broker', '0', [
      ['log.retention.ms', DELETE, null],
      ['log.roll.jitter.ms', DELETE, null],
      ['log.roll.ms', DELETE, null],
    ]);
    await alter(ctx, 'cleanup-default', '', [['log.roll.ms', DELETE, null]]);
    await topicValue(ctx, topic, 'segment.ms', '604800000');
    await topicValue(ctx, topic, 'retention.ms', '604800000');
    await topicValue(ctx, topic, 'segment.jitter.ms', '0');
    await ctx.exchange('topic-after-cleanup', DescribeConfigs, describeBody(TOPIC, topic, TOPIC_KEYS));
  },
};
