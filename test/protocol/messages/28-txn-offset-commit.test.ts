// Golden frames for TxnOffsetCommit (API key 28): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { TxnOffsetCommit } from '../../../src/protocol/messages/28-txn-offset-commit.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('TxnOffsetCommit golden frames', () => {
  it('TxnOffsetCommitRequest v2: an offset with its leader epoch (classic, no group metadata yet)', () => {
    // Bytes written by kafka-clients 4.1.1's TxnOffsetCommitRequestData.
    const bytes = hexLayout(`
      00027478                transactionalId: STRING "tx"
      000167                  groupId: STRING "g"
      0000000000001000        producerId: INT64 4096
      0003                    producerEpoch: INT16 3
      00000001                topics.<count>: INT32 1
      000174                  topics[0].name: STRING "t"
      00000001                topics[0].partitions.<count>: INT32 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      000000000000002a        topics[0].partitions[0].committedOffset: INT64 42
      00000001                topics[0].partitions[0].committedLeaderEpoch: INT32 1
      ffff                    topics[0].partitions[0].committedMetadata: NULLABLE_STRING null
    `);
    const value = {
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 4096n,
      producerEpoch: 3,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 42n,
              committedLeaderEpoch: 1,
              committedMetadata: null,
            },
          ],
        },
      ],
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
    };
    const codec = codecFor(TxnOffsetCommit.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('TxnOffsetCommitRequest v3: with the consumer group metadata that fences zombies (KIP-447)', () => {
    // Bytes written by kafka-clients 4.1.1's TxnOffsetCommitRequestData.
    const bytes = hexLayout(`
      037478                  transactionalId: COMPACT_STRING "tx"
      0267                    groupId: COMPACT_STRING "g"
      0000000000001000        producerId: INT64 4096
      0003                    producerEpoch: INT16 3
      00000002                generationId: INT32 2
      026d                    memberId: COMPACT_STRING "m"
      00                      groupInstanceId: COMPACT_NULLABLE_STRING null
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      000000000000002a        topics[0].partitions[0].committedOffset: INT64 42
      ffffffff                topics[0].partitions[0].committedLeaderEpoch: INT32 -1
      01                      topics[0].partitions[0].committedMetadata: COMPACT_NULLABLE_STRING ""
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 4096n,
      producerEpoch: 3,
      generationId: 2,
      memberId: 'm',
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 42n,
              committedLeaderEpoch: -1,
              committedMetadata: '',
            },
          ],
        },
      ],
    };
    const codec = codecFor(TxnOffsetCommit.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('TxnOffsetCommitResponse v3: ILLEGAL_GENERATION for one partition', () => {
    // Bytes written by kafka-clients 4.1.1's TxnOffsetCommitResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      0016                    topics[0].partitions[0].errorCode: INT16 22
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 22,
            },
          ],
        },
      ],
    };
    const codec = codecFor(TxnOffsetCommit.response, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
