// ReadShareGroupStateSummary (API key 87): KIP-932's state persister, broker → share coordinator. The
// light form of ReadShareGroupState: only each partition's start offset and epochs, no in-flight
// batches, which is what DescribeShareGroupOffsets (and lag) needs. Only v0 exists, flexible from the
// start. kafka-clients 3.9.1 carries an unstable v0 without the response's leaderEpoch; 4.1.1's v0,
// declared here, is the stable one (so the oracle checks this version against 4.1.1 only).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const ReadShareGroupStateSummary = api({
  apiKey: 87,
  name: 'ReadShareGroupStateSummary',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      topics: field.array(
        '0+',
        struct('ReadStateSummaryData', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partition: field.int32('0+'),
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
        struct('ReadStateSummaryResult', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionResult', {
              partition: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
              stateEpoch: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
              startOffset: field.int64('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type ReadShareGroupStateSummaryRequest = MessageValue<typeof ReadShareGroupStateSummary.request>;
export type ReadShareGroupStateSummaryResponse = MessageValue<typeof ReadShareGroupStateSummary.response>;
