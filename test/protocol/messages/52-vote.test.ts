// Golden frames for Vote (API key 52): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { Vote } from '../../../src/protocol/messages/52-vote.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('Vote golden frames', () => {
  it('VoteRequest v2: a pre-vote: could replica 2 win epoch 6? (KIP-996)', () => {
    // Bytes written by kafka-clients 4.1.1's VoteRequestData.
    const bytes = hexLayout(`
      036331                                   clusterId: COMPACT_NULLABLE_STRING "c1"
      00000001                                 voterId: INT32 1
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      00000006                                 topics[0].partitions[0].replicaEpoch: INT32 6
      00000002                                 topics[0].partitions[0].replicaId: INT32 2
      0102030405060708090a0b0c0d0e0f10         topics[0].partitions[0].replicaDirectoryId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      100f0e0d0c0b0a090807060504030201         topics[0].partitions[0].voterDirectoryId: UUID "EA8ODQwLCgkIBwYFBAMCAQ"
      00000005                                 topics[0].partitions[0].lastOffsetEpoch: INT32 5
      00000000000000fa                         topics[0].partitions[0].lastOffset: INT64 250
      01                                       topics[0].partitions[0].preVote: BOOLEAN true
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      00                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clusterId: 'c1',
      voterId: 1,
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              replicaEpoch: 6,
              replicaId: 2,
              replicaDirectoryId: 'AQIDBAUGBwgJCgsMDQ4PEA',
              voterDirectoryId: 'EA8ODQwLCgkIBwYFBAMCAQ',
              lastOffsetEpoch: 5,
              lastOffset: 250n,
              preVote: true,
            },
          ],
        },
      ],
    };
    const codec = codecFor(Vote.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('VoteResponse v1: vote granted, the leader endpoint tagged (KIP-853)', () => {
    // Bytes written by kafka-clients 4.1.1's VoteResponseData.
    const bytes = hexLayout(`
      0000                                     errorCode: INT16 0
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      0000                                     topics[0].partitions[0].errorCode: INT16 0
      ffffffff                                 topics[0].partitions[0].leaderId: INT32 -1
      00000006                                 topics[0].partitions[0].leaderEpoch: INT32 6
      01                                       topics[0].partitions[0].voteGranted: BOOLEAN true
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      01                                       <tags>: UNSIGNED_VARINT 1
      0012                                     <tags>: TAGGED_FIELD
      02                                       nodeEndpoints.<count>: UNSIGNED_VARINT 1
      00000001                                 nodeEndpoints[0].nodeId: INT32 1
      0a6c6f63616c686f7374                     nodeEndpoints[0].host: COMPACT_STRING "localhost"
      2385                                     nodeEndpoints[0].port: UINT16 9093
      00                                       nodeEndpoints[0].<tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 0,
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              leaderId: -1,
              leaderEpoch: 6,
              voteGranted: true,
            },
          ],
        },
      ],
      nodeEndpoints: [
        {
          nodeId: 1,
          host: 'localhost',
          port: 9093,
        },
      ],
    };
    const codec = codecFor(Vote.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
