// OffsetForLeaderEpoch (API key 23): "where did leader epoch N end?" A follower asks it before
// fetching after a leader change, so that it truncates its log to the point where it diverged
// instead of to the high watermark (KIP-101); a consumer asks it to detect log truncation after an
// unclean election (KIP-320).
//
// Why the versions exist: v1 returns the epoch of the end offset too (KIP-279); v2 adds the current
// leader epoch so that a stale leader is fenced (KIP-320), and throttle time to the response; v3
// adds replicaId, so that a leader can tell a follower from a consumer (-1) and a debug client (-2,
// the default, which may read beyond the high watermark); v4 goes flexible. Kafka 4.0 removed v0-1
// (KIP-896); kafka-clients 3.9.1 still carries them, and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const OffsetForLeaderEpoch = api({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: {
      replicaId: field.int32('3+', { default: -2, ignorable: true }),
      topics: field.array(
        '0+',
        struct('OffsetForLeaderTopic', {
          topic: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('OffsetForLeaderPartition', {
              partition: field.int32('0+'),
              currentLeaderEpoch: field.int32('2+', { default: -1, ignorable: true }),
              leaderEpoch: field.int32('0+'),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: {
      throttleTimeMs: field.int32('2+', { ignorable: true }),
      topics: field.array(
        '0+',
        struct('OffsetForLeaderTopicResult', {
          topic: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('EpochEndOffset', {
              errorCode: field.int16('0+'),
              partition: field.int32('0+'),
              leaderEpoch: field.int32('1+', { default: -1, ignorable: true }),
              endOffset: field.int64('0+', { default: -1n }),
            }),
          ),
        }),
      ),
    },
  },
});

export type OffsetForLeaderEpochRequest = MessageValue<typeof OffsetForLeaderEpoch.request>;
export type OffsetForLeaderEpochResponse = MessageValue<typeof OffsetForLeaderEpoch.response>;
