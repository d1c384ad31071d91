// ListTransactions (API key 66): lists the transactional ids a coordinator knows, filtered by state
// and producer id (KIP-664). Empty filters match everything.
//
// Why the versions exist: v1 adds durationFilter, transactions running longer than that many ms
// (KIP-994); v2 (Kafka 4.1; declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot)
// adds transactionalIdPattern, a regular expression on the id (KIP-1152), and may answer
// INVALID_REGULAR_EXPRESSION. The response's v1 and v2 have v0's bytes.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const ListTransactions = api({
  apiKey: 66,
  name: 'ListTransactions',
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      stateFilters: field.array('0+', types.string),
      producerIdFilters: field.array('0+', types.int64),
      durationFilter: field.int64('1+', { default: -1n }),
      transactionalIdPattern: field.string('2+', { nullableVersions: '2+', default: null }),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      unknownStateFilters: field.array('0+', types.string),
      transactionStates: field.array(
        '0+',
        struct('TransactionState', {
          transactionalId: field.string('0+'),
          producerId: field.int64('0+'),
          transactionState: field.string('0+'),
        }),
      ),
    },
  },
});

export type ListTransactionsRequest = MessageValue<typeof ListTransactions.request>;
export type ListTransactionsResponse = MessageValue<typeof ListTransactions.response>;
