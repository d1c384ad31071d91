// Golden frames for DeleteShareGroupOffsets (API key 92): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DeleteShareGroupOffsets } from '../../../src/protocol/messages/92-delete-share-group-offsets.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DeleteShareGroupOffsets golden frames', () => {
  it('DeleteShareGroupOffsetsRequest v0: forget one topic', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteShareGroupOffsetsRequestData.
    const bytes = hexLayout(`
      037367                  groupId: COMPACT_STRING "sg"
      02                      topics.<count>: UNSIGNED_VARINT 1
      076f7264657273          topics[0].topicName: COMPACT_STRING "orders"
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'sg',
      topics: [
        {
          topicName: 'orders',
        },
      ],
    };
    const codec = codecFor(DeleteShareGroupOffsets.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DeleteShareGroupOffsetsResponse v0: forgotten', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteShareGroupOffsetsResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      00                                errorMessage: COMPACT_NULLABLE_STRING null
      02                                responses.<count>: UNSIGNED_VARINT 1
      076f7264657273                    responses[0].topicName: COMPACT_STRING "orders"
      00000000000000000000000000000070  responses[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      0000                              responses[0].errorCode: INT16 0
      00                                responses[0].errorMessage: COMPACT_NULLABLE_STRING null
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
          errorCode: 0,
          errorMessage: null,
        },
      ],
    };
    const codec = codecFor(DeleteShareGroupOffsets.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
