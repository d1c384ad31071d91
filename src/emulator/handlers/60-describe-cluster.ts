/**
 * DescribeCluster: v0-2
 *
 * Behaviour:
 * - This one broker (advertised address), the cluster id, and this node as controller (KIP-700).
 * - includeClusterAuthorizedOperations: every cluster operation is allowed (no authorizer).
 * - v1 endpointType CONTROLLER (2): a broker listener refuses it with UNSUPPORTED_ENDPOINT_TYPE (124),
 *   as Kafka's brokers do.
 *
 * Version notes:
 * - v1 (KIP-919) adds endpointType in request and response.
 * - v2 (KIP-1073) adds includeFencedBrokers and each broker's isFenced: this node is never fenced,
 *   so the answer is the same whatever the flag, with isFenced false.
 */
import { DescribeCluster } from '../../protocol/messages/60-describe-cluster.js';
import { declaredVersions, defineHandler } from '../handler.js';

const UNSUPPORTED_ENDPOINT_TYPE = 124;
const BROKER_ENDPOINT = 1;
/** ALTER, CREATE, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE (AclOperation codes 5, 7-12). */
const ALL_CLUSTER_OPERATIONS = 0b1_1111_1010_0000;
const OPERATIONS_NOT_REQUESTED = -2147483648;

export default defineHandler({
  api: DescribeCluster,
  versions: declaredVersions(DescribeCluster),
  handle(request, ctx) {
    const { broker, config } = ctx.cluster;
    if (request.endpointType !== BROKER_ENDPOINT) {
      return {
        throttleTimeMs: 0,
        errorCode: UNSUPPORTED_ENDPOINT_TYPE,
        errorMessage: 'The broker does not support ENDPOINT_TYPE CONTROLLER',
        endpointType: request.endpointType,
        clusterId: config.clusterId,
        controllerId: -1,
        brokers: [],
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: BROKER_ENDPOINT,
      clusterId: config.clusterId,
      controllerId: broker.nodeId,
      brokers: [{ brokerId: broker.nodeId, host: broker.host, port: broker.port, rack: null }],
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? ALL_CLUSTER_OPERATIONS
        : OPERATIONS_NOT_REQUESTED,
    };
  },
});
