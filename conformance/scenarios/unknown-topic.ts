/**
 * Unknown topics with auto.create.topics.enable=false (both started targets run so; an external
 * broker must too). Metadata answers UNKNOWN_TOPIC_OR_PARTITION whether or not the request allows
 * auto-creation (KafkaApis.getTopicMetadata), INVALID_TOPIC_EXCEPTION for a name that cannot exist;
 * Produce never creates a topic (UNKNOWN_TOPIC_OR_PARTITION per partition); nor does Fetch.
 *
 * Why a broker setting and not just allowAutoTopicCreation=false in the request: only with the
 * setting off does the answer to a request that *allows* creation show the broker's own rule.
 */
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import type { Scenario } from '../runner/types.js';
import { batch, expectError, fetchRaw, produceRaw } from './support.js';

export const unknownTopic: Scenario = {
  name: 'unknown-topic',
  source:
    'KafkaApis.getTopicMetadata / handleProduceRequest / handleFetchRequest; auto.create.topics.enable=false',
  description: 'Metadata (auto-create allowed or not), Produce and Fetch for a topic that does not exist',
  needsAutoCreateOff: true,
  async run(ctx) {
    const topic = ctx.name('no-such-topic');
    for (const allow of [true, false]) {
      const res = await ctx.exchange(`metadata-allow-auto-create-${allow}`, Metadata, {
        topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
        allowAutoTopicCreation: allow,
        includeTopicAuthorizedOperations: false,
      });
      expectError(res.topics[0].errorCode, 'UNKNOWN_TOPIC_OR_PARTITION', `Metadata allow=${allow}`);
    }
    const invalid = await ctx.exchange('metadata-invalid-name', Metadata, {
      topics: [{ name: 'no such topic!', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    });
    expectError(invalid.topics[0].errorCode, 'INVALID_TOPIC_EXCEPTION', 'Metadata, invalid name');
    const p = await produceRaw(ctx, 'produce', topic, 0, batch(['x']));
    expectError(p.errorCode, 'UNKNOWN_TOPIC_OR_PARTITION', 'Produce');
    const f = await fetchRaw(ctx, 'fetch', topic, 0, 0n);
    expectError(f.errorCode, 'UNKNOWN_TOPIC_OR_PARTITION', 'Fetch');
  },
};
