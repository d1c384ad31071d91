// WriteShareGroupState (API key 85): KIP-932's state persister, broker → share coordinator. The share
// partition's leader writes the changes to its share state (start offset, in-flight ranges with their
// delivery state and count) as records are acquired and acknowledged; the share coordinator keeps them
// in the __share_group_state topic. Not a client API. Only v0 exists (unstable in kafka-clients 3.9.1,
// stable in 4.1.1), flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const WriteShareGroupState = api({
  apiKey: 85,
  name: 'WriteShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('WriteStateData', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partition: field.int32('0+'),
              stateEpoch: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
              startOffset: field.int64('0+'),
              stateBatches: field.array(
                '0+',
                struct('StateBatch', {
                  firstOffset: field.int64('0+'),
                  lastOffset: field.int64('0+'),
                  deliveryState: field.int8('0+'),
                  deliveryCount: field.int16('0+'),
                }),
              ),
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
        struct('WriteStateResult', {
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

export type WriteShareGroupStateRequest = MessageValue<typeof WriteShareGroupState.request>;
export type WriteShareGroupStateResponse = MessageValue<typeof WriteShareGroupState.response>;
