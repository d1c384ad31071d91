// Golden frames for DescribeTopicPartitions (API key 75): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeTopicPartitions } from '../../../src/protocol/messages/75-describe-topic-partitions.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeTopicPartitions golden frames', () => {
  it('DescribeTopicPartitionsRequest v0: one topic, resuming at partition 2', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeTopicPartitionsRequestData.
    const bytes = hexLayout(`
      02                      topics.<count>: UNSIGNED_VARINT 1
      076f7264657273          topics[0].name: COMPACT_STRING "orders"
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00000002                responsePartitionLimit: INT32 2
      01                      cursor.<present>: INT8 1
      076f7264657273          cursor.topicName: COMPACT_STRING "orders"
      00000002                cursor.partitionIndex: INT32 2
      00                      cursor.<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      topics: [
        {
          name: 'orders',
        },
      ],
      responsePartitionLimit: 2,
      cursor: {
        topicName: 'orders',
        partitionIndex: 2,
      },
    };
    const codec = codecFor(DescribeTopicPartitions.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeTopicPartitionsResponse v0: one partition with an eligible leader replica (KIP-966), no next cursor', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeTopicPartitionsResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      02                                topics.<count>: UNSIGNED_VARINT 1
      0000                              topics[0].errorCode: INT16 0
      076f7264657273                    topics[0].name: COMPACT_NULLABLE_STRING "orders"
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      00                                topics[0].isInternal: BOOLEAN false
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      0000                              topics[0].partitions[0].errorCode: INT16 0
      00000002                          topics[0].partitions[0].partitionIndex: INT32 2
      00000001                          topics[0].partitions[0].leaderId: INT32 1
      00000000                          topics[0].partitions[0].leaderEpoch: INT32 0
      03                                topics[0].partitions[0].replicaNodes.<count>: UNSIGNED_VARINT 2
      00000001                          topics[0].partitions[0].replicaNodes[0]: INT32 1
      00000002                          topics[0].partitions[0].replicaNodes[1]: INT32 2
      02                                topics[0].partitions[0].isrNodes.<count>: UNSIGNED_VARINT 1
      00000001                          topics[0].partitions[0].isrNodes[0]: INT32 1
      02                                topics[0].partitions[0].eligibleLeaderReplicas.<count>: UNSIGNED_VARINT 1
      00000002                          topics[0].partitions[0].eligibleLeaderReplicas[0]: INT32 2
      00                                topics[0].partitions[0].lastKnownElr: UNSIGNED_VARINT null
      01                                topics[0].partitions[0].offlineReplicas.<count>: UNSIGNED_VARINT 0
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      80000000                          topics[0].topicAuthorizedOperations: INT32 -2147483648
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      ff                                nextCursor: INT8 null
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 2,
              leaderId: 1,
              leaderEpoch: 0,
              replicaNodes: [1, 2],
              isrNodes: [1],
              eligibleLeaderReplicas: [2],
              lastKnownElr: null,
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      nextCursor: null,
    };
    const codec = codecFor(DescribeTopicPartitions.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
