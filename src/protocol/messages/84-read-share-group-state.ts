// ReadShareGroupState (API key 84): KIP-932's state persister, broker → share coordinator. A partition
// leader that becomes responsible for a share partition reads back its durable share state: start
// offset, state epoch, and the in-flight offset ranges with their delivery state (acquired, acknowledged,
// archived …) and delivery counts, so records are neither lost nor delivered more often than allowed.
// Not a client API. Only v0 exists (unstable in kafka-clients 3.9.1, stable in 4.1.1), flexible from the
// start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const ReadShareGroupState = api({
  apiKey: 84,
  name: 'ReadShareGroupState',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('ReadStateData', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partition: field.int32('0+'),
              // The reader's leader epoch: a stale leader is fenced.
              leaderEpoch: field.int32('0+'),
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
        struct('ReadStateResult', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionResult', {
              partition: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
              stateEpoch: field.int32('0+'),
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
});

export type ReadShareGroupStateRequest = MessageValue<typeof ReadShareGroupState.request>;
export type ReadShareGroupStateResponse = MessageValue<typeof ReadShareGroupState.response>;
