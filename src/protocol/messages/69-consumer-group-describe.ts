// ConsumerGroupDescribe (API key 69): DescribeGroups for KIP-848 consumer groups: epochs, the
// server-side assignor, and each member's subscription, current and target assignment. Only v0 exists,
// flexible from the start.
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

export const ConsumerGroupDescribe = api({
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupIds: field.array('0+', types.string),
      includeAuthorizedOperations: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0',
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
              instanceId: field.string('0+', { nullableVersions: '0+', default: null }),
              rackId: field.string('0+', { nullableVersions: '0+', default: null }),
              memberEpoch: field.int32('0+'),
              clientId: field.string('0+'),
              clientHost: field.string('0+'),
              subscribedTopicNames: field.array('0+', types.string),
              subscribedTopicRegex: field.string('0+', { nullableVersions: '0+', default: null }),
              // What the member owns now, and what the coordinator is moving it towards.
              assignment: field.struct('0+', Assignment),
              targetAssignment: field.struct('0+', Assignment),
            }),
          ),
          // INT32_MIN means "not requested" (KIP-430).
          authorizedOperations: field.int32('0+', { default: -2147483648 }),
        }),
      ),
    },
  },
});

export type ConsumerGroupDescribeRequest = MessageValue<typeof ConsumerGroupDescribe.request>;
export type ConsumerGroupDescribeResponse = MessageValue<typeof ConsumerGroupDescribe.response>;
