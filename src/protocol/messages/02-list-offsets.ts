// ListOffsets (API key 2): looks up an offset by timestamp in each partition, or one of the special
// points -1 (latest), -2 (earliest) and the newer ones added below. Consumers use it to reset their
// position and to measure lag.
//
// Why the versions exist: v0 could return several offsets per partition (maxNumOffsets); v1 keeps a
// single offset and returns its timestamp too (KIP-79). v2 adds the isolation level so
// read_committed consumers see the last stable offset (KIP-98). v4 fences stale leaders with the
// current leader epoch (KIP-320); v5 can answer OFFSET_NOT_AVAILABLE; v6 goes flexible. v7 adds
// timestamp -3, the offset of the record with the largest timestamp (KIP-734); v8 adds -4, the
// local-log start offset under tiered storage (KIP-405); v9 adds -5, the last tiered offset
// (KIP-1005); v10 adds a timeout for lookups that must read remote storage (KIP-1075).
// Version 0 is deprecated by Kafka.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const ListOffsets = api({
  apiKey: 2,
  name: 'ListOffsets',
  request: {
    validVersions: '0-10',
    flexibleVersions: '6+',
    fields: {
      // -1 for consumers.
      replicaId: field.int32('0+'),
      // 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED.
      isolationLevel: field.int8('2+'),
      topics: field.array(
        '0+',
        struct('ListOffsetsTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('ListOffsetsPartition', {
              partitionIndex: field.int32('0+'),
              currentLeaderEpoch: field.int32('4+', { default: -1, ignorable: true }),
              // A timestamp in ms, or -1 latest, -2 earliest, -3 max timestamp, -4 local start, -5 last tiered.
              timestamp: field.int64('0+'),
              maxNumOffsets: field.int32('0', { default: 1 }),
            }),
          ),
        }),
      ),
      timeoutMs: field.int32('10+', { ignorable: true }),
    },
  },
  response: {
    validVersions: '0-10',
    flexibleVersions: '6+',
    fields: {
      throttleTimeMs: field.int32('2+', { ignorable: true }),
      topics: field.array(
        '0+',
        struct('ListOffsetsTopicResponse', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('ListOffsetsPartitionResponse', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              oldStyleOffsets: field.array('0', types.int64, { ignorable: false }),
              timestamp: field.int64('1+', { default: -1n, ignorable: false }),
              offset: field.int64('1+', { default: -1n, ignorable: false }),
              leaderEpoch: field.int32('4+', { default: -1 }),
            }),
          ),
        }),
      ),
    },
  },
});

export type ListOffsetsRequest = MessageValue<typeof ListOffsets.request>;
export type ListOffsetsResponse = MessageValue<typeof ListOffsets.response>;
