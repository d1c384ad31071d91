/**
 * DescribeCluster: v0-2
 *
 * Behaviour:
 * - Every live broker (advertised address, rack), the cluster id, and the first live broker as
 *   controller (KIP-700; Kafka's KRaft brokers name a random live one).
 * - includeClusterAuthorizedOperations: the cluster operations the principal may do (all of them
 *   without an authorizer).
 * - v1 endpointType CONTROLLER (2): a broker listener refuses it with UNSUPPORTED_ENDPOINT_TYPE (124),
 *   as Kafka's brokers do.
 *
 * Version notes:
 * - v1 (KIP-919) adds endpointType in request and response.
 * - v2 (KIP-1073) adds includeFencedBrokers and each broker's isFenced: a stopped broker is fenced,
 *   listed only when the flag asks for it.
 */

import { CLUSTER_NAME } from '../../protocol/acls.js';
import { DescribeCluster } from '../../protocol/messages/60-describe-cluster.js';
import { controllerOf } from '../cluster/controller.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorizedOperations } from '../security/authorize.js';

const UNSUPPORTED_ENDPOINT_TYPE = 124;
const BROKER_ENDPOINT = 1;
/** ALTER, CREATE, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE (AclOperation codes 5, 7-12). */
const ALL_CLUSTER_OPERATIONS = 0b1_1111_1010_0000;
const OPERATIONS_NOT_REQUESTED = -2147483648;

export default defineHandler({
  api: DescribeCluster,
  versions: declaredVersions(DescribeCluster),
  handle(request, ctx) {
    const { config } = ctx.cluster;
    const controller = controllerOf(ctx.cluster);
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
      controllerId: controller.controllerId(),
      brokers: ctx.cluster.brokers
        .filter((b) => b.up || request.includeFencedBrokers)
        .map((b) => ({
          brokerId: b.nodeId,
          ...b.endpointFor(ctx.connection.security?.listener),
          rack: b.rack,
          isFenced: !b.up,
        })),
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? authorizedOperations(ctx, 'CLUSTER', CLUSTER_NAME, ALL_CLUSTER_OPERATIONS)
        : OPERATIONS_NOT_REQUESTED,
    };
  },
});
