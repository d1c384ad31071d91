// Golden frames for AlterShareGroupOffsets (API key 91): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterShareGroupOffsets } from '../../../src/protocol/messages/91-alter-share-group-offsets.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterShareGroupOffsets golden frames', () => {
  it('AlterShareGroupOffsetsRequest v0: move partition 0 back to offset 0', () => {
    // Bytes written by kafka-clients 4.1.1's AlterShareGroupOffsetsRequestData.
    const bytes = hexLayout(`
      037367                  groupId: COMPACT_STRING "sg"
      02                      topics.<count>: UNSIGNED_VARINT 1
      076f7264657273          topics[0].topicName: COMPACT_STRING "orders"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      0000000000000000        topics[0].partitions[0].startOffset: INT64 0
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'sg',
      topics: [
        {
          topicName: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              startOffset: 0n,
            },
          ],
        },
      ],
    };
    const codec = codecFor(AlterShareGroupOffsets.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterShareGroupOffsetsResponse v0: altered', () => {
    // Bytes written by kafka-clients 4.1.1's AlterShareGroupOffsetsResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      00                                errorMessage: COMPACT_NULLABLE_STRING null
      02                                responses.<count>: UNSIGNED_VARINT 1
      076f7264657273                    responses[0].topicName: COMPACT_STRING "orders"
      00000000000000000000000000000070  responses[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                responses[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          responses[0].partitions[0].partitionIndex: INT32 0
      0000                              responses[0].partitions[0].errorCode: INT16 0
      00                                responses[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                                responses[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                responses[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      responses: [
        {
          topicName: 'orders',
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
            },
          ],
        },
      ],
    };
    const codec = codecFor(AlterShareGroupOffsets.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
