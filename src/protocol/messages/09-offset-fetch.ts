// OffsetFetch (API key 9): reads the offsets a group has committed, so a consumer knows where to
// start after joining a group.
//
// Why the versions exist: v0 read offsets kept in ZooKeeper, v1 those in the __consumer_offsets
// topic. v2 lets a null topic list mean "every topic" and adds a group-level error code (KIP-88).
// v3 adds throttle time, v4 throttles after responding, v5 returns the leader epoch of each offset
// (KIP-320). v6 goes flexible; v7 adds requireStable, asking the broker to answer
// UNSTABLE_OFFSET_COMMIT while a transactional commit is pending (KIP-447). v8 fetches for several
// groups in one request (KIP-709), which moves everything into a per-group array. v9 carries the
// member id and epoch for the KIP-848 consumer group protocol.
//
// Kafka 4.0 removed v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we. Kafka 4.1.1 has
// a v10 that names topics by id instead of name (KIP-848), but still marks it latestVersionUnstable
// (its brokers do not offer it unless unstable.api.versions.enable), so it is not declared here. From
// that v10, 4.1.1 marks the per-group topics' `name` ignorable in request and response; we follow,
// which changes nothing on the wire at v8-9, where the field is always present.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const OffsetFetch = api({
  apiKey: 9,
  name: 'OffsetFetch',
  request: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: {
      groupId: field.string('0-7'),
      topics: field.array(
        '0-7',
        struct('OffsetFetchRequestTopic', {
          name: field.string('0-7'),
          partitionIndexes: field.array('0-7', types.int32),
        }),
        { nullableVersions: '2-7' },
      ),
      groups: field.array(
        '8+',
        struct('OffsetFetchRequestGroup', {
          groupId: field.string('8+'),
          memberId: field.string('9+', { nullableVersions: '9+', default: null, ignorable: true }),
          memberEpoch: field.int32('9+', { default: -1, ignorable: true }),
          // null = every topic the group has offsets for.
          topics: field.array(
            '8+',
            struct('OffsetFetchRequestTopics', {
              name: field.string('8+', { ignorable: true }),
              partitionIndexes: field.array('8+', types.int32),
            }),
            { nullableVersions: '8+' },
          ),
        }),
      ),
      requireStable: field.bool('7+', { default: false }),
    },
  },
  response: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: {
      throttleTimeMs: field.int32('3+', { ignorable: true }),
      topics: field.array(
        '0-7',
        struct('OffsetFetchResponseTopic', {
          name: field.string('0-7'),
          partitions: field.array(
            '0-7',
            struct('OffsetFetchResponsePartition', {
              partitionIndex: field.int32('0-7'),
              // -1 when the group has no offset for the partition.
              committedOffset: field.int64('0-7'),
              committedLeaderEpoch: field.int32('5-7', { default: -1, ignorable: true }),
              metadata: field.string('0-7', { nullableVersions: '0-7' }),
              errorCode: field.int16('0-7'),
            }),
          ),
        }),
      ),
      errorCode: field.int16('2-7', { default: 0, ignorable: true }),
      groups: field.array(
        '8+',
        struct('OffsetFetchResponseGroup', {
          groupId: field.string('8+'),
          topics: field.array(
            '8+',
            struct('OffsetFetchResponseTopics', {
              name: field.string('8+', { ignorable: true }),
              partitions: field.array(
                '8+',
                struct('OffsetFetchResponsePartitions', {
                  partitionIndex: field.int32('8+'),
                  committedOffset: field.int64('8+'),
                  committedLeaderEpoch: field.int32('8+', { default: -1, ignorable: true }),
                  metadata: field.string('8+', { nullableVersions: '8+' }),
                  errorCode: field.int16('8+'),
                }),
              ),
            }),
          ),
          errorCode: field.int16('8+', { default: 0 }),
        }),
      ),
    },
  },
});

export type OffsetFetchRequest = MessageValue<typeof OffsetFetch.request>;
export type OffsetFetchResponse = MessageValue<typeof OffsetFetch.response>;
