// BeginQuorumEpoch (API key 53): a newly elected KRaft leader tells the voters that it leads the new
// epoch (KIP-595). Controller to controller only.
//
// Why the versions exist: v1 goes flexible and adds the voter's id and directory id and the leader's
// listener endpoints, for dynamic quorums (KIP-853).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const BeginQuorumEpoch = api({
  apiKey: 53,
  name: 'BeginQuorumEpoch',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      clusterId: field.string('0+', { nullableVersions: '0+', default: null }),
      voterId: field.int32('1+', { default: -1, ignorable: true }),
      topics: field.array(
        '0+',
        struct('TopicData', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              voterDirectoryId: field.uuid('1+', { ignorable: true }),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
            }),
          ),
        }),
      ),
      leaderEndpoints: field.array(
        '1+',
        struct('LeaderEndpoint', {
          name: field.string('1+'),
          host: field.string('1+'),
          port: field.uint16('1+'),
        }),
        { ignorable: true },
      ),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      errorCode: field.int16('0+'),
      topics: field.array(
        '0+',
        struct('TopicData', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
            }),
          ),
        }),
      ),
      nodeEndpoints: field.array(
        '1+',
        struct('NodeEndpoint', {
          nodeId: field.int32('1+'),
          host: field.string('1+'),
          port: field.uint16('1+'),
        }),
        { taggedVersions: '1+', tag: 0 },
      ),
    },
  },
});

export type BeginQuorumEpochRequest = MessageValue<typeof BeginQuorumEpoch.request>;
export type BeginQuorumEpochResponse = MessageValue<typeof BeginQuorumEpoch.response>;
