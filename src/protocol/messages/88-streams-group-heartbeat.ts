// StreamsGroupHeartbeat (API key 88): KIP-1071, the Kafka Streams rebalance protocol. Like KIP-848's
// ConsumerGroupHeartbeat, one request joins (memberEpoch 0), keeps alive and leaves (-1) a streams
// group, but the broker assigns tasks (subtopology + partition) rather than partitions: the first
// member sends the application's topology (its source, changelog and repartition topics, which the
// broker may create), each member reports its task offsets for lag-aware placement, and the answer
// carries active, standby and warm-up tasks plus, per endpoint, which partitions each instance holds
// (for interactive queries). Most request fields are null when unchanged since the last heartbeat.
// Only v0 exists, and kafka-clients 4.1.1 still marks it unstable (streams groups are early access in
// Kafka 4.1: brokers serve it only with unstable API versions enabled); it is declared anyway, as the
// API's only version, so that such frames can be decoded and explained. Flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

// The request's and response's commonStructs.
const KeyValue = struct('KeyValue', {
  key: field.string('0+'),
  value: field.string('0+'),
});

const TopicInfo = struct('TopicInfo', {
  name: field.string('0+'),
  // 0 = let the broker decide (the source topics' partition count, broker default replication).
  partitions: field.int32('0+'),
  replicationFactor: field.int16('0+'),
  topicConfigs: field.array('0+', KeyValue),
});

const Endpoint = struct('Endpoint', {
  host: field.string('0+'),
  port: field.uint16('0+'),
});

const TaskOffset = struct('TaskOffset', {
  subtopologyId: field.string('0+'),
  partition: field.int32('0+'),
  offset: field.int64('0+'),
});

const TaskIds = struct('TaskIds', {
  subtopologyId: field.string('0+'),
  partitions: field.array('0+', types.int32),
});

const TopicPartition = struct('TopicPartition', {
  topic: field.string('0+'),
  partitions: field.array('0+', types.int32),
});

export const StreamsGroupHeartbeat = api({
  apiKey: 88,
  name: 'StreamsGroupHeartbeat',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      memberId: field.string('0+'),
      memberEpoch: field.int32('0+'),
      // The epoch of the endpoint-to-partitions map the member last received.
      endpointInformationEpoch: field.int32('0+'),
      instanceId: field.string('0+', { nullableVersions: '0+', default: null }),
      rackId: field.string('0+', { nullableVersions: '0+', default: null }),
      rebalanceTimeoutMs: field.int32('0+', { default: -1 }),
      topology: field.struct(
        '0+',
        struct('Topology', {
          epoch: field.int32('0+'),
          subtopologies: field.array(
            '0+',
            struct('Subtopology', {
              subtopologyId: field.string('0+'),
              sourceTopics: field.array('0+', types.string),
              sourceTopicRegex: field.array('0+', types.string),
              stateChangelogTopics: field.array('0+', TopicInfo),
              repartitionSinkTopics: field.array('0+', types.string),
              repartitionSourceTopics: field.array('0+', TopicInfo),
              // Groups of topics that must have the same partition count; indexes into the lists above.
              copartitionGroups: field.array(
                '0+',
                struct('CopartitionGroup', {
                  sourceTopics: field.array('0+', types.int16),
                  sourceTopicRegex: field.array('0+', types.int16),
                  repartitionSourceTopics: field.array('0+', types.int16),
                }),
              ),
            }),
          ),
        }),
        { nullableVersions: '0+', default: null },
      ),
      activeTasks: field.array('0+', TaskIds, { nullableVersions: '0+', default: null }),
      standbyTasks: field.array('0+', TaskIds, { nullableVersions: '0+', default: null }),
      warmupTasks: field.array('0+', TaskIds, { nullableVersions: '0+', default: null }),
      processId: field.string('0+', { nullableVersions: '0+', default: null }),
      userEndpoint: field.struct('0+', Endpoint, { nullableVersions: '0+', default: null }),
      clientTags: field.array('0+', KeyValue, { nullableVersions: '0+', default: null }),
      taskOffsets: field.array('0+', TaskOffset, { nullableVersions: '0+', default: null }),
      taskEndOffsets: field.array('0+', TaskOffset, { nullableVersions: '0+', default: null }),
      shutdownApplication: field.bool('0+', { default: false }),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
      memberId: field.string('0+'),
      memberEpoch: field.int32('0+'),
      heartbeatIntervalMs: field.int32('0+'),
      acceptableRecoveryLag: field.int32('0+'),
      taskOffsetIntervalMs: field.int32('0+'),
      // Conditions the whole group is in (say, missing source topics), with a code and a detail text.
      status: field.array(
        '0+',
        struct('Status', {
          statusCode: field.int8('0+'),
          statusDetail: field.string('0+'),
        }),
        { nullableVersions: '0+', default: null },
      ),
      activeTasks: field.array('0+', TaskIds, { nullableVersions: '0+', default: null }),
      standbyTasks: field.array('0+', TaskIds, { nullableVersions: '0+', default: null }),
      warmupTasks: field.array('0+', TaskIds, { nullableVersions: '0+', default: null }),
      endpointInformationEpoch: field.int32('0+'),
      partitionsByUserEndpoint: field.array(
        '0+',
        struct('EndpointToPartitions', {
          userEndpoint: field.struct('0+', Endpoint),
          activePartitions: field.array('0+', TopicPartition),
          standbyPartitions: field.array('0+', TopicPartition),
        }),
        { nullableVersions: '0+', default: null },
      ),
    },
  },
});

export type StreamsGroupHeartbeatRequest = MessageValue<typeof StreamsGroupHeartbeat.request>;
export type StreamsGroupHeartbeatResponse = MessageValue<typeof StreamsGroupHeartbeat.response>;
