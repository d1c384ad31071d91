// Golden frames for DescribeShareGroupOffsets (API key 90): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeShareGroupOffsets } from '../../../src/protocol/messages/90-describe-share-group-offsets.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeShareGroupOffsets golden frames', () => {
  it('DescribeShareGroupOffsetsRequest v0: every topic of one group (topics null)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeShareGroupOffsetsRequestData.
    const bytes = hexLayout(`
      02                      groups.<count>: UNSIGNED_VARINT 1
      037367                  groups[0].groupId: COMPACT_STRING "sg"
      00                      groups[0].topics: UNSIGNED_VARINT null
      00                      groups[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groups: [
        {
          groupId: 'sg',
          topics: null,
        },
      ],
    };
    const codec = codecFor(DescribeShareGroupOffsets.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeShareGroupOffsetsResponse v0: partition 0 of one topic starts at 105', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeShareGroupOffsetsResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      02                                groups.<count>: UNSIGNED_VARINT 1
      037367                            groups[0].groupId: COMPACT_STRING "sg"
      02                                groups[0].topics.<count>: UNSIGNED_VARINT 1
      076f7264657273                    groups[0].topics[0].topicName: COMPACT_STRING "orders"
      00000000000000000000000000000070  groups[0].topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                groups[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          groups[0].topics[0].partitions[0].partitionIndex: INT32 0
      0000000000000069                  groups[0].topics[0].partitions[0].startOffset: INT64 105
      00000002                          groups[0].topics[0].partitions[0].leaderEpoch: INT32 2
      0000                              groups[0].topics[0].partitions[0].errorCode: INT16 0
      00                                groups[0].topics[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                                groups[0].topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                groups[0].topics[0].<tags>: UNSIGNED_VARINT 0
      0000                              groups[0].errorCode: INT16 0
      00                                groups[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                                groups[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          groupId: 'sg',
          topics: [
            {
              topicName: 'orders',
              topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
              partitions: [
                {
                  partitionIndex: 0,
                  startOffset: 105n,
                  leaderEpoch: 2,
                  errorCode: 0,
                  errorMessage: null,
                },
              ],
            },
          ],
          errorCode: 0,
          errorMessage: null,
        },
      ],
    };
    const codec = codecFor(DescribeShareGroupOffsets.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
