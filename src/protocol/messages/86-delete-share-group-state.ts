// DeleteShareGroupState (API key 86): KIP-932's state persister, broker → share coordinator. Drops the
// share state of partitions when a share group is deleted or its offsets for a topic are deleted. Not a
// client API. Only v0 exists (unstable in kafka-clients 3.9.1, stable in 4.1.1), flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DeleteShareGroupState = api({
  apiKey: 86,
  name: 'DeleteShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('DeleteStateData', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partition: field.int32('0+'),
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
      results: field.array(
        '0+',
        struct('DeleteStateResult', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionResult', {
              partition: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
            }),
          ),
        }),
      ),
    },
  },
});

export type DeleteShareGroupStateRequest = MessageValue<typeof DeleteShareGroupState.request>;
export type DeleteShareGroupStateResponse = MessageValue<typeof DeleteShareGroupState.response>;
