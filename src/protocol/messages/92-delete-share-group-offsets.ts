// DeleteShareGroupOffsets (API key 92): KIP-932 admin: forgets a share group's state for whole topics
// (the group stops consuming them; a later subscription starts afresh from share.auto.offset.reset).
// Only allowed while the group has no members. Only v0 exists (Kafka 4.1), flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DeleteShareGroupOffsets = api({
  apiKey: 92,
  name: 'DeleteShareGroupOffsets',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('DeleteShareGroupOffsetsRequestTopic', {
          topicName: field.string('0+'),
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
        struct('DeleteShareGroupOffsetsResponseTopic', {
          topicName: field.string('0+'),
          topicId: field.uuid('0+'),
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
        }),
      ),
    },
  },
});

export type DeleteShareGroupOffsetsRequest = MessageValue<typeof DeleteShareGroupOffsets.request>;
export type DeleteShareGroupOffsetsResponse = MessageValue<typeof DeleteShareGroupOffsets.response>;
