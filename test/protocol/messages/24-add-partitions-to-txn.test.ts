// Golden frames for AddPartitionsToTxn (API key 24): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AddPartitionsToTxn } from '../../../src/protocol/messages/24-add-partitions-to-txn.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AddPartitionsToTxn golden frames', () => {
  it('AddPartitionsToTxnRequest v3: a client adding two partitions of one topic (flexible, top-level form)', () => {
    // Bytes written by kafka-clients 4.1.1's AddPartitionsToTxnRequestData.
    const bytes = hexLayout(`
      037478                  v3AndBelowTransactionalId: COMPACT_STRING "tx"
      0000000000001000        v3AndBelowProducerId: INT64 4096
      0002                    v3AndBelowProducerEpoch: INT16 2
      02                      v3AndBelowTopics.<count>: UNSIGNED_VARINT 1
      0274                    v3AndBelowTopics[0].name: COMPACT_STRING "t"
      03                      v3AndBelowTopics[0].partitions.<count>: UNSIGNED_VARINT 2
      00000000                v3AndBelowTopics[0].partitions[0]: INT32 0
      00000001                v3AndBelowTopics[0].partitions[1]: INT32 1
      00                      v3AndBelowTopics[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      v3AndBelowTransactionalId: 'tx',
      v3AndBelowProducerId: 4096n,
      v3AndBelowProducerEpoch: 2,
      v3AndBelowTopics: [
        {
          name: 't',
          partitions: [0, 1],
        },
      ],
      transactions: [],
    };
    const codec = codecFor(AddPartitionsToTxn.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AddPartitionsToTxnRequest v5: a broker verifying a partition for two transactions at once (KIP-890)', () => {
    // Bytes written by kafka-clients 4.1.1's AddPartitionsToTxnRequestData.
    const bytes = hexLayout(`
      03                      transactions.<count>: UNSIGNED_VARINT 2
      0261                    transactions[0].transactionalId: COMPACT_STRING "a"
      0000000000000007        transactions[0].producerId: INT64 7
      0000                    transactions[0].producerEpoch: INT16 0
      01                      transactions[0].verifyOnly: BOOLEAN true
      02                      transactions[0].topics.<count>: UNSIGNED_VARINT 1
      0274                    transactions[0].topics[0].name: COMPACT_STRING "t"
      02                      transactions[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000003                transactions[0].topics[0].partitions[0]: INT32 3
      00                      transactions[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00                      transactions[0].<tags>: UNSIGNED_VARINT 0
      0262                    transactions[1].transactionalId: COMPACT_STRING "b"
      0000000000000008        transactions[1].producerId: INT64 8
      0001                    transactions[1].producerEpoch: INT16 1
      01                      transactions[1].verifyOnly: BOOLEAN true
      02                      transactions[1].topics.<count>: UNSIGNED_VARINT 1
      0274                    transactions[1].topics[0].name: COMPACT_STRING "t"
      02                      transactions[1].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000003                transactions[1].topics[0].partitions[0]: INT32 3
      00                      transactions[1].topics[0].<tags>: UNSIGNED_VARINT 0
      00                      transactions[1].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      transactions: [
        {
          transactionalId: 'a',
          producerId: 7n,
          producerEpoch: 0,
          verifyOnly: true,
          topics: [
            {
              name: 't',
              partitions: [3],
            },
          ],
        },
        {
          transactionalId: 'b',
          producerId: 8n,
          producerEpoch: 1,
          verifyOnly: true,
          topics: [
            {
              name: 't',
              partitions: [3],
            },
          ],
        },
      ],
      v3AndBelowTransactionalId: '',
      v3AndBelowProducerId: 0n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [],
    };
    const codec = codecFor(AddPartitionsToTxn.request, 5);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AddPartitionsToTxnResponse v5: one transaction answered: INVALID_TXN_STATE, the partition is not in it', () => {
    // Bytes written by kafka-clients 4.1.1's AddPartitionsToTxnResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      02                      resultsByTransaction.<count>: UNSIGNED_VARINT 1
      0261                    resultsByTransaction[0].transactionalId: COMPACT_STRING "a"
      02                      resultsByTransaction[0].topicResults.<count>: UNSIGNED_VARINT 1
      0274                    resultsByTransaction[0].topicResults[0].name: COMPACT_STRING "t"
      02                      resultsByTransaction[0].topicResults[0].resultsByPartition.<count>: UNSIGNED_VARINT 1
      00000003                resultsByTransaction[0].topicResults[0].resultsByPartition[0].partitionIndex: INT32 3
      0030                    resultsByTransaction[0].topicResults[0].resultsByPartition[0].partitionErrorCode: INT16 48
      00                      resultsByTransaction[0].topicResults[0].resultsByPartition[0].<tags>: UNSIGNED_VARINT 0
      00                      resultsByTransaction[0].topicResults[0].<tags>: UNSIGNED_VARINT 0
      00                      resultsByTransaction[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: [
        {
          transactionalId: 'a',
          topicResults: [
            {
              name: 't',
              resultsByPartition: [
                {
                  partitionIndex: 3,
                  partitionErrorCode: 48,
                },
              ],
            },
          ],
        },
      ],
      resultsByTopicV3AndBelow: [],
    };
    const codec = codecFor(AddPartitionsToTxn.response, 5);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
