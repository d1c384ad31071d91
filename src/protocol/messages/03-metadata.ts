// Metadata (API key 3): the brokers of the cluster, the topics, and which broker leads each partition.
// The host/port a client connects to next come from here: a broker's advertised.listeners.
//
// v13 (Kafka 4.0, KIP-1102; declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot)
// adds a top-level errorCode to the response, so that a broker or a proxy can tell the client
// REBOOTSTRAP_REQUIRED (129): forget the brokers you know and start over from bootstrap.servers. The
// request's v13 has v12's bytes. Kafka's own 4.x tools send v13.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const Metadata = api({
  apiKey: 3,
  name: 'Metadata',
  request: {
    validVersions: '0-13',
    flexibleVersions: '9+',
    fields: {
      // null (v1+) asks for every topic; v0 used an empty array for that.
      topics: field.array(
        '0+',
        struct('MetadataRequestTopic', {
          topicId: field.uuid('10+', { ignorable: true }),
          name: field.string('0+', { nullableVersions: '10+' }),
        }),
        { nullableVersions: '1+' },
      ),
      allowAutoTopicCreation: field.bool('4+', { default: true, ignorable: false }),
      includeClusterAuthorizedOperations: field.bool('8-10'),
      includeTopicAuthorizedOperations: field.bool('8+'),
    },
  },
  response: {
    validVersions: '0-13',
    flexibleVersions: '9+',
    fields: {
      throttleTimeMs: field.int32('3+', { ignorable: true }),
      brokers: field.array(
        '0+',
        struct('MetadataResponseBroker', {
          nodeId: field.int32('0+'),
          host: field.string('0+'),
          port: field.int32('0+'),
          rack: field.string('1+', { nullableVersions: '1+', ignorable: true, default: null }),
        }),
      ),
      clusterId: field.string('2+', { nullableVersions: '2+', ignorable: true, default: null }),
      controllerId: field.int32('1+', { default: -1, ignorable: true }),
      topics: field.array(
        '0+',
        struct('MetadataResponseTopic', {
          errorCode: field.int16('0+'),
          name: field.string('0+', { nullableVersions: '12+' }),
          topicId: field.uuid('10+', { ignorable: true }),
          isInternal: field.bool('1+', { default: false, ignorable: true }),
          partitions: field.array(
            '0+',
            struct('MetadataResponsePartition', {
              errorCode: field.int16('0+'),
              partitionIndex: field.int32('0+'),
              leaderId: field.int32('0+'),
              leaderEpoch: field.int32('7+', { default: -1, ignorable: true }),
              replicaNodes: field.array('0+', types.int32),
              isrNodes: field.array('0+', types.int32),
              offlineReplicas: field.array('5+', types.int32, { ignorable: true }),
            }),
          ),
          topicAuthorizedOperations: field.int32('8+', { default: -2147483648 }),
        }),
      ),
      // KIP-700 moved cluster operations to DescribeCluster, hence 8-10 only.
      clusterAuthorizedOperations: field.int32('8-10', { default: -2147483648 }),
      // KIP-1102: 0, or REBOOTSTRAP_REQUIRED (129): reconnect via bootstrap.servers.
      errorCode: field.int16('13+', { ignorable: true }),
    },
  },
});

export type MetadataRequest = MessageValue<typeof Metadata.request>;
export type MetadataResponse = MessageValue<typeof Metadata.response>;
