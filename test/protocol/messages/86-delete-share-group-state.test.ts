// Golden frames for DeleteShareGroupState (API key 86): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DeleteShareGroupState } from '../../../src/protocol/messages/86-delete-share-group-state.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DeleteShareGroupState golden frames', () => {
  it('DeleteShareGroupStateRequest v0: drop the state of partitions 0 and 1', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteShareGroupStateRequestData.
    const bytes = hexLayout(`
      037367                            groupId: COMPACT_STRING "sg"
      02                                topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      03                                topics[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                          topics[0].partitions[0].partition: INT32 0
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00000001                          topics[0].partitions[1].partition: INT32 1
      00                                topics[0].partitions[1].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'sg',
      topics: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partition: 0,
            },
            {
              partition: 1,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DeleteShareGroupState.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DeleteShareGroupStateResponse v0: one dropped, one with an error message', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteShareGroupStateResponseData.
    const bytes = hexLayout(`
      02                                     results.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070       results[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      03                                     results[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                               results[0].partitions[0].partition: INT32 0
      0000                                   results[0].partitions[0].errorCode: INT16 0
      00                                     results[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                                     results[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00000001                               results[0].partitions[1].partition: INT32 1
      0003                                   results[0].partitions[1].errorCode: INT16 3
      12756e6b6e6f776e2070617274697469 6f6e  results[0].partitions[1].errorMessage: COMPACT_NULLABLE_STRING "unknown partition"
      00                                     results[0].partitions[1].<tags>: UNSIGNED_VARINT 0
      00                                     results[0].<tags>: UNSIGNED_VARINT 0
      00                                     <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      results: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partition: 0,
              errorCode: 0,
              errorMessage: null,
            },
            {
              partition: 1,
              errorCode: 3,
              errorMessage: 'unknown partition',
            },
          ],
        },
      ],
    };
    const codec = codecFor(DeleteShareGroupState.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
