// DescribeCluster (API key 60): the cluster id, controller and brokers for admin clients (KIP-700),
// which moved this out of Metadata (Metadata v11 dropped cluster authorized operations). Flexible
// from v0. v1 adds endpointType so that a client can ask for the controllers instead of the brokers
// (KIP-919), with MISMATCHED_ENDPOINT_TYPE / UNSUPPORTED_ENDPOINT_TYPE as new top-level errors.
// v2 (Kafka 4.0, KIP-1073; declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot)
// lets an admin ask for fenced brokers too (includeFencedBrokers) and marks each broker isFenced;
// without the flag a v2 answer lists the unfenced brokers, as v0-1 do.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DescribeCluster = api({
  apiKey: 60,
  name: 'DescribeCluster',
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      includeClusterAuthorizedOperations: field.bool('0+'),
      // 1 = brokers, 2 = controllers.
      endpointType: field.int8('1+', { default: 1 }),
      includeFencedBrokers: field.bool('2+'),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+', default: null }),
      endpointType: field.int8('1+', { default: 1 }),
      clusterId: field.string('0+'),
      controllerId: field.int32('0+', { default: -1 }),
      brokers: field.array(
        '0+',
        struct('DescribeClusterBroker', {
          brokerId: field.int32('0+'),
          host: field.string('0+'),
          port: field.int32('0+'),
          rack: field.string('0+', { nullableVersions: '0+', default: null }),
          isFenced: field.bool('2+'),
        }),
      ),
      // INT32_MIN means "not requested" (KIP-430).
      clusterAuthorizedOperations: field.int32('0+', { default: -2147483648 }),
    },
  },
});

export type DescribeClusterRequest = MessageValue<typeof DescribeCluster.request>;
export type DescribeClusterResponse = MessageValue<typeof DescribeCluster.response>;
