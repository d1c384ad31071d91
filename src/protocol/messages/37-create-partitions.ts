// CreatePartitions (API key 37): raises a topic's partition count, optionally placing the new
// partitions on given brokers (KIP-195). Partitions can only be added, never removed.
// Versions: v1 answers before throttling; v2 is the first flexible version; v3 may answer
// THROTTLING_QUOTA_EXCEEDED (KIP-599).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const CreatePartitions = api({
  apiKey: 37,
  name: 'CreatePartitions',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      topics: field.array(
        '0+',
        struct('CreatePartitionsTopic', {
          name: field.string('0+'),
          // The new total, not the number to add.
          count: field.int32('0+'),
          // null lets the controller place the new partitions; otherwise one entry per new partition.
          assignments: field.array(
            '0+',
            struct('CreatePartitionsAssignment', {
              brokerIds: field.array('0+', types.int32),
            }),
            { nullableVersions: '0+' },
          ),
        }),
      ),
      timeoutMs: field.int32('0+'),
      validateOnly: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      results: field.array(
        '0+',
        struct('CreatePartitionsTopicResult', {
          name: field.string('0+'),
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
        }),
      ),
    },
  },
});

export type CreatePartitionsRequest = MessageValue<typeof CreatePartitions.request>;
export type CreatePartitionsResponse = MessageValue<typeof CreatePartitions.response>;
