// Golden frames for ShareGroupHeartbeat (API key 76): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ShareGroupHeartbeat } from '../../../src/protocol/messages/76-share-group-heartbeat.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ShareGroupHeartbeat golden frames', () => {
  it('ShareGroupHeartbeatRequest v1: a member joins (epoch 0) subscribed to one topic', () => {
    // Bytes written by kafka-clients 4.1.1's ShareGroupHeartbeatRequestData.
    const bytes = hexLayout(`
      037367                  groupId: COMPACT_STRING "sg"
      046d2d31                memberId: COMPACT_STRING "m-1"
      00000000                memberEpoch: INT32 0
      00                      rackId: COMPACT_NULLABLE_STRING null
      02                      subscribedTopicNames.<count>: UNSIGNED_VARINT 1
      076f7264657273          subscribedTopicNames[0]: COMPACT_STRING "orders"
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'sg',
      memberId: 'm-1',
      memberEpoch: 0,
      rackId: null,
      subscribedTopicNames: ['orders'],
    };
    const codec = codecFor(ShareGroupHeartbeat.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ShareGroupHeartbeatResponse v1: epoch 1 and two partitions of the topic', () => {
    // Bytes written by kafka-clients 4.1.1's ShareGroupHeartbeatResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      00                                errorMessage: COMPACT_NULLABLE_STRING null
      046d2d31                          memberId: COMPACT_NULLABLE_STRING "m-1"
      00000001                          memberEpoch: INT32 1
      00001388                          heartbeatIntervalMs: INT32 5000
      01                                assignment.<present>: INT8 1
      02                                assignment.topicPartitions.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  assignment.topicPartitions[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      03                                assignment.topicPartitions[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                          assignment.topicPartitions[0].partitions[0]: INT32 0
      00000001                          assignment.topicPartitions[0].partitions[1]: INT32 1
      00                                assignment.topicPartitions[0].<tags>: UNSIGNED_VARINT 0
      00                                assignment.<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'm-1',
      memberEpoch: 1,
      heartbeatIntervalMs: 5000,
      assignment: {
        topicPartitions: [
          {
            topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
            partitions: [0, 1],
          },
        ],
      },
    };
    const codec = codecFor(ShareGroupHeartbeat.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
