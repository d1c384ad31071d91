// UpdateMetadata (API key 6): in a ZooKeeper-mode cluster, the controller pushes the live brokers and
// partition states to every broker's metadata cache, which answers clients' Metadata requests.
// Removed in Kafka 4.0 with ZooKeeper (kafka-clients 4.1.1 keeps the key with no version); we declare
// 3.9.1's v0-8 so that ZooKeeper-era frames are still explained; nothing serves it.
//
// Why the versions exist: v1 gives each broker several endpoints; v2 adds the rack; v3 adds the
// listener name; v4 adds offline replicas (KIP-112); v5 adds the broker epoch and groups partitions by
// topic (KIP-380); v6 goes flexible; v7 adds topic ids (KIP-516); v8 adds the KRaft controller id and
// the request type, for the migration (KIP-866).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

const UpdateMetadataPartitionState = struct('UpdateMetadataPartitionState', {
  topicName: field.string('0-4', { ignorable: true }),
  partitionIndex: field.int32('0+'),
  controllerEpoch: field.int32('0+'),
  leader: field.int32('0+'),
  leaderEpoch: field.int32('0+'),
  isr: field.array('0+', types.int32),
  zkVersion: field.int32('0+'),
  replicas: field.array('0+', types.int32),
  offlineReplicas: field.array('4+', types.int32, { ignorable: true }),
});

export const UpdateMetadata = api({
  apiKey: 6,
  name: 'UpdateMetadata',
  request: {
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: {
      controllerId: field.int32('0+'),
      isKRaftController: field.bool('8+', { default: false }),
      type: field.int8('8+', { default: 0, taggedVersions: '8+', tag: 0 }),
      controllerEpoch: field.int32('0+'),
      brokerEpoch: field.int64('5+', { default: -1n, ignorable: true }),
      ungroupedPartitionStates: field.array('0-4', UpdateMetadataPartitionState),
      topicStates: field.array(
        '5+',
        struct('UpdateMetadataTopicState', {
          topicName: field.string('5+'),
          topicId: field.uuid('7+', { ignorable: true }),
          partitionStates: field.array('5+', UpdateMetadataPartitionState),
        }),
      ),
      liveBrokers: field.array(
        '0+',
        struct('UpdateMetadataBroker', {
          id: field.int32('0+'),
          v0Host: field.string('0', { ignorable: true }),
          v0Port: field.int32('0', { ignorable: true }),
          endpoints: field.array(
            '1+',
            struct('UpdateMetadataEndpoint', {
              port: field.int32('1+'),
              host: field.string('1+'),
              listener: field.string('3+', { ignorable: true }),
              securityProtocol: field.int16('1+'),
            }),
            { ignorable: true },
          ),
          rack: field.string('2+', { nullableVersions: '0+', ignorable: true }),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: {
      errorCode: field.int16('0+'),
    },
  },
});

export type UpdateMetadataRequest = MessageValue<typeof UpdateMetadata.request>;
export type UpdateMetadataResponse = MessageValue<typeof UpdateMetadata.response>;
