// Golden frames for BeginQuorumEpoch (API key 53): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { BeginQuorumEpoch } from '../../../src/protocol/messages/53-begin-quorum-epoch.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('BeginQuorumEpoch golden frames', () => {
  it('BeginQuorumEpochRequest v0: leader 1 of epoch 6 (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's BeginQuorumEpochRequestData.
    const bytes = hexLayout(`
      00026331                                   clusterId: NULLABLE_STRING "c1"
      00000001                                   topics.<count>: INT32 1
      00125f5f636c75737465725f6d657461 64617461  topics[0].topicName: STRING "__cluster_metadata"
      00000001                                   topics[0].partitions.<count>: INT32 1
      00000000                                   topics[0].partitions[0].partitionIndex: INT32 0
      00000001                                   topics[0].partitions[0].leaderId: INT32 1
      00000006                                   topics[0].partitions[0].leaderEpoch: INT32 6
    `);
    const value = {
      clusterId: 'c1',
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 6,
              voterDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
            },
          ],
        },
      ],
      voterId: -1,
      leaderEndpoints: [],
    };
    const codec = codecFor(BeginQuorumEpoch.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('BeginQuorumEpochRequest v1: with the voter key and the leader endpoints (KIP-853)', () => {
    // Bytes written by kafka-clients 4.1.1's BeginQuorumEpochRequestData.
    const bytes = hexLayout(`
      036331                                   clusterId: COMPACT_NULLABLE_STRING "c1"
      00000002                                 voterId: INT32 2
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      0102030405060708090a0b0c0d0e0f10         topics[0].partitions[0].voterDirectoryId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      00000001                                 topics[0].partitions[0].leaderId: INT32 1
      00000006                                 topics[0].partitions[0].leaderEpoch: INT32 6
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      02                                       leaderEndpoints.<count>: UNSIGNED_VARINT 1
      0b434f4e54524f4c4c4552                   leaderEndpoints[0].name: COMPACT_STRING "CONTROLLER"
      0a6c6f63616c686f7374                     leaderEndpoints[0].host: COMPACT_STRING "localhost"
      2385                                     leaderEndpoints[0].port: UINT16 9093
      00                                       leaderEndpoints[0].<tags>: UNSIGNED_VARINT 0
      00                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clusterId: 'c1',
      voterId: 2,
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              voterDirectoryId: 'AQIDBAUGBwgJCgsMDQ4PEA',
              leaderId: 1,
              leaderEpoch: 6,
            },
          ],
        },
      ],
      leaderEndpoints: [
        {
          name: 'CONTROLLER',
          host: 'localhost',
          port: 9093,
        },
      ],
    };
    const codec = codecFor(BeginQuorumEpoch.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('BeginQuorumEpochResponse v1: accepted', () => {
    // Bytes written by kafka-clients 4.1.1's BeginQuorumEpochResponseData.
    const bytes = hexLayout(`
      0000                                     errorCode: INT16 0
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      0000                                     topics[0].partitions[0].errorCode: INT16 0
      00000001                                 topics[0].partitions[0].leaderId: INT32 1
      00000006                                 topics[0].partitions[0].leaderEpoch: INT32 6
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      00                                       <tags>: UNSIGNED_VARINT 0
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
              leaderId: 1,
              leaderEpoch: 6,
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
    const codec = codecFor(BeginQuorumEpoch.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
