// Golden frames for InitializeShareGroupState (API key 83): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { InitializeShareGroupState } from '../../../src/protocol/messages/83-initialize-share-group-state.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('InitializeShareGroupState golden frames', () => {
  it('InitializeShareGroupStateRequest v0: partition 0 starts at offset 100, state epoch 0', () => {
    // Bytes written by kafka-clients 4.1.1's InitializeShareGroupStateRequestData.
    const bytes = hexLayout(`
      037367                            groupId: COMPACT_STRING "sg"
      02                                topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partition: INT32 0
      00000000                          topics[0].partitions[0].stateEpoch: INT32 0
      0000000000000064                  topics[0].partitions[0].startOffset: INT64 100
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
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
              stateEpoch: 0,
              startOffset: 100n,
            },
          ],
        },
      ],
    };
    const codec = codecFor(InitializeShareGroupState.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('InitializeShareGroupStateResponse v0: done', () => {
    // Bytes written by kafka-clients 4.1.1's InitializeShareGroupStateResponseData.
    const bytes = hexLayout(`
      02                                results.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  results[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                results[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          results[0].partitions[0].partition: INT32 0
      0000                              results[0].partitions[0].errorCode: INT16 0
      00                                results[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                                results[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                results[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
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
          ],
        },
      ],
    };
    const codec = codecFor(InitializeShareGroupState.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
