// Golden frames for ConsumerGroupDescribe (API key 69): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ConsumerGroupDescribe } from '../../../src/protocol/messages/69-consumer-group-describe.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ConsumerGroupDescribe golden frames', () => {
  it('ConsumerGroupDescribeRequest v1: one group, with authorized operations', () => {
    // Bytes written by kafka-clients 4.1.1's ConsumerGroupDescribeRequestData.
    const bytes = hexLayout(`
      02                      groupIds.<count>: UNSIGNED_VARINT 1
      0267                    groupIds[0]: COMPACT_STRING "g"
      01                      includeAuthorizedOperations: BOOLEAN true
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupIds: ['g'],
      includeAuthorizedOperations: true,
    };
    const codec = codecFor(ConsumerGroupDescribe.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ConsumerGroupDescribeResponse v1: a stable group, one consumer-protocol member (memberType 1, KIP-1099)', () => {
    // Bytes written by kafka-clients 4.1.1's ConsumerGroupDescribeResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      02                                groups.<count>: UNSIGNED_VARINT 1
      0000                              groups[0].errorCode: INT16 0
      00                                groups[0].errorMessage: COMPACT_NULLABLE_STRING null
      0267                              groups[0].groupId: COMPACT_STRING "g"
      07537461626c65                    groups[0].groupState: COMPACT_STRING "Stable"
      00000002                          groups[0].groupEpoch: INT32 2
      00000002                          groups[0].assignmentEpoch: INT32 2
      08756e69666f726d                  groups[0].assignorName: COMPACT_STRING "uniform"
      02                                groups[0].members.<count>: UNSIGNED_VARINT 1
      046d2d31                          groups[0].members[0].memberId: COMPACT_STRING "m-1"
      00                                groups[0].members[0].instanceId: COMPACT_NULLABLE_STRING null
      00                                groups[0].members[0].rackId: COMPACT_NULLABLE_STRING null
      00000002                          groups[0].members[0].memberEpoch: INT32 2
      0263                              groups[0].members[0].clientId: COMPACT_STRING "c"
      0b2f3132372e302e302e31            groups[0].members[0].clientHost: COMPACT_STRING "/127.0.0.1"
      02                                groups[0].members[0].subscribedTopicNames.<count>: UNSIGNED_VARINT 1
      076f7264657273                    groups[0].members[0].subscribedTopicNames[0]: COMPACT_STRING "orders"
      00                                groups[0].members[0].subscribedTopicRegex: COMPACT_NULLABLE_STRING null
      02                                groups[0].members[0].assignment.topicPartitions.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  groups[0].members[0].assignment.topicPartitions[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      076f7264657273                    groups[0].members[0].assignment.topicPartitions[0].topicName: COMPACT_STRING "orders"
      03                                groups[0].members[0].assignment.topicPartitions[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                          groups[0].members[0].assignment.topicPartitions[0].partitions[0]: INT32 0
      00000001                          groups[0].members[0].assignment.topicPartitions[0].partitions[1]: INT32 1
      00                                groups[0].members[0].assignment.topicPartitions[0].<tags>: UNSIGNED_VARINT 0
      00                                groups[0].members[0].assignment.<tags>: UNSIGNED_VARINT 0
      02                                groups[0].members[0].targetAssignment.topicPartitions.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  groups[0].members[0].targetAssignment.topicPartitions[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      076f7264657273                    groups[0].members[0].targetAssignment.topicPartitions[0].topicName: COMPACT_STRING "orders"
      03                                groups[0].members[0].targetAssignment.topicPartitions[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                          groups[0].members[0].targetAssignment.topicPartitions[0].partitions[0]: INT32 0
      00000001                          groups[0].members[0].targetAssignment.topicPartitions[0].partitions[1]: INT32 1
      00                                groups[0].members[0].targetAssignment.topicPartitions[0].<tags>: UNSIGNED_VARINT 0
      00                                groups[0].members[0].targetAssignment.<tags>: UNSIGNED_VARINT 0
      01                                groups[0].members[0].memberType: INT8 1
      00                                groups[0].members[0].<tags>: UNSIGNED_VARINT 0
      00000008                          groups[0].authorizedOperations: INT32 8
      00                                groups[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          errorMessage: null,
          groupId: 'g',
          groupState: 'Stable',
          groupEpoch: 2,
          assignmentEpoch: 2,
          assignorName: 'uniform',
          members: [
            {
              memberId: 'm-1',
              instanceId: null,
              rackId: null,
              memberEpoch: 2,
              clientId: 'c',
              clientHost: '/127.0.0.1',
              subscribedTopicNames: ['orders'],
              subscribedTopicRegex: null,
              assignment: {
                topicPartitions: [
                  {
                    topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
                    topicName: 'orders',
                    partitions: [0, 1],
                  },
                ],
              },
              targetAssignment: {
                topicPartitions: [
                  {
                    topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
                    topicName: 'orders',
                    partitions: [0, 1],
                  },
                ],
              },
              memberType: 1,
            },
          ],
          authorizedOperations: 8,
        },
      ],
    };
    const codec = codecFor(ConsumerGroupDescribe.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
