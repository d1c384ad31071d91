// Golden frames for OffsetForLeaderEpoch (API key 23): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { OffsetForLeaderEpoch } from '../../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('OffsetForLeaderEpoch golden frames', () => {
  it('OffsetForLeaderEpochRequest v0: the oldest form, 3.9.1 only (KIP-101)', () => {
    // Bytes written by kafka-clients 3.9.1's OffsetForLeaderEpochRequestData.
    const bytes = hexLayout(`
      00000001                topics.<count>: INT32 1
      000174                  topics[0].topic: STRING "t"
      00000001                topics[0].partitions.<count>: INT32 1
      00000000                topics[0].partitions[0].partition: INT32 0
      00000004                topics[0].partitions[0].leaderEpoch: INT32 4
    `);
    const value = {
      topics: [
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              leaderEpoch: 4,
              currentLeaderEpoch: -1,
            },
          ],
        },
      ],
      replicaId: -2,
    };
    const codec = codecFor(OffsetForLeaderEpoch.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('OffsetForLeaderEpochRequest v4: a follower (replica 2) fencing with the current leader epoch (KIP-320)', () => {
    // Bytes written by kafka-clients 4.1.1's OffsetForLeaderEpochRequestData.
    const bytes = hexLayout(`
      00000002                replicaId: INT32 2
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].topic: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partition: INT32 0
      00000005                topics[0].partitions[0].currentLeaderEpoch: INT32 5
      00000004                topics[0].partitions[0].leaderEpoch: INT32 4
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      replicaId: 2,
      topics: [
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: 5,
              leaderEpoch: 4,
            },
          ],
        },
      ],
    };
    const codec = codecFor(OffsetForLeaderEpoch.request, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('OffsetForLeaderEpochResponse v4: epoch 4 ended at offset 120', () => {
    // Bytes written by kafka-clients 4.1.1's OffsetForLeaderEpochResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].topic: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      0000                    topics[0].partitions[0].errorCode: INT16 0
      00000000                topics[0].partitions[0].partition: INT32 0
      00000004                topics[0].partitions[0].leaderEpoch: INT32 4
      0000000000000078        topics[0].partitions[0].endOffset: INT64 120
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      topics: [
        {
          topic: 't',
          partitions: [
            {
              errorCode: 0,
              partition: 0,
              leaderEpoch: 4,
              endOffset: 120n,
            },
          ],
        },
      ],
    };
    const codec = codecFor(OffsetForLeaderEpoch.response, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
