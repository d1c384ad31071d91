// Golden frames for StreamsGroupHeartbeat (API key 88): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { StreamsGroupHeartbeat } from '../../../src/protocol/messages/88-streams-group-heartbeat.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('StreamsGroupHeartbeat golden frames', () => {
  it('StreamsGroupHeartbeatRequest v0: the first member joins and sends a one-subtopology topology', () => {
    // Bytes written by kafka-clients 4.1.1's StreamsGroupHeartbeatRequestData.
    const bytes = hexLayout(`
      04617070                                   groupId: COMPACT_STRING "app"
      046d2d31                                   memberId: COMPACT_STRING "m-1"
      00000000                                   memberEpoch: INT32 0
      00000000                                   endpointInformationEpoch: INT32 0
      00                                         instanceId: COMPACT_NULLABLE_STRING null
      00                                         rackId: COMPACT_NULLABLE_STRING null
      000493e0                                   rebalanceTimeoutMs: INT32 300000
      01                                         topology.<present>: INT8 1
      00000000                                   topology.epoch: INT32 0
      02                                         topology.subtopologies.<count>: UNSIGNED_VARINT 1
      0230                                       topology.subtopologies[0].subtopologyId: COMPACT_STRING "0"
      02                                         topology.subtopologies[0].sourceTopics.<count>: UNSIGNED_VARINT 1
      06696e707574                               topology.subtopologies[0].sourceTopics[0]: COMPACT_STRING "input"
      01                                         topology.subtopologies[0].sourceTopicRegex.<count>: UNSIGNED_VARINT 0
      02                                         topology.subtopologies[0].stateChangelogTopics.<count>: UNSIGNED_VARINT 1
      146170702d73746f72652d6368616e67 656c6f67  topology.subtopologies[0].stateChangelogTopics[0].name: COMPACT_STRING "app-store-changelog"
      00000000                                   topology.subtopologies[0].stateChangelogTopics[0].partitions: INT32 0
      ffff                                       topology.subtopologies[0].stateChangelogTopics[0].replicationFactor: INT16 -1
      01                                         topology.subtopologies[0].stateChangelogTopics[0].topicConfigs.<count>: UNSIGNED_VARINT 0
      00                                         topology.subtopologies[0].stateChangelogTopics[0].<tags>: UNSIGNED_VARINT 0
      01                                         topology.subtopologies[0].repartitionSinkTopics.<count>: UNSIGNED_VARINT 0
      01                                         topology.subtopologies[0].repartitionSourceTopics.<count>: UNSIGNED_VARINT 0
      01                                         topology.subtopologies[0].copartitionGroups.<count>: UNSIGNED_VARINT 0
      00                                         topology.subtopologies[0].<tags>: UNSIGNED_VARINT 0
      00                                         topology.<tags>: UNSIGNED_VARINT 0
      01                                         activeTasks.<count>: UNSIGNED_VARINT 0
      01                                         standbyTasks.<count>: UNSIGNED_VARINT 0
      01                                         warmupTasks.<count>: UNSIGNED_VARINT 0
      04702d31                                   processId: COMPACT_NULLABLE_STRING "p-1"
      01                                         userEndpoint.<present>: INT8 1
      0a6c6f63616c686f7374                       userEndpoint.host: COMPACT_STRING "localhost"
      1f90                                       userEndpoint.port: UINT16 8080
      00                                         userEndpoint.<tags>: UNSIGNED_VARINT 0
      01                                         clientTags.<count>: UNSIGNED_VARINT 0
      01                                         taskOffsets.<count>: UNSIGNED_VARINT 0
      01                                         taskEndOffsets.<count>: UNSIGNED_VARINT 0
      00                                         shutdownApplication: BOOLEAN false
      00                                         <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupId: 'app',
      memberId: 'm-1',
      memberEpoch: 0,
      endpointInformationEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 300000,
      topology: {
        epoch: 0,
        subtopologies: [
          {
            subtopologyId: '0',
            sourceTopics: ['input'],
            sourceTopicRegex: [],
            stateChangelogTopics: [
              {
                name: 'app-store-changelog',
                partitions: 0,
                replicationFactor: -1,
                topicConfigs: [],
              },
            ],
            repartitionSinkTopics: [],
            repartitionSourceTopics: [],
            copartitionGroups: [],
          },
        ],
      },
      activeTasks: [],
      standbyTasks: [],
      warmupTasks: [],
      processId: 'p-1',
      userEndpoint: {
        host: 'localhost',
        port: 8080,
      },
      clientTags: [],
      taskOffsets: [],
      taskEndOffsets: [],
      shutdownApplication: false,
    };
    const codec = codecFor(StreamsGroupHeartbeat.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('StreamsGroupHeartbeatResponse v0: epoch 1, active task 0_0, nothing else changed', () => {
    // Bytes written by kafka-clients 4.1.1's StreamsGroupHeartbeatResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      046d2d31                memberId: COMPACT_STRING "m-1"
      00000001                memberEpoch: INT32 1
      00001388                heartbeatIntervalMs: INT32 5000
      00002710                acceptableRecoveryLag: INT32 10000
      0000ea60                taskOffsetIntervalMs: INT32 60000
      00                      status: UNSIGNED_VARINT null
      02                      activeTasks.<count>: UNSIGNED_VARINT 1
      0230                    activeTasks[0].subtopologyId: COMPACT_STRING "0"
      02                      activeTasks[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                activeTasks[0].partitions[0]: INT32 0
      00                      activeTasks[0].<tags>: UNSIGNED_VARINT 0
      01                      standbyTasks.<count>: UNSIGNED_VARINT 0
      01                      warmupTasks.<count>: UNSIGNED_VARINT 0
      00000001                endpointInformationEpoch: INT32 1
      02                      partitionsByUserEndpoint.<count>: UNSIGNED_VARINT 1
      0a6c6f63616c686f7374    partitionsByUserEndpoint[0].userEndpoint.host: COMPACT_STRING "localhost"
      1f90                    partitionsByUserEndpoint[0].userEndpoint.port: UINT16 8080
      00                      partitionsByUserEndpoint[0].userEndpoint.<tags>: UNSIGNED_VARINT 0
      02                      partitionsByUserEndpoint[0].activePartitions.<count>: UNSIGNED_VARINT 1
      06696e707574            partitionsByUserEndpoint[0].activePartitions[0].topic: COMPACT_STRING "input"
      02                      partitionsByUserEndpoint[0].activePartitions[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                partitionsByUserEndpoint[0].activePartitions[0].partitions[0]: INT32 0
      00                      partitionsByUserEndpoint[0].activePartitions[0].<tags>: UNSIGNED_VARINT 0
      01                      partitionsByUserEndpoint[0].standbyPartitions.<count>: UNSIGNED_VARINT 0
      00                      partitionsByUserEndpoint[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'm-1',
      memberEpoch: 1,
      heartbeatIntervalMs: 5000,
      acceptableRecoveryLag: 10000,
      taskOffsetIntervalMs: 60000,
      status: null,
      activeTasks: [
        {
          subtopologyId: '0',
          partitions: [0],
        },
      ],
      standbyTasks: [],
      warmupTasks: [],
      endpointInformationEpoch: 1,
      partitionsByUserEndpoint: [
        {
          userEndpoint: {
            host: 'localhost',
            port: 8080,
          },
          activePartitions: [
            {
              topic: 'input',
              partitions: [0],
            },
          ],
          standbyPartitions: [],
        },
      ],
    };
    const codec = codecFor(StreamsGroupHeartbeat.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
