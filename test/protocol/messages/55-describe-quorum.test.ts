// Golden frames for DescribeQuorum (API key 55): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeQuorum } from '../../../src/protocol/messages/55-describe-quorum.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeQuorum golden frames', () => {
  it('DescribeQuorumRequest v2: the metadata partition', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeQuorumRequestData.
    const bytes = hexLayout(`
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      00                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeQuorum.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeQuorumResponse v2: a one-voter quorum with its endpoint (KIP-853)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeQuorumResponseData.
    const bytes = hexLayout(`
      0000                                     errorCode: INT16 0
      00                                       errorMessage: COMPACT_NULLABLE_STRING null
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      0000                                     topics[0].partitions[0].errorCode: INT16 0
      00                                       topics[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00000001                                 topics[0].partitions[0].leaderId: INT32 1
      00000003                                 topics[0].partitions[0].leaderEpoch: INT32 3
      00000000000000fa                         topics[0].partitions[0].highWatermark: INT64 250
      02                                       topics[0].partitions[0].currentVoters.<count>: UNSIGNED_VARINT 1
      00000001                                 topics[0].partitions[0].currentVoters[0].replicaId: INT32 1
      0102030405060708090a0b0c0d0e0f10         topics[0].partitions[0].currentVoters[0].replicaDirectoryId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      00000000000000fb                         topics[0].partitions[0].currentVoters[0].logEndOffset: INT64 251
      ffffffffffffffff                         topics[0].partitions[0].currentVoters[0].lastFetchTimestamp: INT64 -1
      ffffffffffffffff                         topics[0].partitions[0].currentVoters[0].lastCaughtUpTimestamp: INT64 -1
      00                                       topics[0].partitions[0].currentVoters[0].<tags>: UNSIGNED_VARINT 0
      01                                       topics[0].partitions[0].observers.<count>: UNSIGNED_VARINT 0
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      02                                       nodes.<count>: UNSIGNED_VARINT 1
      00000001                                 nodes[0].nodeId: INT32 1
      02                                       nodes[0].listeners.<count>: UNSIGNED_VARINT 1
      0b434f4e54524f4c4c4552                   nodes[0].listeners[0].name: COMPACT_STRING "CONTROLLER"
      0a6c6f63616c686f7374                     nodes[0].listeners[0].host: COMPACT_STRING "localhost"
      2385                                     nodes[0].listeners[0].port: UINT16 9093
      00                                       nodes[0].listeners[0].<tags>: UNSIGNED_VARINT 0
      00                                       nodes[0].<tags>: UNSIGNED_VARINT 0
      00                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 0,
      errorMessage: null,
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              leaderId: 1,
              leaderEpoch: 3,
              highWatermark: 250n,
              currentVoters: [
                {
                  replicaId: 1,
                  replicaDirectoryId: 'AQIDBAUGBwgJCgsMDQ4PEA',
                  logEndOffset: 251n,
                  lastFetchTimestamp: -1n,
                  lastCaughtUpTimestamp: -1n,
                },
              ],
              observers: [],
            },
          ],
        },
      ],
      nodes: [
        {
          nodeId: 1,
          listeners: [
            {
              name: 'CONTROLLER',
              host: 'localhost',
              port: 9093,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeQuorum.response, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
