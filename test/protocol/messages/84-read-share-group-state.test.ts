// Golden frames for ReadShareGroupState (API key 84): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ReadShareGroupState } from '../../../src/protocol/messages/84-read-share-group-state.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ReadShareGroupState golden frames', () => {
  it('ReadShareGroupStateRequest v0: the leader (epoch 2) reads partition 0', () => {
    // Bytes written by kafka-clients 4.1.1's ReadShareGroupStateRequestData.
    const bytes = hexLayout(`
      037367                            groupId: COMPACT_STRING "sg"
      02                                topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partition: INT32 0
      00000002                          topics[0].partitions[0].leaderEpoch: INT32 2
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
              leaderEpoch: 2,
            },
          ],
        },
      ],
    };
    const codec = codecFor(ReadShareGroupState.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ReadShareGroupStateResponse v0: start offset 100, offsets 100-104 acknowledged (state 2), delivered once', () => {
    // Bytes written by kafka-clients 4.1.1's ReadShareGroupStateResponseData.
    const bytes = hexLayout(`
      02                                results.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  results[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                results[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          results[0].partitions[0].partition: INT32 0
      0000                              results[0].partitions[0].errorCode: INT16 0
      00                                results[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00000001                          results[0].partitions[0].stateEpoch: INT32 1
      0000000000000064                  results[0].partitions[0].startOffset: INT64 100
      02                                results[0].partitions[0].stateBatches.<count>: UNSIGNED_VARINT 1
      0000000000000064                  results[0].partitions[0].stateBatches[0].firstOffset: INT64 100
      0000000000000068                  results[0].partitions[0].stateBatches[0].lastOffset: INT64 104
      02                                results[0].partitions[0].stateBatches[0].deliveryState: INT8 2
      0001                              results[0].partitions[0].stateBatches[0].deliveryCount: INT16 1
      00                                results[0].partitions[0].stateBatches[0].<tags>: UNSIGNED_VARINT 0
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
              stateEpoch: 1,
              startOffset: 100n,
              stateBatches: [
                {
                  firstOffset: 100n,
                  lastOffset: 104n,
                  deliveryState: 2,
                  deliveryCount: 1,
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(ReadShareGroupState.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
