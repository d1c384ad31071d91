/**
 * The seed's workflow (test/real-kafka/seed-workflow.ts does it with Kafka's Java tools; this is the
 * same with our client): a topic with 2 partitions, describe it, produce keyed records, consume
 * them in groups of 1, 2 and 3 members, each group reading every record exactly once.
 */
import assert from 'node:assert/strict';
import type { Consumer } from '../../src/client/consumer/index.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { setUpTopic } from './support.js';

const RECORDS = 10;

/** Runs `size` members of one group until together they have read `RECORDS` records; returns who read what. */
async function consumeInGroup(ctx: ScenarioContext, topic: string, size: number) {
  const groupId = ctx.name(`seed-group-${size}`);
  const seen: string[][] = [];
  const members: Consumer[] = [];
  const runs: Promise<void>[] = [];
  for (let m = 0; m < size; m++) {
    const got: string[] = [];
    seen.push(got);
    const consumer = ctx.consumer({
      groupId,
      autoOffsetReset: 'earliest',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
      rebalanceTimeoutMs: 15_000,
      fetchMaxWaitMs: 100,
    });
    consumer.subscribe([topic]);
    members.push(consumer);
    const run = consumer.run({ eachMessage: (r) => void got.push(`${r.partition}:${r.offset}:${r.value}`) });
    run.catch(() => undefined);
    runs.push(run);
  }
  // Done when every record was read and the group settled: one generation, all partitions assigned.
  await ctx.until(
    `group of ${size} to read ${RECORDS} records`,
    async () => {
      const total = seen.reduce((n, s) => n + s.length, 0);
      const gens = new Set(members.map((c) => c.groupMetadata().generationId));
      const assigned = members.reduce((n, c) => n + c.assignment().length, 0);
      return total >= RECORDS && gens.size === 1 && assigned === 2 ? true : undefined;
    },
    40_000,
  );
  const sizes = members.map((c) => c.assignment().length).sort();
  await Promise.all(members.map((c) => c.close()));
  await Promise.all(runs.map((r) => r.catch(() => undefined)));
  return { seen, sizes };
}

export const seedWorkflow: Scenario = {
  name: 'seed-workflow',
  source: 'the seed (test/real-kafka/seed-workflow.ts), with our client instead of Kafka tools',
  description: 'create 2 partitions, describe, produce 10 keyed records, consume in groups of 1, 2 and 3',
  timeoutMs: 120_000,
  async run(ctx) {
    const topic = ctx.name('seed');
    await setUpTopic(ctx, topic, 2);
    const meta = await ctx.exchange('describe', Metadata, {
      topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    assert.equal(meta.topics[0].partitions.length, 2);

    const producer = await ctx.producer({ acks: 'all' });
    const sent = await producer.send({
      topic,
      messages: Array.from({ length: RECORDS }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` })),
    });
    // The murmur2 partitioner puts the keys where Java's would, so offsets are the same on both targets.
    ctx.checkpoint(
      'produced',
      sent.map((r) => `${r.partition}:${r.offset}`),
    );

    for (const size of [1, 2, 3]) {
      const { seen, sizes } = await consumeInGroup(ctx, topic, size);
      const all = seen.flat().sort();
      assert.equal(all.length, RECORDS, `group of ${size} read each record once`);
      assert.equal(new Set(all).size, RECORDS);
      assert.deepEqual(sizes, size === 1 ? [2] : size === 2 ? [1, 1] : [0, 1, 1]);
      ctx.checkpoint(`group-of-${size}`, { records: all, partitionsPerMember: sizes });
    }
  },
};
