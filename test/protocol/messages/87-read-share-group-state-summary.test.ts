// Golden frames for ReadShareGroupStateSummary (API key 87): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ReadShareGroupStateSummary } from '../../../src/protocol/messages/87-read-share-group-state-summary.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ReadShareGroupStateSummary golden frames', () => {
  it('ReadShareGroupStateSummaryRequest v0: the summary of partition 0', () => {
    // Bytes written by kafka-clients 4.1.1's ReadShareGroupStateSummaryRequestData.
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
    const codec = codecFor(ReadShareGroupStateSummary.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it("ReadShareGroupStateSummaryResponse v0: start offset 105 (4.1.1 adds leaderEpoch to 3.9.1's draft)", () => {
    // Bytes written by kafka-clients 4.1.1's ReadShareGroupStateSummaryResponseData.
    const bytes = hexLayout(`
      02                                results.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  results[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                results[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          results[0].partitions[0].partition: INT32 0
      0000                              results[0].partitions[0].errorCode: INT16 0
      00                                results[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00000001                          results[0].partitions[0].stateEpoch: INT32 1
      00000002                          results[0].partitions[0].leaderEpoch: INT32 2
      0000000000000069                  results[0].partitions[0].startOffset: INT64 105
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
              leaderEpoch: 2,
              startOffset: 105n,
            },
          ],
        },
      ],
    };
    const codec = codecFor(ReadShareGroupStateSummary.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
