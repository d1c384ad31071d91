// Golden frames for ShareGroupDescribe (API key 77): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ShareGroupDescribe } from '../../../src/protocol/messages/77-share-group-describe.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ShareGroupDescribe golden frames', () => {
  it('ShareGroupDescribeRequest v1: one group, without authorized operations', () => {
    // Bytes written by kafka-clients 4.1.1's ShareGroupDescribeRequestData.
    const bytes = hexLayout(`
      02                      groupIds.<count>: UNSIGNED_VARINT 1
      037367                  groupIds[0]: COMPACT_STRING "sg"
      00                      includeAuthorizedOperations: BOOLEAN false
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupIds: ['sg'],
      includeAuthorizedOperations: false,
    };
    const codec = codecFor(ShareGroupDescribe.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ShareGroupDescribeResponse v1: a stable group with one member', () => {
    // Bytes written by kafka-clients 4.1.1's ShareGroupDescribeResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      02                                groups.<count>: UNSIGNED_VARINT 1
      0000                              groups[0].errorCode: INT16 0
      00                                groups[0].errorMessage: COMPACT_NULLABLE_STRING null
      037367                            groups[0].groupId: COMPACT_STRING "sg"
      07537461626c65                    groups[0].groupState: COMPACT_STRING "Stable"
      00000003                          groups[0].groupEpoch: INT32 3
      00000003                          groups[0].assignmentEpoch: INT32 3
      0773696d706c65                    groups[0].assignorName: COMPACT_STRING "simple"
      02                                groups[0].members.<count>: UNSIGNED_VARINT 1
      046d2d31                          groups[0].members[0].memberId: COMPACT_STRING "m-1"
      00                                groups[0].members[0].rackId: COMPACT_NULLABLE_STRING null
      00000003                          groups[0].members[0].memberEpoch: INT32 3
      0263                              groups[0].members[0].clientId: COMPACT_STRING "c"
      0b2f3132372e302e302e31            groups[0].members[0].clientHost: COMPACT_STRING "/127.0.0.1"
      02                                groups[0].members[0].subscribedTopicNames.<count>: UNSIGNED_VARINT 1
      076f7264657273                    groups[0].members[0].subscribedTopicNames[0]: COMPACT_STRING "orders"
      02                                groups[0].members[0].assignment.topicPartitions.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  groups[0].members[0].assignment.topicPartitions[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      076f7264657273                    groups[0].members[0].assignment.topicPartitions[0].topicName: COMPACT_STRING "orders"
      02                                groups[0].members[0].assignment.topicPartitions[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          groups[0].members[0].assignment.topicPartitions[0].partitions[0]: INT32 0
      00                                groups[0].members[0].assignment.topicPartitions[0].<tags>: UNSIGNED_VARINT 0
      00                                groups[0].members[0].assignment.<tags>: UNSIGNED_VARINT 0
      00                                groups[0].members[0].<tags>: UNSIGNED_VARINT 0
      80000000                          groups[0].authorizedOperations: INT32 -2147483648
      00                                groups[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          errorMessage: null,
          groupId: 'sg',
          groupState: 'Stable',
          groupEpoch: 3,
          assignmentEpoch: 3,
          assignorName: 'simple',
          members: [
            {
              memberId: 'm-1',
              rackId: null,
              memberEpoch: 3,
              clientId: 'c',
              clientHost: '/127.0.0.1',
              subscribedTopicNames: ['orders'],
              assignment: {
                topicPartitions: [
                  {
                    topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
                    topicName: 'orders',
                    partitions: [0],
                  },
                ],
              },
            },
          ],
          authorizedOperations: -2147483648,
        },
      ],
    };
    const codec = codecFor(ShareGroupDescribe.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
