// ShareFetch (API key 78): KIP-932's Fetch for share groups. A member fetches records that the
// partition leader then holds for it under an acquisition lock (acquiredRecords, each with its delivery
// count), and in the same request acknowledges what it processed earlier (acknowledgementBatches: per
// offset range, one type per offset or one for the range — 0 gap, 1 accept, 2 release, 3 reject).
// Share sessions (shareSessionEpoch) play the part of fetch sessions. v1 (Kafka 4.1) is the first
// version Kafka supports: against the early-access v0 (unstable in kafka-clients 3.9.1) it adds
// maxRecords and batchSize to the request and acquisitionLockTimeoutMs to the response, and drops the
// per-partition partitionMaxBytes (v0 only), so v0 is not declared. Flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

const AcknowledgementBatch = struct('AcknowledgementBatch', {
  firstOffset: field.int64('0+'),
  lastOffset: field.int64('0+'),
  acknowledgeTypes: field.array('0+', types.int8),
});

export const ShareFetch = api({
  apiKey: 78,
  name: 'ShareFetch',
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+', { nullableVersions: '0+', default: null }),
      memberId: field.string('0+', { nullableVersions: '0+' }),
      // 0 opens a share session, -1 closes it; otherwise the next epoch of the open one.
      shareSessionEpoch: field.int32('0+'),
      maxWaitMs: field.int32('0+'),
      minBytes: field.int32('0+'),
      maxBytes: field.int32('0+', { default: 0x7fffffff }),
      maxRecords: field.int32('1+'),
      batchSize: field.int32('1+'),
      topics: field.array(
        '0+',
        struct('FetchTopic', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('FetchPartition', {
              partitionIndex: field.int32('0+'),
              acknowledgementBatches: field.array('0+', AcknowledgementBatch),
            }),
          ),
        }),
      ),
      // Partitions to drop from the share session.
      forgottenTopicsData: field.array(
        '0+',
        struct('ForgottenTopic', {
          topicId: field.uuid('0+'),
          partitions: field.array('0+', types.int32),
        }),
      ),
    },
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
      acquisitionLockTimeoutMs: field.int32('1+'),
      responses: field.array(
        '0+',
        struct('ShareFetchableTopicResponse', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
              // The outcome of the acknowledgements this request carried for the partition.
              acknowledgeErrorCode: field.int16('0+'),
              acknowledgeErrorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
              currentLeader: field.struct(
                '0+',
                struct('LeaderIdAndEpoch', {
                  leaderId: field.int32('0+'),
                  leaderEpoch: field.int32('0+'),
                }),
              ),
              // Nullable only at the undeclared v0.
              records: field.records('0+'),
              acquiredRecords: field.array(
                '0+',
                struct('AcquiredRecords', {
                  firstOffset: field.int64('0+'),
                  lastOffset: field.int64('0+'),
                  deliveryCount: field.int16('0+'),
                }),
              ),
            }),
          ),
        }),
      ),
      // Where the current leaders named above can be reached.
      nodeEndpoints: field.array(
        '0+',
        struct('NodeEndpoint', {
          nodeId: field.int32('0+'),
          host: field.string('0+'),
          port: field.int32('0+'),
          rack: field.string('0+', { nullableVersions: '0+', default: null }),
        }),
      ),
    },
  },
});

export type ShareFetchRequest = MessageValue<typeof ShareFetch.request>;
export type ShareFetchResponse = MessageValue<typeof ShareFetch.response>;
