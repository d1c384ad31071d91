/**
 * Admin: CreateTopics, Metadata (describe), DeleteTopics and CreateTopics' errors, each as the KRaft
 * controller decides them (ReplicationControlManager.java; Topic.java for names): an invalid name →
 * INVALID_TOPIC_EXCEPTION, an existing topic → TOPIC_ALREADY_EXISTS, 0 partitions →
 * INVALID_PARTITIONS, replication factor 0 or more than the brokers (1) → INVALID_REPLICATION_FACTOR.
 */
import assert from 'node:assert/strict';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { DeleteTopics } from '../../src/protocol/messages/20-delete-topics.js';
import type { Scenario } from '../runner/types.js';
import { createTopic, errorName, expectError } from './support.js';

export const adminTopics: Scenario = {
  name: 'admin-topics',
  source: 'CreateTopics/DeleteTopics: ReplicationControlManager.java, Topic.java',
  description:
    'create, describe, delete; invalid name, already exists, invalid partitions, invalid replication factor',
  async run(ctx) {
    const topic = ctx.name('admin');
    expectError(await createTopic(ctx, 'create', topic, 3), 'NONE', 'create');
    const describe = () =>
      ctx.exchange(null, Metadata, {
        topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      });
    await ctx.until('the new topic to have leaders', async () => {
      const m = await describe();
      return m.topics[0].errorCode === 0 && m.topics[0].partitions.every((p) => p.leaderId >= 0)
        ? true
        : undefined;
    });
    const meta = await ctx.exchange('describe', Metadata, {
      topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    assert.equal(meta.topics[0].partitions.length, 3);

    expectError(await createTopic(ctx, 'already-exists', topic, 3), 'TOPIC_ALREADY_EXISTS', 'create again');
    const bad: [string, string, number, number, string][] = [
      ['invalid-name-char', 'bad/name', 1, 1, 'INVALID_TOPIC_EXCEPTION'],
      ['invalid-name-dot', '.', 1, 1, 'INVALID_TOPIC_EXCEPTION'],
      ['invalid-name-long', `x${'y'.repeat(249)}`, 1, 1, 'INVALID_TOPIC_EXCEPTION'],
      ['invalid-partitions-0', ctx.name('p0'), 0, 1, 'INVALID_PARTITIONS'],
      ['invalid-partitions-neg', ctx.name('pneg'), -2, 1, 'INVALID_PARTITIONS'],
      ['invalid-rf-0', ctx.name('rf0'), 1, 0, 'INVALID_REPLICATION_FACTOR'],
      ['invalid-rf-2', ctx.name('rf2'), 1, 2, 'INVALID_REPLICATION_FACTOR'],
    ];
    for (const [label, name, partitions, rf, expected] of bad) {
      expectError(await createTopic(ctx, label, name, partitions, rf), expected, label);
    }

    const del = await ctx.exchange('delete', DeleteTopics, {
      topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      topicNames: [topic],
      timeoutMs: 30_000,
    });
    expectError(del.responses[0].errorCode, 'NONE', 'delete');
    const gone = await ctx.until('the deleted topic to be unknown', async () => {
      const m = await describe();
      return m.topics[0].errorCode !== 0 ? m.topics[0].errorCode : undefined;
    });
    assert.equal(errorName(gone), 'UNKNOWN_TOPIC_OR_PARTITION');
    const again = await ctx.exchange('delete-unknown', DeleteTopics, {
      topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      topicNames: [topic],
      timeoutMs: 30_000,
    });
    expectError(again.responses[0].errorCode, 'UNKNOWN_TOPIC_OR_PARTITION', 'delete again');
  },
};
