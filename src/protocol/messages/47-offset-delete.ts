// OffsetDelete (API key 47): deletes a consumer group's committed offsets for some partitions, which
// the group must not be consuming (KIP-496; kafka-consumer-groups.sh --delete-offsets). Never
// flexible.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const OffsetDelete = api({
  apiKey: 47,
  name: 'OffsetDelete',
  request: {
    validVersions: '0',
    flexibleVersions: 'none',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('OffsetDeleteRequestTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('OffsetDeleteRequestPartition', {
              partitionIndex: field.int32('0+'),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: 'none',
    fields: {
      errorCode: field.int16('0+'),
      throttleTimeMs: field.int32('0+', { ignorable: true }),
      topics: field.array(
        '0+',
        struct('OffsetDeleteResponseTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('OffsetDeleteResponsePartition', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type OffsetDeleteRequest = MessageValue<typeof OffsetDelete.request>;
export type OffsetDeleteResponse = MessageValue<typeof OffsetDelete.response>;
