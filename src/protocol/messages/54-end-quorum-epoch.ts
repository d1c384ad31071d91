// EndQuorumEpoch (API key 54): a KRaft leader that is resigning (shutting down) asks the voters to
// start an election at once rather than wait for the fetch timeout, naming the successors it prefers
// (KIP-595). Controller to controller only.
//
// Why the versions exist: v1 goes flexible, names preferred candidates by id and directory id
// instead of bare ids, and adds the leader's endpoints (KIP-853).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const EndQuorumEpoch = api({
  apiKey: 54,
  name: 'EndQuorumEpoch',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      clusterId: field.string('0+', { nullableVersions: '0+', default: null }),
      topics: field.array(
        '0+',
        struct('TopicData', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
              preferredSuccessors: field.array('0', types.int32, { ignorable: true }),
              preferredCandidates: field.array(
                '1+',
                struct('ReplicaInfo', {
                  candidateId: field.int32('1+'),
                  candidateDirectoryId: field.uuid('1+'),
                }),
                { ignorable: true },
              ),
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

export type EndQuorumEpochRequest = MessageValue<typeof EndQuorumEpoch.request>;
export type EndQuorumEpochResponse = MessageValue<typeof EndQuorumEpoch.response>;
