// Golden frames for WriteShareGroupState (API key 85): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { WriteShareGroupState } from '../../../src/protocol/messages/85-write-share-group-state.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('WriteShareGroupState golden frames', () => {
  it('WriteShareGroupStateRequest v0: offset 105 acquired a second time', () => {
    // Bytes written by kafka-clients 4.1.1's WriteShareGroupStateRequestData.
    const bytes = hexLayout(`
      037367                            groupId: COMPACT_STRING "sg"
      02                                topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partition: INT32 0
      00000001                          topics[0].partitions[0].stateEpoch: INT32 1
      00000002                          topics[0].partitions[0].leaderEpoch: INT32 2
      0000000000000069                  topics[0].partitions[0].startOffset: INT64 105
      02                                topics[0].partitions[0].stateBatches.<count>: UNSIGNED_VARINT 1
      0000000000000069                  topics[0].partitions[0].stateBatches[0].firstOffset: INT64 105
      0000000000000069                  topics[0].partitions[0].stateBatches[0].lastOffset: INT64 105
      00                                topics[0].partitions[0].stateBatches[0].deliveryState: INT8 0
      0002                              topics[0].partitions[0].stateBatches[0].deliveryCount: INT16 2
      00                                topics[0].partitions[0].stateBatches[0].<tags>: UNSIGNED_VARINT 0
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
              stateEpoch: 1,
              leaderEpoch: 2,
              startOffset: 105n,
              stateBatches: [
                {
                  firstOffset: 105n,
                  lastOffset: 105n,
                  deliveryState: 0,
                  deliveryCount: 2,
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(WriteShareGroupState.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('WriteShareGroupStateResponse v0: written', () => {
    // Bytes written by kafka-clients 4.1.1's WriteShareGroupStateResponseData.
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
    const codec = codecFor(WriteShareGroupState.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
