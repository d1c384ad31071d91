// Golden frames for DescribeTransactions (API key 65): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeTransactions } from '../../../src/protocol/messages/65-describe-transactions.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeTransactions golden frames', () => {
  it('DescribeTransactionsRequest v0: two transactional ids', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeTransactionsRequestData.
    const bytes = hexLayout(`
      03                      transactionalIds.<count>: UNSIGNED_VARINT 2
      0261                    transactionalIds[0]: COMPACT_STRING "a"
      0262                    transactionalIds[1]: COMPACT_STRING "b"
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      transactionalIds: ['a', 'b'],
    };
    const codec = codecFor(DescribeTransactions.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeTransactionsResponse v0: an ongoing transaction over one partition', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeTransactionsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      transactionStates.<count>: UNSIGNED_VARINT 1
      0000                    transactionStates[0].errorCode: INT16 0
      0261                    transactionStates[0].transactionalId: COMPACT_STRING "a"
      084f6e676f696e67        transactionStates[0].transactionState: COMPACT_STRING "Ongoing"
      0000ea60                transactionStates[0].transactionTimeoutMs: INT32 60000
      0000018bcfe56800        transactionStates[0].transactionStartTimeMs: INT64 1700000000000
      0000000000001000        transactionStates[0].producerId: INT64 4096
      0003                    transactionStates[0].producerEpoch: INT16 3
      02                      transactionStates[0].topics.<count>: UNSIGNED_VARINT 1
      0274                    transactionStates[0].topics[0].topic: COMPACT_STRING "t"
      02                      transactionStates[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                transactionStates[0].topics[0].partitions[0]: INT32 0
      00                      transactionStates[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00                      transactionStates[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      transactionStates: [
        {
          errorCode: 0,
          transactionalId: 'a',
          transactionState: 'Ongoing',
          transactionTimeoutMs: 60000,
          transactionStartTimeMs: 1700000000000n,
          producerId: 4096n,
          producerEpoch: 3,
          topics: [
            {
              topic: 't',
              partitions: [0],
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeTransactions.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
