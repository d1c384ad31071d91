// ShareAcknowledge (API key 79): KIP-932. Acknowledges records a share-group member fetched, without
// fetching more (ShareFetch can carry acknowledgements too); used when the member has nothing more to
// fetch from that leader, or is closing its share session (shareSessionEpoch -1). Acknowledge types:
// 0 gap, 1 accept, 2 release (deliver again), 3 reject. v1 (Kafka 4.1) is the first version Kafka
// supports; the early-access v0 (unstable in kafka-clients 3.9.1) is gone from 4.1 and not declared.
// Flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

const LeaderIdAndEpoch = struct('LeaderIdAndEpoch', {
  leaderId: field.int32('0+'),
  leaderEpoch: field.int32('0+'),
});

export const ShareAcknowledge = api({
  apiKey: 79,
  name: 'ShareAcknowledge',
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+', { nullableVersions: '0+', default: null }),
      memberId: field.string('0+', { nullableVersions: '0+' }),
      shareSessionEpoch: field.int32('0+'),
      topics: field.array(
        '0+',
        struct('AcknowledgeTopic', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('AcknowledgePartition', {
              partitionIndex: field.int32('0+'),
              acknowledgementBatches: field.array(
                '0+',
                struct('AcknowledgementBatch', {
                  firstOffset: field.int64('0+'),
                  lastOffset: field.int64('0+'),
                  acknowledgeTypes: field.array('0+', types.int8),
                }),
              ),
            }),
          ),
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
      responses: field.array(
        '0+',
        struct('ShareAcknowledgeTopicResponse', {
          topicId: field.uuid('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
              currentLeader: field.struct('0+', LeaderIdAndEpoch),
            }),
          ),
        }),
      ),
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

export type ShareAcknowledgeRequest = MessageValue<typeof ShareAcknowledge.request>;
export type ShareAcknowledgeResponse = MessageValue<typeof ShareAcknowledge.response>;
