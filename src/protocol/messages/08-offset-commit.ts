// OffsetCommit (API key 8): a consumer stores its position in each partition with the group
// coordinator (in the __consumer_offsets topic), so that it or another member resumes from there.
//
// Why the versions exist: v1 adds the member's generation and id so the coordinator can reject
// commits from members that were rebalanced away, plus a per-partition commit timestamp; v2 replaces
// that timestamp with a request-wide retention time. v3 and v4 only change the response (throttle
// time, then throttling after the response). v5 drops the retention time, now a broker setting
// (KIP-211). v6 stores the leader epoch with the offset (KIP-320); v7 adds the static member's
// instance id (KIP-345); v8 goes flexible. v9 is the first version the KIP-848 consumer group
// protocol may use, where the generation field carries the member epoch instead.
//
// Kafka 4.0 removed v0-1 (KIP-896); kafka-clients 3.9.1 still carries them, and so do we. Kafka 4.1.1
// has a v10 that names topics by id instead of name (KIP-848), but still marks it
// latestVersionUnstable (its brokers do not offer it unless unstable.api.versions.enable), so it is
// not declared here. From that v10, 4.1.1 marks `name` ignorable in request and response; we follow,
// which changes nothing on the wire at v0-9, where the field is always present.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const OffsetCommit = api({
  apiKey: 8,
  name: 'OffsetCommit',
  request: {
    validVersions: '0-9',
    flexibleVersions: '8+',
    fields: {
      groupId: field.string('0+'),
      generationIdOrMemberEpoch: field.int32('1+', { default: -1, ignorable: true }),
      memberId: field.string('1+', { ignorable: true }),
      groupInstanceId: field.string('7+', { nullableVersions: '7+', default: null }),
      // -1 = keep for the broker's configured retention.
      retentionTimeMs: field.int64('2-4', { default: -1n, ignorable: true }),
      topics: field.array(
        '0+',
        struct('OffsetCommitRequestTopic', {
          name: field.string('0+', { ignorable: true }),
          partitions: field.array(
            '0+',
            struct('OffsetCommitRequestPartition', {
              partitionIndex: field.int32('0+'),
              committedOffset: field.int64('0+'),
              committedLeaderEpoch: field.int32('6+', { default: -1, ignorable: true }),
              // Only v1 has it: v2 replaced it with the request-wide retention time.
              commitTimestamp: field.int64('1', { default: -1n }),
              committedMetadata: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-9',
    flexibleVersions: '8+',
    fields: {
      throttleTimeMs: field.int32('3+', { ignorable: true }),
      topics: field.array(
        '0+',
        struct('OffsetCommitResponseTopic', {
          name: field.string('0+', { ignorable: true }),
          partitions: field.array(
            '0+',
            struct('OffsetCommitResponsePartition', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type OffsetCommitRequest = MessageValue<typeof OffsetCommit.request>;
export type OffsetCommitResponse = MessageValue<typeof OffsetCommit.response>;
