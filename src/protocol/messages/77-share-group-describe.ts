// ShareGroupDescribe (API key 77): DescribeGroups for KIP-932 share groups: the group's epochs, its
// (server-side) assignor, and each member's subscription and assignment. v1 (Kafka 4.1) is the first
// version Kafka supports; the early-access v0 (unstable in kafka-clients 3.9.1) is gone from 4.1 and not
// declared. Flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

// The response's commonStructs.
const TopicPartitions = struct('TopicPartitions', {
  topicId: field.uuid('0+'),
  topicName: field.string('0+'),
  partitions: field.array('0+', types.int32),
});

const Assignment = struct('Assignment', {
  topicPartitions: field.array('0+', TopicPartitions),
});

export const ShareGroupDescribe = api({
  apiKey: 77,
  name: 'ShareGroupDescribe',
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      groupIds: field.array('0+', types.string),
      includeAuthorizedOperations: field.bool('0+'),
    },
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      groups: field.array(
        '0+',
        struct('DescribedGroup', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
          groupId: field.string('0+'),
          groupState: field.string('0+'),
          groupEpoch: field.int32('0+'),
          assignmentEpoch: field.int32('0+'),
          assignorName: field.string('0+'),
          members: field.array(
            '0+',
            struct('Member', {
              memberId: field.string('0+'),
              rackId: field.string('0+', { nullableVersions: '0+', default: null }),
              memberEpoch: field.int32('0+'),
              clientId: field.string('0+'),
              clientHost: field.string('0+'),
              subscribedTopicNames: field.array('0+', types.string),
              assignment: field.struct('0+', Assignment),
            }),
          ),
          // Only filled in when includeAuthorizedOperations was set; INT32_MIN means "not asked".
          authorizedOperations: field.int32('0+', { default: -2147483648 }),
        }),
      ),
    },
  },
});

export type ShareGroupDescribeRequest = MessageValue<typeof ShareGroupDescribe.request>;
export type ShareGroupDescribeResponse = MessageValue<typeof ShareGroupDescribe.response>;
