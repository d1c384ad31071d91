// DescribeQuorum (API key 55): the state of the KRaft metadata quorum: leader, epoch, high watermark
// and each voter's and observer's log end offset (KIP-595; kafka-metadata-quorum.sh).
//
// Why the versions exist: v1 adds each replica's last fetch and last caught-up timestamps
// (KIP-836); v2 adds the voters' endpoints (nodes), error messages and each replica's directory id,
// for dynamic quorums (KIP-853). The request's bytes are the same at every version.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

const ReplicaState = struct('ReplicaState', {
  replicaId: field.int32('0+'),
  replicaDirectoryId: field.uuid('2+'),
  logEndOffset: field.int64('0+'),
  lastFetchTimestamp: field.int64('1+', { default: -1n, ignorable: true }),
  lastCaughtUpTimestamp: field.int64('1+', { default: -1n, ignorable: true }),
});

export const DescribeQuorum = api({
  apiKey: 55,
  name: 'DescribeQuorum',
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      topics: field.array(
        '0+',
        struct('TopicData', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      errorCode: field.int16('0+'),
      errorMessage: field.string('2+', { nullableVersions: '2+', ignorable: true }),
      topics: field.array(
        '0+',
        struct('TopicData', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('2+', { nullableVersions: '2+', ignorable: true }),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('0+'),
              highWatermark: field.int64('0+'),
              currentVoters: field.array('0+', ReplicaState),
              observers: field.array('0+', ReplicaState),
            }),
          ),
        }),
      ),
      nodes: field.array(
        '2+',
        struct('Node', {
          nodeId: field.int32('2+'),
          listeners: field.array(
            '2+',
            struct('Listener', {
              name: field.string('2+'),
              host: field.string('2+'),
              port: field.uint16('2+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type DescribeQuorumRequest = MessageValue<typeof DescribeQuorum.request>;
export type DescribeQuorumResponse = MessageValue<typeof DescribeQuorum.response>;
