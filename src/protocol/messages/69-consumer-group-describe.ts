// ConsumerGroupDescribe (API key 69): DescribeGroups for KIP-848 consumer groups: epochs, the
// server-side assignor, and each member's subscription, current and target assignment. Flexible from
// v0. v1 (Kafka 4.0, KIP-1099; declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot)
// adds each member's memberType, because a consumer group may hold members still on the classic
// protocol while it is being upgraded (KIP-848's online migration); the request's v1 has v0's bytes.
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
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      groupIds: field.array('0+', types.string),
      includeAuthorizedOperations: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0-1',
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
              // -1 unknown, 0 classic protocol, 1 consumer protocol.
              memberType: field.int8('1+', { default: -1, ignorable: true }),
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
