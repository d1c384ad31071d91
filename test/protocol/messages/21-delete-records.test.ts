// Golden frames for DeleteRecords (API key 21): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DeleteRecords } from '../../../src/protocol/messages/21-delete-records.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DeleteRecords golden frames', () => {
  it('DeleteRecordsRequest v2: records before offset 100 of one partition', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteRecordsRequestData.
    const bytes = hexLayout(`
      02                      topics.<count>: UNSIGNED_VARINT 1
      0274                    topics[0].name: COMPACT_STRING "t"
      02                      topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      0000000000000064        topics[0].partitions[0].offset: INT64 100
      00                      topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      topics[0].<tags>: UNSIGNED_VARINT 0
      00007530                timeoutMs: INT32 30000
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              offset: 100n,
            },
          ],
        },
      ],
      timeoutMs: 30000,
    };
    const codec = codecFor(DeleteRecords.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DeleteRecordsResponse v1: the new low watermark (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteRecordsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      00000001                topics.<count>: INT32 1
      000174                  topics[0].name: STRING "t"
      00000001                topics[0].partitions.<count>: INT32 1
      00000000                topics[0].partitions[0].partitionIndex: INT32 0
      0000000000000064        topics[0].partitions[0].lowWatermark: INT64 100
      0000                    topics[0].partitions[0].errorCode: INT16 0
    `);
    const value = {
      throttleTimeMs: 0,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              lowWatermark: 100n,
              errorCode: 0,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DeleteRecords.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
