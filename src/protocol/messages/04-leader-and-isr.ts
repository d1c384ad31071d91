// LeaderAndIsr (API key 4): in a ZooKeeper-mode cluster, the controller tells brokers which replicas
// they hold and who leads each partition with which ISR. KRaft brokers learn this from the metadata
// log instead, so Kafka 4.0 removed the API: kafka-clients 4.1.1 keeps the key in ApiKeys with no
// version. We declare 3.9.1's v0-7 so that a frame captured between ZooKeeper-era brokers (a 3.x
// cluster, or one being migrated to KRaft) is still explained; nothing serves it.
//
// Why the versions exist: v1 adds isNew; v2 adds the broker epoch and groups partitions by topic
// (KIP-380); v3 adds adding/removing replicas of a reassignment (KIP-455); v4 goes flexible; v5 adds
// topic ids and the request type, and the response groups partitions by topic id (KIP-516); v6 adds
// the leader recovery state (KIP-704); v7 adds the KRaft controller id, for the migration (KIP-866).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

const LeaderAndIsrPartitionState = struct('LeaderAndIsrPartitionState', {
  topicName: field.string('0-1', { ignorable: true }),
  partitionIndex: field.int32('0+'),
  controllerEpoch: field.int32('0+'),
  leader: field.int32('0+'),
  leaderEpoch: field.int32('0+'),
  isr: field.array('0+', types.int32),
  partitionEpoch: field.int32('0+'),
  replicas: field.array('0+', types.int32),
  addingReplicas: field.array('3+', types.int32, { ignorable: true }),
  removingReplicas: field.array('3+', types.int32, { ignorable: true }),
  isNew: field.bool('1+', { default: false, ignorable: true }),
  leaderRecoveryState: field.int8('6+', { default: 0 }),
});

const LeaderAndIsrPartitionError = struct('LeaderAndIsrPartitionError', {
  topicName: field.string('0-4', { ignorable: true }),
  partitionIndex: field.int32('0+'),
  errorCode: field.int16('0+'),
});

export const LeaderAndIsr = api({
  apiKey: 4,
  name: 'LeaderAndIsr',
  request: {
    validVersions: '0-7',
    flexibleVersions: '4+',
    fields: {
      controllerId: field.int32('0+'),
      isKRaftController: field.bool('7+', { default: false }),
      controllerEpoch: field.int32('0+'),
      brokerEpoch: field.int64('2+', { default: -1n, ignorable: true }),
      type: field.int8('5+'),
      ungroupedPartitionStates: field.array('0-1', LeaderAndIsrPartitionState),
      topicStates: field.array(
        '2+',
        struct('LeaderAndIsrTopicState', {
          topicName: field.string('2+'),
          topicId: field.uuid('5+', { ignorable: true }),
          partitionStates: field.array('2+', LeaderAndIsrPartitionState),
        }),
      ),
      liveLeaders: field.array(
        '0+',
        struct('LeaderAndIsrLiveLeader', {
          brokerId: field.int32('0+'),
          hostName: field.string('0+'),
          port: field.int32('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-7',
    flexibleVersions: '4+',
    fields: {
      errorCode: field.int16('0+'),
      partitionErrors: field.array('0-4', LeaderAndIsrPartitionError),
      topics: field.array(
        '5+',
        struct('LeaderAndIsrTopicError', {
          topicId: field.uuid('5+'),
          partitionErrors: field.array('5+', LeaderAndIsrPartitionError),
        }),
      ),
    },
  },
});

export type LeaderAndIsrRequest = MessageValue<typeof LeaderAndIsr.request>;
export type LeaderAndIsrResponse = MessageValue<typeof LeaderAndIsr.response>;
