/**
 * __consumer_offsets, the group coordinator's internal topic (Kafka 4.1.1, KRaft, no authorizer):
 * - absent from Metadata until the group coordinator starts: the first FindCoordinator for a group
 *   creates it (KafkaApis.getCoordinator → AutoTopicCreationManager) with offsets.topic.num.partitions
 *   partitions (kafka.sh sets 1, and so does the suite's emulator) — Kafka answers that first request
 *   COORDINATOR_NOT_AVAILABLE, the emulator at once (KNOWN-DIFFERENCES.md), so the compared
 *   FindCoordinator is the first one that succeeds;
 * - asked for by name before that: UNKNOWN_TOPIC_OR_PARTITION, yet isInternal (Topic.isInternal);
 * - after: listed with isInternal true by Metadata and DescribeTopicPartitions;
 * - Produce refused with INVALID_TOPIC_EXCEPTION (ReplicaManager.appendToLocalLog), Fetch served;
 * - CreateTopics: TOPIC_ALREADY_EXISTS like any topic; CreatePartitions (validateOnly) allowed.
 *   Kafka 4.1.1 also deletes it on DeleteTopics; not run here, the suite's later group scenarios need it.
 *
 * The suite shares one broker per target: whether the topic already exists when this scenario starts
 * depends on the scenarios before it, but is the same on both targets (listed-before is compared).
 */
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { CreatePartitions } from '../../src/protocol/messages/37-create-partitions.js';
import { DescribeTopicPartitions } from '../../src/protocol/messages/75-describe-topic-partitions.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { batch, createTopic, errorName, expectError, fetchRaw, produceRaw } from './support.js';

const OFFSETS = '__consumer_offsets';

async function listedInAllTopics(
  ctx: ScenarioContext,
): Promise<{ isInternal: boolean; partitions: number } | null> {
  const all = await ctx.exchange(null, Metadata, {
    topics: null,
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  });
  const t = all.topics.find((x) => x.name === OFFSETS);
  return t ? { isInternal: t.isInternal, partitions: t.partitions.length } : null;
}

export const internalTopics: Scenario = {
  name: 'internal-topics',
  source:
    'KafkaApis.getCoordinator / getTopicMetadata, AutoTopicCreationManager, ReplicaManager.appendToLocalLog, Topic.isInternal',
  description:
    '__consumer_offsets appears once the group coordinator starts: Metadata, DescribeTopicPartitions, Produce refused, Fetch, CreateTopics',
  async run(ctx) {
    const before = await listedInAllTopics(ctx);
    ctx.checkpoint('listed-before', before !== null);
    if (before === null) {
      const named = await ctx.exchange('metadata-named-before', Metadata, {
        topics: [{ name: OFFSETS, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      });
      expectError(named.topics[0].errorCode, 'UNKNOWN_TOPIC_OR_PARTITION', 'Metadata for it before');
    }

    const group = ctx.name('internal-topics-group');
    await ctx.until('the group coordinator to be found', async () => {
      const f = await ctx.exchange(null, FindCoordinator, { keyType: 0, coordinatorKeys: [group] });
      return f.coordinators[0]?.errorCode === 0 ? true : undefined;
    });
    await ctx.exchange('find-coordinator', FindCoordinator, { keyType: 0, coordinatorKeys: [group] });

    // Kafka's broker learns of the topic from the metadata log a moment after creating it.
    const after = await ctx.until('the topic in Metadata', () =>
      listedInAllTopics(ctx).then((x) => x ?? undefined),
    );
    ctx.checkpoint('listed-after', after);
    await ctx.exchange('metadata-named-after', Metadata, {
      topics: [{ name: OFFSETS, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    await ctx.exchange('describe-topic-partitions', DescribeTopicPartitions, {
      topics: [{ name: OFFSETS }],
      responsePartitionLimit: 2000,
      cursor: null,
    });

    const p = await produceRaw(ctx, 'produce', OFFSETS, 0, batch(['x']));
    expectError(p.errorCode, 'INVALID_TOPIC_EXCEPTION', 'Produce to it');
    const old = await produceRaw(ctx, 'produce-v3', OFFSETS, 0, batch(['x']), { version: 3 });
    expectError(old.errorCode, 'INVALID_TOPIC_EXCEPTION', 'Produce v3 to it');

    // Kafka serves the coordinator's records (offset commits, group metadata) here; the emulator keeps
    // group state in memory and serves an empty log (SKIPPED.md): compare only whether Fetch is answered.
    const f = await fetchRaw(ctx, null, OFFSETS, 0, 0n);
    ctx.checkpoint('fetch-error', errorName(f.errorCode));

    const created = await createTopic(ctx, 'create-topics', OFFSETS, 1);
    expectError(created, 'TOPIC_ALREADY_EXISTS', 'CreateTopics for it');
    await ctx.exchange('create-partitions-validate-only', CreatePartitions, {
      topics: [{ name: OFFSETS, count: after.partitions + 1, assignments: null }],
      timeoutMs: 30_000,
      validateOnly: true,
    });
  },
};
