// Golden frames for WriteTxnMarkers (API key 27): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { WriteTxnMarkers } from '../../../src/protocol/messages/27-write-txn-markers.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('WriteTxnMarkers golden frames', () => {
  it('WriteTxnMarkersRequest v1: a COMMIT marker for two partitions', () => {
    // Bytes written by kafka-clients 4.1.1's WriteTxnMarkersRequestData.
    const bytes = hexLayout(`
      02                      markers.<count>: UNSIGNED_VARINT 1
      0000000000001000        markers[0].producerId: INT64 4096
      0003                    markers[0].producerEpoch: INT16 3
      01                      markers[0].transactionResult: BOOLEAN true
      02                      markers[0].topics.<count>: UNSIGNED_VARINT 1
      0274                    markers[0].topics[0].name: COMPACT_STRING "t"
      03                      markers[0].topics[0].partitionIndexes.<count>: UNSIGNED_VARINT 2
      00000000                markers[0].topics[0].partitionIndexes[0]: INT32 0
      00000002                markers[0].topics[0].partitionIndexes[1]: INT32 2
      00                      markers[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00000005                markers[0].coordinatorEpoch: INT32 5
      00                      markers[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      markers: [
        {
          producerId: 4096n,
          producerEpoch: 3,
          transactionResult: true,
          topics: [
            {
              name: 't',
              partitionIndexes: [0, 2],
            },
          ],
          coordinatorEpoch: 5,
        },
      ],
    };
    const codec = codecFor(WriteTxnMarkers.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('WriteTxnMarkersResponse v1: one partition written, one not led here', () => {
    // Bytes written by kafka-clients 4.1.1's WriteTxnMarkersResponseData.
    const bytes = hexLayout(`
      02                      markers.<count>: UNSIGNED_VARINT 1
      0000000000001000        markers[0].producerId: INT64 4096
      02                      markers[0].topics.<count>: UNSIGNED_VARINT 1
      0274                    markers[0].topics[0].name: COMPACT_STRING "t"
      03                      markers[0].topics[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                markers[0].topics[0].partitions[0].partitionIndex: INT32 0
      0000                    markers[0].topics[0].partitions[0].errorCode: INT16 0
      00                      markers[0].topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00000002                markers[0].topics[0].partitions[1].partitionIndex: INT32 2
      0006                    markers[0].topics[0].partitions[1].errorCode: INT16 6
      00                      markers[0].topics[0].partitions[1].<tags>: UNSIGNED_VARINT 0
      00                      markers[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00                      markers[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      markers: [
        {
          producerId: 4096n,
          topics: [
            {
              name: 't',
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: 0,
                },
                {
                  partitionIndex: 2,
                  errorCode: 6,
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(WriteTxnMarkers.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
