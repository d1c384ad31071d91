// AlterReplicaLogDirs (API key 34): moves replicas between the log directories of one broker (JBOD,
// KIP-113; kafka-reassign-partitions.sh with log dirs).
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible. Kafka 4.0 removed
// v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const AlterReplicaLogDirs = api({
  apiKey: 34,
  name: 'AlterReplicaLogDirs',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      dirs: field.array(
        '0+',
        struct('AlterReplicaLogDir', {
          path: field.string('0+'),
          topics: field.array(
            '0+',
            struct('AlterReplicaLogDirTopic', {
              name: field.string('0+'),
              partitions: field.array('0+', types.int32),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      results: field.array(
        '0+',
        struct('AlterReplicaLogDirTopicResult', {
          topicName: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('AlterReplicaLogDirPartitionResult', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type AlterReplicaLogDirsRequest = MessageValue<typeof AlterReplicaLogDirs.request>;
export type AlterReplicaLogDirsResponse = MessageValue<typeof AlterReplicaLogDirs.response>;
