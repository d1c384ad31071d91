// StopReplica (API key 5): in a ZooKeeper-mode cluster, the controller tells a broker to stop
// replicating partitions, and optionally to delete them (topic deletion, reassignment). Removed in
// Kafka 4.0 with ZooKeeper (kafka-clients 4.1.1 keeps the key with no version); we declare 3.9.1's
// v0-4 so that ZooKeeper-era frames are still explained; nothing serves it.
//
// Why the versions exist: v1 adds the broker epoch and groups partitions by topic (KIP-380); v2 goes
// flexible; v3 sends each partition's leader epoch and deletion flag, and may answer
// FENCED_LEADER_EPOCH (KIP-570); v4 adds the KRaft controller id, for the migration (KIP-866).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const StopReplica = api({
  apiKey: 5,
  name: 'StopReplica',
  request: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: {
      controllerId: field.int32('0+'),
      isKRaftController: field.bool('4+', { default: false }),
      controllerEpoch: field.int32('0+'),
      brokerEpoch: field.int64('1+', { default: -1n, ignorable: true }),
      deletePartitions: field.bool('0-2'),
      ungroupedPartitions: field.array(
        '0',
        struct('StopReplicaPartitionV0', {
          topicName: field.string('0'),
          partitionIndex: field.int32('0'),
        }),
      ),
      topics: field.array(
        '1-2',
        struct('StopReplicaTopicV1', {
          name: field.string('1-2'),
          partitionIndexes: field.array('1-2', types.int32),
        }),
      ),
      topicStates: field.array(
        '3+',
        struct('StopReplicaTopicState', {
          topicName: field.string('3+'),
          partitionStates: field.array(
            '3+',
            struct('StopReplicaPartitionState', {
              partitionIndex: field.int32('3+'),
              leaderEpoch: field.int32('3+', { default: -1 }),
              deletePartition: field.bool('3+'),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: {
      errorCode: field.int16('0+'),
      partitionErrors: field.array(
        '0+',
        struct('StopReplicaPartitionError', {
          topicName: field.string('0+'),
          partitionIndex: field.int32('0+'),
          errorCode: field.int16('0+'),
        }),
      ),
    },
  },
});

export type StopReplicaRequest = MessageValue<typeof StopReplica.request>;
export type StopReplicaResponse = MessageValue<typeof StopReplica.response>;
