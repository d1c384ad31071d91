// DescribeTopicPartitions (API key 75): Metadata's partition view for admin clients, paged with a
// cursor so that topics with very many partitions fit in bounded responses, and carrying the eligible
// leader replicas of KIP-966. Only v0 exists, flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeTopicPartitions = api({
  apiKey: 75,
  name: 'DescribeTopicPartitions',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      topics: field.array(
        '0+',
        struct('TopicRequest', {
          name: field.string('0+'),
        }),
      ),
      responsePartitionLimit: field.int32('0+', { default: 2000 }),
      // Where to resume: the nextCursor of the previous response; null starts at the beginning.
      cursor: field.struct(
        '0+',
        struct('Cursor', {
          topicName: field.string('0+'),
          partitionIndex: field.int32('0+'),
        }),
        { nullableVersions: '0+', default: null },
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+', { ignorable: true }),
      topics: field.array(
        '0+',
        struct('DescribeTopicPartitionsResponseTopic', {
          errorCode: field.int16('0+'),
          name: field.string('0+', { nullableVersions: '0+' }),
          topicId: field.uuid('0+', { ignorable: true }),
          isInternal: field.bool('0+', { default: false, ignorable: true }),
          partitions: field.array(
            '0+',
            struct('DescribeTopicPartitionsResponsePartition', {
              errorCode: field.int16('0+'),
              partitionIndex: field.int32('0+'),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('0+', { default: -1, ignorable: true }),
              replicaNodes: field.array('0+', types.int32),
              isrNodes: field.array('0+', types.int32),
              // KIP-966: replicas that may become leader although not in the ISR, and the last known set.
              eligibleLeaderReplicas: field.array('0+', types.int32, {
                default: null,
                nullableVersions: '0+',
              }),
              lastKnownElr: field.array('0+', types.int32, { default: null, nullableVersions: '0+' }),
              offlineReplicas: field.array('0+', types.int32, { ignorable: true }),
            }),
          ),
          topicAuthorizedOperations: field.int32('0+', { default: -2147483648 }),
        }),
      ),
      // null when everything asked for fit in this response.
      nextCursor: field.struct(
        '0+',
        struct('Cursor', {
          topicName: field.string('0+'),
          partitionIndex: field.int32('0+'),
        }),
        { nullableVersions: '0+', default: null },
      ),
    },
  },
});

export type DescribeTopicPartitionsRequest = MessageValue<typeof DescribeTopicPartitions.request>;
export type DescribeTopicPartitionsResponse = MessageValue<typeof DescribeTopicPartitions.response>;
