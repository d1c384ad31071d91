// DeleteRecords (API key 21): moves a partition's log start offset forward, deleting the records
// before the given offset (KIP-107; kafka-delete-records.sh, Admin.deleteRecords). The answer is the
// new low watermark. Sent to each partition's leader.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible (KIP-482).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DeleteRecords = api({
  apiKey: 21,
  name: 'DeleteRecords',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      topics: field.array(
        '0+',
        struct('DeleteRecordsTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('DeleteRecordsPartition', {
              partitionIndex: field.int32('0+'),
              offset: field.int64('0+'),
            }),
          ),
        }),
      ),
      timeoutMs: field.int32('0+'),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      topics: field.array(
        '0+',
        struct('DeleteRecordsTopicResult', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('DeleteRecordsPartitionResult', {
              partitionIndex: field.int32('0+'),
              lowWatermark: field.int64('0+'),
              errorCode: field.int16('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type DeleteRecordsRequest = MessageValue<typeof DeleteRecords.request>;
export type DeleteRecordsResponse = MessageValue<typeof DeleteRecords.response>;
