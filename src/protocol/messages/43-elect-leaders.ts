// ElectLeaders (API key 43): asks the controller to elect leaders for partitions: the preferred
// replica (electionType 0), or, if no in-sync replica is left, any live one (1 = unclean) (KIP-183,
// KIP-460; kafka-leader-election.sh). A null topicPartitions means every partition.
//
// Why the versions exist: v1 adds the election type (KIP-460) and a top-level error code; v2 goes
// flexible.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const ElectLeaders = api({
  apiKey: 43,
  name: 'ElectLeaders',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      electionType: field.int8('1+'),
      topicPartitions: field.array(
        '0+',
        struct('TopicPartitions', {
          topic: field.string('0+'),
          partitions: field.array('0+', types.int32),
        }),
        { nullableVersions: '0+' },
      ),
      timeoutMs: field.int32('0+', { default: 60000 }),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('1+'),
      replicaElectionResults: field.array(
        '0+',
        struct('ReplicaElectionResult', {
          topic: field.string('0+'),
          partitionResult: field.array(
            '0+',
            struct('PartitionResult', {
              partitionId: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
    },
  },
});

export type ElectLeadersRequest = MessageValue<typeof ElectLeaders.request>;
export type ElectLeadersResponse = MessageValue<typeof ElectLeaders.response>;
