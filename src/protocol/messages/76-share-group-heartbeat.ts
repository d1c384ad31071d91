// ShareGroupHeartbeat (API key 76): the one heartbeat of a KIP-932 share-group member ("queues for
// Kafka"): it joins (memberEpoch 0), keeps alive and leaves (-1) the group, and gets back the
// partitions the coordinator assigned it. Unlike a consumer group, many members may share a partition,
// and the assignor is always the broker's. v1 (Kafka 4.1) is the first version Kafka supports: v0 was
// the early-access shape (kafka-clients 3.9.1 carries it, marked unstable) and 4.1 no longer knows it,
// so it is not declared. Flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

const TopicPartitions = struct('TopicPartitions', {
  topicId: field.uuid('0+'),
  partitions: field.array('0+', types.int32),
});

export const ShareGroupHeartbeat = api({
  apiKey: 76,
  name: 'ShareGroupHeartbeat',
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      groupId: field.string('0+'),
      memberId: field.string('0+'),
      memberEpoch: field.int32('0+'),
      rackId: field.string('0+', { nullableVersions: '0+', default: null }),
      // null when unchanged since the last heartbeat.
      subscribedTopicNames: field.array('0+', types.string, { nullableVersions: '0+', default: null }),
    },
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
      memberId: field.string('0+', { nullableVersions: '0+', default: null }),
      memberEpoch: field.int32('0+'),
      heartbeatIntervalMs: field.int32('0+'),
      // null when the assignment did not change.
      assignment: field.struct(
        '0+',
        struct('Assignment', {
          topicPartitions: field.array('0+', TopicPartitions),
        }),
        { nullableVersions: '0+', default: null },
      ),
    },
  },
});

export type ShareGroupHeartbeatRequest = MessageValue<typeof ShareGroupHeartbeat.request>;
export type ShareGroupHeartbeatResponse = MessageValue<typeof ShareGroupHeartbeat.response>;
