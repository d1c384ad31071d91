// Golden frames for ListTransactions (API key 66): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ListTransactions } from '../../../src/protocol/messages/66-list-transactions.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ListTransactions golden frames', () => {
  it('ListTransactionsRequest v2: ongoing transactions older than a minute whose id matches a pattern (KIP-994, KIP-1152)', () => {
    // Bytes written by kafka-clients 4.1.1's ListTransactionsRequestData.
    const bytes = hexLayout(`
      02                      stateFilters.<count>: UNSIGNED_VARINT 1
      084f6e676f696e67        stateFilters[0]: COMPACT_STRING "Ongoing"
      01                      producerIdFilters.<count>: UNSIGNED_VARINT 0
      000000000000ea60        durationFilter: INT64 60000
      076170702d2e2a          transactionalIdPattern: COMPACT_NULLABLE_STRING "app-.*"
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      stateFilters: ['Ongoing'],
      producerIdFilters: [],
      durationFilter: 60000n,
      transactionalIdPattern: 'app-.*',
    };
    const codec = codecFor(ListTransactions.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ListTransactionsResponse v0: one transaction, one state filter the coordinator does not know', () => {
    // Bytes written by kafka-clients 4.1.1's ListTransactionsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      02                      unknownStateFilters.<count>: UNSIGNED_VARINT 1
      06426f677573            unknownStateFilters[0]: COMPACT_STRING "Bogus"
      02                      transactionStates.<count>: UNSIGNED_VARINT 1
      0261                    transactionStates[0].transactionalId: COMPACT_STRING "a"
      0000000000001000        transactionStates[0].producerId: INT64 4096
      084f6e676f696e67        transactionStates[0].transactionState: COMPACT_STRING "Ongoing"
      00                      transactionStates[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      unknownStateFilters: ['Bogus'],
      transactionStates: [
        {
          transactionalId: 'a',
          producerId: 4096n,
          transactionState: 'Ongoing',
        },
      ],
    };
    const codec = codecFor(ListTransactions.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
