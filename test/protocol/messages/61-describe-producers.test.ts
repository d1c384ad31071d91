// Golden frames for DescribeProducers (API key 61): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeProducers } from '../../../src/protocol/messages/61-describe-producers.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeProducers golden frames', () => {
  it('DescribeProducersRequest v0: one partition of a topic', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeProducersRequestData.
    const bytes = hexLayout(`
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      02                      topics[0].partitionIndexes.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitionIndexes[0]: INT32 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      topics: [
        {
          name: 't',
          partitionIndexes: [0],
        },
      ],
    };
    const codec = codecFor(DescribeProducers.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeProducersResponse v0: a producer with an open transaction', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeProducersResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      0000                    topics[0].partitions[0].errorCode: INT16 0
      00                      topics[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      02                      topics[0].partitions[0].activeProducers.<count>: UNSIGNED_VARINT 1
      0000000000001000        topics[0].partitions[0].activeProducers[0].producerId: INT64 4096
      00000003                topics[0].partitions[0].activeProducers[0].producerEpoch: INT32 3
      00000009                topics[0].partitions[0].activeProducers[0].lastSequence: INT32 9
      0000018bcfe56800        topics[0].partitions[0].activeProducers[0].lastTimestamp: INT64 1700000000000
      00000001                topics[0].partitions[0].activeProducers[0].coordinatorEpoch: INT32 1
      0000000000000028        topics[0].partitions[0].activeProducers[0].currentTxnStartOffset: INT64 40
      00                      topics[0].partitions[0].activeProducers[0].<tags>: UNSIGNED_VARINT 0
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
              errorCode: 0,
              errorMessage: null,
              activeProducers: [
                {
                  producerId: 4096n,
                  producerEpoch: 3,
                  lastSequence: 9,
                  lastTimestamp: 1700000000000n,
                  coordinatorEpoch: 1,
                  currentTxnStartOffset: 40n,
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeProducers.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
