// ListPartitionReassignments (API key 46): the reassignments in progress, with each partition's
// current replicas and the replicas being added and removed (KIP-455). A null topics list asks for
// all of them.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const ListPartitionReassignments = api({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      timeoutMs: field.int32('0+', { default: 60000 }),
      topics: field.array(
        '0+',
        struct('ListPartitionReassignmentsTopics', {
          name: field.string('0+'),
          partitionIndexes: field.array('0+', types.int32),
        }),
        { nullableVersions: '0+', default: null },
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      topics: field.array(
        '0+',
        struct('OngoingTopicReassignment', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('OngoingPartitionReassignment', {
              partitionIndex: field.int32('0+'),
              replicas: field.array('0+', types.int32),
              addingReplicas: field.array('0+', types.int32),
              removingReplicas: field.array('0+', types.int32),
            }),
          ),
        }),
      ),
    },
  },
});

export type ListPartitionReassignmentsRequest = MessageValue<typeof ListPartitionReassignments.request>;
export type ListPartitionReassignmentsResponse = MessageValue<typeof ListPartitionReassignments.response>;
