// AlterPartitionReassignments (API key 45): starts or cancels (null replicas) moving partitions to a
// new replica set, through the controller (KIP-455; kafka-reassign-partitions.sh).
//
// Why the versions exist: v1 (Kafka 4.1, KIP-860; declared from kafka-clients 4.1.1, not in the
// late-2024 spec snapshot) adds allowReplicationFactorChange, so that a reassignment can be refused
// when it would change the number of replicas by mistake; the response's v1 echoes that setting.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const AlterPartitionReassignments = api({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      timeoutMs: field.int32('0+', { default: 60000 }),
      allowReplicationFactorChange: field.bool('1+', { default: true }),
      topics: field.array(
        '0+',
        struct('ReassignableTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('ReassignablePartition', {
              partitionIndex: field.int32('0+'),
              replicas: field.array('0+', types.int32, { nullableVersions: '0+', default: null }),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      allowReplicationFactorChange: field.bool('1+', { default: true, ignorable: true }),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      responses: field.array(
        '0+',
        struct('ReassignableTopicResponse', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('ReassignablePartitionResponse', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
    },
  },
});

export type AlterPartitionReassignmentsRequest = MessageValue<typeof AlterPartitionReassignments.request>;
export type AlterPartitionReassignmentsResponse = MessageValue<typeof AlterPartitionReassignments.response>;
