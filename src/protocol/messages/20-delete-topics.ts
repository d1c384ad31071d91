// DeleteTopics (API key 20): asks the controller to delete topics, by name or (v6+) by topic id.
// Versions: v0-3 are the same request (responses gain throttleTimeMs in v1, answer before throttling
// in v2, may say TOPIC_DELETION_DISABLED from v3); v4 is the first flexible version; v5 adds a
// per-topic errorMessage and THROTTLING_QUOTA_EXCEEDED (KIP-599); v6 replaces the list of names with
// topic states carrying a name or a topic id (KIP-516). Kafka marks v0 deprecated.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DeleteTopics = api({
  apiKey: 20,
  name: 'DeleteTopics',
  request: {
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: {
      // v6+: each entry names a topic or gives its id (KIP-516 topic ids).
      topics: field.array(
        '6+',
        struct('DeleteTopicState', {
          name: field.string('6+', { nullableVersions: '6+', default: null }),
          topicId: field.uuid('6+'),
        }),
      ),
      topicNames: field.array('0-5', types.string, { ignorable: true }),
      timeoutMs: field.int32('0+'),
    },
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      responses: field.array(
        '0+',
        struct('DeletableTopicResult', {
          name: field.string('0+', { nullableVersions: '6+' }),
          topicId: field.uuid('6+', { ignorable: true }),
          errorCode: field.int16('0+'),
          errorMessage: field.string('5+', { nullableVersions: '5+', ignorable: true, default: null }),
        }),
      ),
    },
  },
});

export type DeleteTopicsRequest = MessageValue<typeof DeleteTopics.request>;
export type DeleteTopicsResponse = MessageValue<typeof DeleteTopics.response>;
