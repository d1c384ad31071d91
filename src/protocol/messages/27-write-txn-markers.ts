// WriteTxnMarkers (API key 27): the transaction coordinator asks each partition leader to append a
// COMMIT or ABORT control record (transactionResult: true = commit) for a producer's transaction
// (KIP-98). Broker to broker only; clients never send it.
//
// v1 is flexible and otherwise v0's bytes. Kafka 4.0 removed v0 (KIP-896); kafka-clients 3.9.1 still
// carries it, and so do we.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const WriteTxnMarkers = api({
  apiKey: 27,
  name: 'WriteTxnMarkers',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      markers: field.array(
        '0+',
        struct('WritableTxnMarker', {
          producerId: field.int64('0+'),
          producerEpoch: field.int16('0+'),
          transactionResult: field.bool('0+'),
          topics: field.array(
            '0+',
            struct('WritableTxnMarkerTopic', {
              name: field.string('0+'),
              partitionIndexes: field.array('0+', types.int32),
            }),
          ),
          coordinatorEpoch: field.int32('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      markers: field.array(
        '0+',
        struct('WritableTxnMarkerResult', {
          producerId: field.int64('0+'),
          topics: field.array(
            '0+',
            struct('WritableTxnMarkerTopicResult', {
              name: field.string('0+'),
              partitions: field.array(
                '0+',
                struct('WritableTxnMarkerPartitionResult', {
                  partitionIndex: field.int32('0+'),
                  errorCode: field.int16('0+'),
                }),
              ),
            }),
          ),
        }),
      ),
    },
  },
});

export type WriteTxnMarkersRequest = MessageValue<typeof WriteTxnMarkers.request>;
export type WriteTxnMarkersResponse = MessageValue<typeof WriteTxnMarkers.response>;
