// AlterShareGroupOffsets (API key 91): KIP-932 admin: moves a share group's start offset for some
// partitions (the share-group counterpart of resetting a consumer group's offsets); only allowed while
// the group has no members. Only v0 exists (Kafka 4.1), flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const AlterShareGroupOffsets = api({
  apiKey: 91,
  name: 'AlterShareGroupOffsets',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('AlterShareGroupOffsetsRequestTopic', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('AlterShareGroupOffsetsRequestPartition', {
              partitionIndex: field.int32('0+'),
              startOffset: field.int64('0+'),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
      responses: field.array(
        '0+',
        struct('AlterShareGroupOffsetsResponseTopic', {
          topicName: field.string('0+'),
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('AlterShareGroupOffsetsResponsePartition', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
            }),
          ),
        }),
      ),
    },
  },
});

export type AlterShareGroupOffsetsRequest = MessageValue<typeof AlterShareGroupOffsets.request>;
export type AlterShareGroupOffsetsResponse = MessageValue<typeof AlterShareGroupOffsets.response>;
