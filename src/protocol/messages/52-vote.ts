// Vote (API key 52): a KRaft candidate asks the other voters of the metadata quorum for their vote in
// a new epoch, offering its last log offset and epoch so that only an up-to-date replica wins
// (KIP-595, Kafka's Raft). Controller to controller only.
//
// Why the versions exist: v1 identifies voters by id and directory id, and returns the leader's
// endpoints in a tagged field, for dynamic quorums (KIP-853). v2 (Kafka 4.0; declared from
// kafka-clients 4.1.1, not in the late-2024 spec snapshot) adds preVote: a replica first asks whether
// it could win before bumping the epoch, so that a partitioned voter cannot disrupt a healthy leader
// (KIP-996); the candidate fields are renamed replica* then. The response's v2 has v1's bytes.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const Vote = api({
  apiKey: 52,
  name: 'Vote',
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
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
              replicaEpoch: field.int32('0+'),
              replicaId: field.int32('0+'),
              replicaDirectoryId: field.uuid('1+', { ignorable: true }),
              voterDirectoryId: field.uuid('1+', { ignorable: true }),
              lastOffsetEpoch: field.int32('0+'),
              lastOffset: field.int64('0+'),
              preVote: field.bool('2+'),
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
              voteGranted: field.bool('0+'),
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

export type VoteRequest = MessageValue<typeof Vote.request>;
export type VoteResponse = MessageValue<typeof Vote.response>;
