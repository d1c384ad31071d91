// AssignReplicasToDirs (API key 73): JBOD in KRaft (KIP-858). A broker with several log directories
// tells the controller which directory (by its uuid) holds each of its replicas, so that a failed
// directory can be mapped to the partitions it takes offline. Broker → controller only. Only v0
// exists, flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const AssignReplicasToDirs = api({
  apiKey: 73,
  name: 'AssignReplicasToDirs',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      brokerId: field.int32('0+'),
      brokerEpoch: field.int64('0+', { default: -1n }),
      directories: field.array(
        '0+',
        struct('DirectoryData', {
          id: field.uuid('0+'),
          topics: field.array(
            '0+',
            struct('TopicData', {
              topicId: field.uuid('0+'),
              partitions: field.array(
                '0+',
                struct('PartitionData', {
                  partitionIndex: field.int32('0+'),
                }),
              ),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      directories: field.array(
        '0+',
        struct('DirectoryData', {
          id: field.uuid('0+'),
          topics: field.array(
            '0+',
            struct('TopicData', {
              topicId: field.uuid('0+'),
              partitions: field.array(
                '0+',
                struct('PartitionData', {
                  partitionIndex: field.int32('0+'),
                  errorCode: field.int16('0+'),
                }),
              ),
            }),
          ),
        }),
      ),
    },
  },
});

export type AssignReplicasToDirsRequest = MessageValue<typeof AssignReplicasToDirs.request>;
export type AssignReplicasToDirsResponse = MessageValue<typeof AssignReplicasToDirs.response>;
