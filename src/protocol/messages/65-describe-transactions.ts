// DescribeTransactions (API key 65): asks a transaction coordinator for the state of transactional
// ids: producer id/epoch, state (Ongoing, PrepareCommit, …), timeout, start time and the partitions
// in the transaction. Added with KIP-664 (tooling for hanging transactions).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeTransactions = api({
  apiKey: 65,
  name: 'DescribeTransactions',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      transactionalIds: field.array('0+', types.string),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      transactionStates: field.array(
        '0+',
        struct('TransactionState', {
          errorCode: field.int16('0+'),
          transactionalId: field.string('0+'),
          transactionState: field.string('0+'),
          transactionTimeoutMs: field.int32('0+'),
          transactionStartTimeMs: field.int64('0+'),
          producerId: field.int64('0+'),
          producerEpoch: field.int16('0+'),
          topics: field.array(
            '0+',
            struct('TopicData', {
              topic: field.string('0+'),
              partitions: field.array('0+', types.int32),
            }),
          ),
        }),
      ),
    },
  },
});

export type DescribeTransactionsRequest = MessageValue<typeof DescribeTransactions.request>;
export type DescribeTransactionsResponse = MessageValue<typeof DescribeTransactions.response>;
