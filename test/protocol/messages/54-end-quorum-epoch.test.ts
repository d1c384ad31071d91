// Golden frames for EndQuorumEpoch (API key 54): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { EndQuorumEpoch } from '../../../src/protocol/messages/54-end-quorum-epoch.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('EndQuorumEpoch golden frames', () => {
  it('EndQuorumEpochRequest v0: resigning, replicas 2 and 3 preferred (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's EndQuorumEpochRequestData.
    const bytes = hexLayout(`
      ffff                                       clusterId: NULLABLE_STRING null
      00000001                                   topics.<count>: INT32 1
      00125f5f636c75737465725f6d657461 64617461  topics[0].topicName: STRING "__cluster_metadata"
      00000001                                   topics[0].partitions.<count>: INT32 1
      00000000                                   topics[0].partitions[0].partitionIndex: INT32 0
      00000001                                   topics[0].partitions[0].leaderId: INT32 1
      00000006                                   topics[0].partitions[0].leaderEpoch: INT32 6
      00000002                                   topics[0].partitions[0].preferredSuccessors.<count>: INT32 2
      00000002                                   topics[0].partitions[0].preferredSuccessors[0]: INT32 2
      00000003                                   topics[0].partitions[0].preferredSuccessors[1]: INT32 3
    `);
    const value = {
      clusterId: null,
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 6,
              preferredSuccessors: [2, 3],
              preferredCandidates: [],
            },
          ],
        },
      ],
      leaderEndpoints: [],
    };
    const codec = codecFor(EndQuorumEpoch.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('EndQuorumEpochRequest v1: preferred candidates with directory ids (KIP-853)', () => {
    // Bytes written by kafka-clients 4.1.1's EndQuorumEpochRequestData.
    const bytes = hexLayout(`
      036331                                   clusterId: COMPACT_NULLABLE_STRING "c1"
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].topicName: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partitionIndex: INT32 0
      00000001                                 topics[0].partitions[0].leaderId: INT32 1
      00000006                                 topics[0].partitions[0].leaderEpoch: INT32 6
      02                                       topics[0].partitions[0].preferredCandidates.<count>: UNSIGNED_VARINT 1
      00000002                                 topics[0].partitions[0].preferredCandidates[0].candidateId: INT32 2
      0102030405060708090a0b0c0d0e0f10         topics[0].partitions[0].preferredCandidates[0].candidateDirectoryId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      00                                       topics[0].partitions[0].preferredCandidates[0].<tags>: UNSIGNED_VARINT 0
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
      topics: [
        {
          topicName: '__cluster_metadata',
          partitions: [
            {
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 6,
              preferredCandidates: [
                {
                  candidateId: 2,
                  candidateDirectoryId: 'AQIDBAUGBwgJCgsMDQ4PEA',
                },
              ],
              preferredSuccessors: [],
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
    const codec = codecFor(EndQuorumEpoch.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('EndQuorumEpochResponse v0: accepted (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's EndQuorumEpochResponseData.
    const bytes = hexLayout(`
      0000                                       errorCode: INT16 0
      00000001                                   topics.<count>: INT32 1
      00125f5f636c75737465725f6d657461 64617461  topics[0].topicName: STRING "__cluster_metadata"
      00000001                                   topics[0].partitions.<count>: INT32 1
      00000000                                   topics[0].partitions[0].partitionIndex: INT32 0
      0000                                       topics[0].partitions[0].errorCode: INT16 0
      00000001                                   topics[0].partitions[0].leaderId: INT32 1
      00000006                                   topics[0].partitions[0].leaderEpoch: INT32 6
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
    const codec = codecFor(EndQuorumEpoch.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
