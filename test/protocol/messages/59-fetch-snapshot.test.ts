// Golden frames for FetchSnapshot (API key 59): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { FetchSnapshot } from '../../../src/protocol/messages/59-fetch-snapshot.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('FetchSnapshot golden frames', () => {
  it('FetchSnapshotRequest v1: a chunk from position 0, with the tagged directory id (KIP-853)', () => {
    // Bytes written by kafka-clients 4.1.1's FetchSnapshotRequestData.
    const bytes = hexLayout(`
      00000002                                 replicaId: INT32 2
      00100000                                 maxBytes: INT32 1048576
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].name: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].partition: INT32 0
      00000006                                 topics[0].partitions[0].currentLeaderEpoch: INT32 6
      00000000000000c8                         topics[0].partitions[0].snapshotId.endOffset: INT64 200
      00000005                                 topics[0].partitions[0].snapshotId.epoch: INT32 5
      00                                       topics[0].partitions[0].snapshotId.<tags>: UNSIGNED_VARINT 0
      0000000000000000                         topics[0].partitions[0].position: INT64 0
      01                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 1
      0010                                     topics[0].partitions[0].<tags>: TAGGED_FIELD
      0102030405060708090a0b0c0d0e0f10         topics[0].partitions[0].replicaDirectoryId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      01                                       <tags>: UNSIGNED_VARINT 1
      0003                                     <tags>: TAGGED_FIELD
      036331                                   clusterId: COMPACT_NULLABLE_STRING "c1"
    `);
    const value = {
      replicaId: 2,
      maxBytes: 1048576,
      topics: [
        {
          name: '__cluster_metadata',
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: 6,
              snapshotId: {
                endOffset: 200n,
                epoch: 5,
              },
              position: 0n,
              replicaDirectoryId: 'AQIDBAUGBwgJCgsMDQ4PEA',
            },
          ],
        },
      ],
      clusterId: 'c1',
    };
    const codec = codecFor(FetchSnapshot.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('FetchSnapshotResponse v0: four bytes of the snapshot file', () => {
    // Bytes written by kafka-clients 4.1.1's FetchSnapshotResponseData.
    const bytes = hexLayout(`
      00000000                                 throttleTimeMs: INT32 0
      0000                                     errorCode: INT16 0
      02                                       topics.<count>: UNSIGNED_VARINT 1
      135f5f636c75737465725f6d65746164 617461  topics[0].name: COMPACT_STRING "__cluster_metadata"
      02                                       topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                                 topics[0].partitions[0].index: INT32 0
      0000                                     topics[0].partitions[0].errorCode: INT16 0
      00000000000000c8                         topics[0].partitions[0].snapshotId.endOffset: INT64 200
      00000005                                 topics[0].partitions[0].snapshotId.epoch: INT32 5
      00                                       topics[0].partitions[0].snapshotId.<tags>: UNSIGNED_VARINT 0
      0000000000001000                         topics[0].partitions[0].size: INT64 4096
      0000000000000000                         topics[0].partitions[0].position: INT64 0
      0500000000                               topics[0].partitions[0].unalignedRecords: COMPACT_RECORDS 0x00000000 (4 B)
      00                                       topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                       topics[0].<tags>: UNSIGNED_VARINT 0
      00                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          name: '__cluster_metadata',
          partitions: [
            {
              index: 0,
              errorCode: 0,
              snapshotId: {
                endOffset: 200n,
                epoch: 5,
              },
              size: 4096n,
              position: 0n,
              unalignedRecords: Buffer.from('00000000', 'hex'),
              currentLeader: {
                leaderId: 0,
                leaderEpoch: 0,
              },
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
    const codec = codecFor(FetchSnapshot.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
