// CreateTopics (API key 19): asks the controller to create topics, with a partition count and
// replication factor or an explicit replica assignment, plus per-topic config overrides.
// Versions: v1 adds validateOnly (a dry run); v2 adds throttleTimeMs to the response and v3 answers
// before throttling; v4 lets numPartitions/replicationFactor be -1 for the broker defaults (KIP-464);
// v5 is the first flexible version and returns the created topic's configs (KIP-525); v6 may answer
// THROTTLING_QUOTA_EXCEEDED (KIP-599); v7 returns the new topic's id. Kafka marks v0-1 deprecated.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const CreateTopics = api({
  apiKey: 19,
  name: 'CreateTopics',
  request: {
    validVersions: '0-7',
    flexibleVersions: '5+',
    fields: {
      topics: field.array(
        '0+',
        struct('CreatableTopic', {
          name: field.string('0+'),
          // -1 (v4+) means "the broker's default"; also -1 when assignments are given.
          numPartitions: field.int32('0+'),
          replicationFactor: field.int16('0+'),
          assignments: field.array(
            '0+',
            struct('CreatableReplicaAssignment', {
              partitionIndex: field.int32('0+'),
              brokerIds: field.array('0+', types.int32),
            }),
          ),
          configs: field.array(
            '0+',
            struct('CreatableTopicConfig', {
              name: field.string('0+'),
              value: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
      timeoutMs: field.int32('0+', { default: 60000 }),
      validateOnly: field.bool('1+', { default: false, ignorable: false }),
    },
  },
  response: {
    validVersions: '0-7',
    flexibleVersions: '5+',
    fields: {
      throttleTimeMs: field.int32('2+', { ignorable: true }),
      topics: field.array(
        '0+',
        struct('CreatableTopicResult', {
          name: field.string('0+'),
          topicId: field.uuid('7+', { ignorable: true }),
          errorCode: field.int16('0+'),
          // Kafka's JSON says nullable from v0 although the field only exists from v1; carried as is.
          errorMessage: field.string('1+', { nullableVersions: '0+', ignorable: true }),
          // Tagged: set when the broker could not describe the configs it would have returned.
          topicConfigErrorCode: field.int16('5+', { tag: 0, taggedVersions: '5+', ignorable: true }),
          numPartitions: field.int32('5+', { default: -1, ignorable: true }),
          replicationFactor: field.int16('5+', { default: -1, ignorable: true }),
          configs: field.array(
            '5+',
            struct('CreatableTopicConfigs', {
              name: field.string('5+'),
              value: field.string('5+', { nullableVersions: '5+' }),
              readOnly: field.bool('5+'),
              configSource: field.int8('5+', { default: -1, ignorable: true }),
              isSensitive: field.bool('5+'),
            }),
            { nullableVersions: '5+', ignorable: true },
          ),
        }),
      ),
    },
  },
});

export type CreateTopicsRequest = MessageValue<typeof CreateTopics.request>;
export type CreateTopicsResponse = MessageValue<typeof CreateTopics.response>;
