// DescribeProducers (API key 61): asks a partition leader for the producers with state in each
// partition (id, epoch, last sequence, and the start offset of an open transaction). Added with
// KIP-664 so that operators can find and abort hanging transactions (kafka-transactions.sh).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeProducers = api({
  apiKey: 61,
  name: 'DescribeProducers',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      topics: field.array(
        '0+',
        struct('TopicRequest', {
          name: field.string('0+'),
          partitionIndexes: field.array('0+', types.int32),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      topics: field.array(
        '0+',
        struct('TopicResponse', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionResponse', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
              activeProducers: field.array(
                '0+',
                struct('ProducerState', {
                  producerId: field.int64('0+'),
                  producerEpoch: field.int32('0+'),
                  lastSequence: field.int32('0+', { default: -1 }),
                  lastTimestamp: field.int64('0+', { default: -1n }),
                  coordinatorEpoch: field.int32('0+'),
                  currentTxnStartOffset: field.int64('0+', { default: -1n }),
                }),
              ),
            }),
          ),
        }),
      ),
    },
  },
});

export type DescribeProducersRequest = MessageValue<typeof DescribeProducers.request>;
export type DescribeProducersResponse = MessageValue<typeof DescribeProducers.response>;
