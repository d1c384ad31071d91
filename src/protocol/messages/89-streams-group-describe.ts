// StreamsGroupDescribe (API key 89): KIP-1071, DescribeGroups for streams groups: epochs, the topology
// the group runs (subtopologies and their internal topics), and per member its process, endpoint,
// client tags, task offsets and current and target assignment of active, standby and warm-up tasks.
// Only v0 exists; kafka-clients 4.1.1 still marks it unstable (streams groups are early access in 4.1)
// and it is declared anyway as the API's only version, so that such frames decode and explain.
// Flexible from the start.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

// The response's commonStructs.
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

const Assignment = struct('Assignment', {
  activeTasks: field.array('0+', TaskIds),
  standbyTasks: field.array('0+', TaskIds),
  warmupTasks: field.array('0+', TaskIds),
});

const KeyValue = struct('KeyValue', {
  key: field.string('0+'),
  value: field.string('0+'),
});

const TopicInfo = struct('TopicInfo', {
  name: field.string('0+'),
  partitions: field.int32('0+'),
  replicationFactor: field.int16('0+'),
  topicConfigs: field.array('0+', KeyValue),
});

export const StreamsGroupDescribe = api({
  apiKey: 89,
  name: 'StreamsGroupDescribe',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      groupIds: field.array('0+', types.string),
      includeAuthorizedOperations: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      groups: field.array(
        '0+',
        struct('DescribedGroup', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
          groupId: field.string('0+'),
          groupState: field.string('0+'),
          groupEpoch: field.int32('0+'),
          assignmentEpoch: field.int32('0+'),
          // null until a member has sent the topology.
          topology: field.struct(
            '0+',
            struct('Topology', {
              epoch: field.int32('0+'),
              subtopologies: field.array(
                '0+',
                struct('Subtopology', {
                  subtopologyId: field.string('0+'),
                  sourceTopics: field.array('0+', types.string),
                  repartitionSinkTopics: field.array('0+', types.string),
                  stateChangelogTopics: field.array('0+', TopicInfo),
                  repartitionSourceTopics: field.array('0+', TopicInfo),
                }),
                { nullableVersions: '0+', default: null },
              ),
            }),
            { nullableVersions: '0+', default: null },
          ),
          members: field.array(
            '0+',
            struct('Member', {
              memberId: field.string('0+'),
              memberEpoch: field.int32('0+'),
              instanceId: field.string('0+', { nullableVersions: '0+', default: null }),
              rackId: field.string('0+', { nullableVersions: '0+', default: null }),
              clientId: field.string('0+'),
              clientHost: field.string('0+'),
              topologyEpoch: field.int32('0+'),
              processId: field.string('0+'),
              userEndpoint: field.struct('0+', Endpoint, { nullableVersions: '0+', default: null }),
              clientTags: field.array('0+', KeyValue),
              taskOffsets: field.array('0+', TaskOffset),
              taskEndOffsets: field.array('0+', TaskOffset),
              assignment: field.struct('0+', Assignment),
              targetAssignment: field.struct('0+', Assignment),
              // A member still on the classic protocol while the group is being upgraded.
              isClassic: field.bool('0+'),
            }),
          ),
          authorizedOperations: field.int32('0+', { default: -2147483648 }),
        }),
      ),
    },
  },
});

export type StreamsGroupDescribeRequest = MessageValue<typeof StreamsGroupDescribe.request>;
export type StreamsGroupDescribeResponse = MessageValue<typeof StreamsGroupDescribe.response>;
