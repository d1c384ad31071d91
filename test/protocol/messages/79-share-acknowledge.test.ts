// Golden frames for ShareAcknowledge (API key 79): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ShareAcknowledge } from '../../../src/protocol/messages/79-share-acknowledge.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ShareAcknowledge golden frames', () => {
  it('ShareAcknowledgeRequest v1: rejects offset 5 and closes the share session', () => {
    // Bytes written by kafka-clients 4.1.1's ShareAcknowledgeRequestData.
    const bytes = hexLayout(`
      037367                            groupId: COMPACT_NULLABLE_STRING "sg"
      046d2d31                          memberId: COMPACT_NULLABLE_STRING "m-1"
      ffffffff                          shareSessionEpoch: INT32 -1
      02                                topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partitionIndex: INT32 0
      02                                topics[0].partitions[0].acknowledgementBatches.<count>: UNSIGNED_VARINT 1
      0000000000000005                  topics[0].partitions[0].acknowledgementBatches[0].firstOffset: INT64 5
      0000000000000005                  topics[0].partitions[0].acknowledgementBatches[0].lastOffset: INT64 5
      02                                topics[0].partitions[0].acknowledgementBatches[0].acknowledgeTypes.<count>: UNSIGNED_VARINT 1
      03                                topics[0].partitions[0].acknowledgementBatches[0].acknowledgeTypes[0]: INT8 3
      00                                topics[0].partitions[0].acknowledgementBatches[0].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'sg',
      memberId: 'm-1',
      shareSessionEpoch: -1,
      topics: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partitionIndex: 0,
              acknowledgementBatches: [
                {
                  firstOffset: 5n,
                  lastOffset: 5n,
                  acknowledgeTypes: [3],
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(ShareAcknowledge.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ShareAcknowledgeResponse v1: acknowledged', () => {
    // Bytes written by kafka-clients 4.1.1's ShareAcknowledgeResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      00                                errorMessage: COMPACT_NULLABLE_STRING null
      02                                responses.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  responses[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                responses[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          responses[0].partitions[0].partitionIndex: INT32 0
      0000                              responses[0].partitions[0].errorCode: INT16 0
      00                                responses[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      00000001                          responses[0].partitions[0].currentLeader.leaderId: INT32 1
      00000000                          responses[0].partitions[0].currentLeader.leaderEpoch: INT32 0
      00                                responses[0].partitions[0].currentLeader.<tags>: UNSIGNED_VARINT 0
      00                                responses[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                responses[0].<tags>: UNSIGNED_VARINT 0
      01                                nodeEndpoints.<count>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      responses: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              currentLeader: {
                leaderId: 1,
                leaderEpoch: 0,
              },
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
    const codec = codecFor(ShareAcknowledge.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
