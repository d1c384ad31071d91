// DescribeShareGroupOffsets (API key 90): KIP-932's admin view of share groups: per topic partition
// the share-partition start offset (where delivery begins for the group) and its leader epoch;
// topics null asks for every topic the group has state for. The broker answers from the share
// coordinator (ReadShareGroupStateSummary). Only v0 exists (Kafka 4.1), flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeShareGroupOffsets = api({
  apiKey: 90,
  name: 'DescribeShareGroupOffsets',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groups: field.array(
        '0+',
        struct('DescribeShareGroupOffsetsRequestGroup', {
          groupId: field.string('0+'),
          topics: field.array(
            '0+',
            struct('DescribeShareGroupOffsetsRequestTopic', {
              topicName: field.string('0+'),
              partitions: field.array('0+', types.int32),
            }),
            { nullableVersions: '0+' },
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
      groups: field.array(
        '0+',
        struct('DescribeShareGroupOffsetsResponseGroup', {
          groupId: field.string('0+'),
          topics: field.array(
            '0+',
            struct('DescribeShareGroupOffsetsResponseTopic', {
              topicName: field.string('0+'),
              topicId: field.uuid('0+'),
              partitions: field.array(
                '0+',
                struct('DescribeShareGroupOffsetsResponsePartition', {
                  partitionIndex: field.int32('0+'),
                  startOffset: field.int64('0+'),
                  leaderEpoch: field.int32('0+'),
                  errorCode: field.int16('0+'),
                  errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
                }),
              ),
            }),
          ),
          // A group-level error (coordinator moved, group not found …) before any topic.
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
        }),
      ),
    },
  },
});

export type DescribeShareGroupOffsetsRequest = MessageValue<typeof DescribeShareGroupOffsets.request>;
export type DescribeShareGroupOffsetsResponse = MessageValue<typeof DescribeShareGroupOffsets.response>;
