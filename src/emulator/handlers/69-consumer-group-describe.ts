/**
 * ConsumerGroupDescribe: v0-1
 *
 * Behaviour:
 * - Each KIP-848 consumer group: state (Empty, Assigning, Reconciling, Stable), group epoch, target
 *   assignment epoch, the assignor in use, and per member its epoch, subscription, current and
 *   target assignment (topic ids with names).
 * - An unknown group, or a classic group of that id: GROUP_ID_NOT_FOUND (69) with Kafka's message.
 *
 * Version notes:
 * - v1 (KIP-1099) adds each member's memberType: always 1 (consumer protocol) here, since classic
 *   members inside a consumer group (online migration) are not emulated.
 */
import { ConsumerGroupDescribe } from '../../protocol/messages/69-consumer-group-describe.js';
import { declaredVersions, defineHandler } from '../handler.js';
import {
  authorize,
  authorizedOperations as authorizedOps,
  GROUP_AUTHORIZATION_FAILED,
} from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';

/**
 * READ (3), DELETE (6), DESCRIBE (8), DESCRIBE_CONFIGS (10), ALTER_CONFIGS (11): the AclOperation
 * bits Kafka 4.1.1 reports here for a consumer group (3400, seen in conformance; groups have
 * configs since KIP-848).
 */
const ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11);
const OPERATIONS_NOT_REQUESTED = -2147483648;

export default defineHandler({
  api: ConsumerGroupDescribe,
  versions: declaredVersions(ConsumerGroupDescribe),
  handle(request, ctx) {
    const groups = consumerGroupsOf(ctx.cluster);
    const authorizedOperations = request.includeAuthorizedOperations
      ? ALL_GROUP_OPERATIONS
      : OPERATIONS_NOT_REQUESTED;
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((id) => {
        const d = groups.describe(id);
        // ACLs (KafkaApis.handleConsumerGroupDescribe): DESCRIBE on each group.
        if (!authorize(ctx, 'DESCRIBE', 'GROUP', id))
          return {
            ...d,
            errorCode: GROUP_AUTHORIZATION_FAILED,
            errorMessage: null,
            members: [],
            authorizedOperations: OPERATIONS_NOT_REQUESTED,
          };
        return {
          ...d,
          authorizedOperations:
            d.errorCode === 0 && request.includeAuthorizedOperations
              ? authorizedOps(ctx, 'GROUP', id, authorizedOperations)
              : OPERATIONS_NOT_REQUESTED,
        };
      }),
    };
  },
});
