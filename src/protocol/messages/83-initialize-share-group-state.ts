// InitializeShareGroupState (API key 83): KIP-932's share-group state persister, broker → share
// coordinator. When a share group starts consuming a partition (or its start offset is altered), the
// group coordinator has the share coordinator create the partition's share state: a state epoch and
// the offset from which records are delivered. Not a client API. Only v0 exists (marked unstable in
// kafka-clients 3.9.1, stable in 4.1.1), flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const InitializeShareGroupState = api({
  apiKey: 83,
  name: 'InitializeShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('InitializeStateData', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partition: field.int32('0+'),
              stateEpoch: field.int32('0+'),
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
      results: field.array(
        '0+',
        struct('InitializeStateResult', {
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

export type InitializeShareGroupStateRequest = MessageValue<typeof InitializeShareGroupState.request>;
export type InitializeShareGroupStateResponse = MessageValue<typeof InitializeShareGroupState.response>;
