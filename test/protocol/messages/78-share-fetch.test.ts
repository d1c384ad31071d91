// Golden frames for ShareFetch (API key 78): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ShareFetch } from '../../../src/protocol/messages/78-share-fetch.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ShareFetch golden frames', () => {
  it('ShareFetchRequest v1: opens a share session and acknowledges offsets 0-1 (accept) and 2 (release)', () => {
    // Bytes written by kafka-clients 4.1.1's ShareFetchRequestData.
    const bytes = hexLayout(`
      037367                            groupId: COMPACT_NULLABLE_STRING "sg"
      046d2d31                          memberId: COMPACT_NULLABLE_STRING "m-1"
      00000000                          shareSessionEpoch: INT32 0
      000001f4                          maxWaitMs: INT32 500
      00000001                          minBytes: INT32 1
      03200000                          maxBytes: INT32 52428800
      000001f4                          maxRecords: INT32 500
      000001f4                          batchSize: INT32 500
      02                                topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          topics[0].partitions[0].partitionIndex: INT32 0
      03                                topics[0].partitions[0].acknowledgementBatches.<count>: UNSIGNED_VARINT 2
      0000000000000000                  topics[0].partitions[0].acknowledgementBatches[0].firstOffset: INT64 0
      0000000000000001                  topics[0].partitions[0].acknowledgementBatches[0].lastOffset: INT64 1
      02                                topics[0].partitions[0].acknowledgementBatches[0].acknowledgeTypes.<count>: UNSIGNED_VARINT 1
      01                                topics[0].partitions[0].acknowledgementBatches[0].acknowledgeTypes[0]: INT8 1
      00                                topics[0].partitions[0].acknowledgementBatches[0].<tags>: UNSIGNED_VARINT 0
      0000000000000002                  topics[0].partitions[0].acknowledgementBatches[1].firstOffset: INT64 2
      0000000000000002                  topics[0].partitions[0].acknowledgementBatches[1].lastOffset: INT64 2
      02                                topics[0].partitions[0].acknowledgementBatches[1].acknowledgeTypes.<count>: UNSIGNED_VARINT 1
      02                                topics[0].partitions[0].acknowledgementBatches[1].acknowledgeTypes[0]: INT8 2
      00                                topics[0].partitions[0].acknowledgementBatches[1].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                topics[0].<tags>: UNSIGNED_VARINT 0
      01                                forgottenTopicsData.<count>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'sg',
      memberId: 'm-1',
      shareSessionEpoch: 0,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      maxRecords: 500,
      batchSize: 500,
      topics: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partitionIndex: 0,
              acknowledgementBatches: [
                {
                  firstOffset: 0n,
                  lastOffset: 1n,
                  acknowledgeTypes: [1],
                },
                {
                  firstOffset: 2n,
                  lastOffset: 2n,
                  acknowledgeTypes: [2],
                },
              ],
            },
          ],
        },
      ],
      forgottenTopicsData: [],
    };
    const codec = codecFor(ShareFetch.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ShareFetchResponse v1: offsets 3-4 acquired (first delivery), no records bytes in this example', () => {
    // Bytes written by kafka-clients 4.1.1's ShareFetchResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      00                                errorMessage: COMPACT_NULLABLE_STRING null
      00007530                          acquisitionLockTimeoutMs: INT32 30000
      02                                responses.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  responses[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                responses[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          responses[0].partitions[0].partitionIndex: INT32 0
      0000                              responses[0].partitions[0].errorCode: INT16 0
      00                                responses[0].partitions[0].errorMessage: COMPACT_NULLABLE_STRING null
      0000                              responses[0].partitions[0].acknowledgeErrorCode: INT16 0
      00                                responses[0].partitions[0].acknowledgeErrorMessage: COMPACT_NULLABLE_STRING null
      00000001                          responses[0].partitions[0].currentLeader.leaderId: INT32 1
      00000000                          responses[0].partitions[0].currentLeader.leaderEpoch: INT32 0
      00                                responses[0].partitions[0].currentLeader.<tags>: UNSIGNED_VARINT 0
      01                                responses[0].partitions[0].records: COMPACT_RECORDS <0 bytes>
      02                                responses[0].partitions[0].acquiredRecords.<count>: UNSIGNED_VARINT 1
      0000000000000003                  responses[0].partitions[0].acquiredRecords[0].firstOffset: INT64 3
      0000000000000004                  responses[0].partitions[0].acquiredRecords[0].lastOffset: INT64 4
      0001                              responses[0].partitions[0].acquiredRecords[0].deliveryCount: INT16 1
      00                                responses[0].partitions[0].acquiredRecords[0].<tags>: UNSIGNED_VARINT 0
      00                                responses[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                responses[0].<tags>: UNSIGNED_VARINT 0
      02                                nodeEndpoints.<count>: UNSIGNED_VARINT 1
      00000001                          nodeEndpoints[0].nodeId: INT32 1
      0a6c6f63616c686f7374              nodeEndpoints[0].host: COMPACT_STRING "localhost"
      00002384                          nodeEndpoints[0].port: INT32 9092
      00                                nodeEndpoints[0].rack: COMPACT_NULLABLE_STRING null
      00                                nodeEndpoints[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      acquisitionLockTimeoutMs: 30000,
      responses: [
        {
          topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              acknowledgeErrorCode: 0,
              acknowledgeErrorMessage: null,
              currentLeader: {
                leaderId: 1,
                leaderEpoch: 0,
              },
              records: Buffer.from('', 'hex'),
              acquiredRecords: [
                {
                  firstOffset: 3n,
                  lastOffset: 4n,
                  deliveryCount: 1,
                },
              ],
            },
          ],
        },
      ],
      nodeEndpoints: [
        {
          nodeId: 1,
          host: 'localhost',
          port: 9092,
          rack: null,
        },
      ],
    };
    const codec = codecFor(ShareFetch.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
