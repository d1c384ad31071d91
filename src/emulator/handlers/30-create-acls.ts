/**
 * CreateAcls: v0-3
 *
 * Behaviour (AclApis.handleCreateAcls, AclControlManager.createAcls):
 * - Needs ALTER on the CLUSTER, else CLUSTER_AUTHORIZATION_FAILED (31) for every creation.
 * - Without an authorizer: SECURITY_DISABLED (54), "No Authorizer is configured.", for every creation.
 * - Each binding is checked on its own (INVALID_REQUEST (42) with Kafka's message: a CLUSTER name
 *   other than kafka-cluster, an empty name, a principal with no `TYPE:`); the valid ones are stored,
 *   a binding that exists already is a success that adds nothing. Success carries an empty message.
 * - A binding with ANY (resource, operation, permission) or an ANY/MATCH pattern fails the whole
 *   request: UNKNOWN_SERVER_ERROR (-1), no message, for every creation (as Kafka 4.1.1 answers).
 * - A code the broker does not know closes the connection (Kafka fails to parse the request).
 *
 * Version notes: v1 adds resourcePatternType (KIP-290; v0 is LITERAL only), v2 is flexible, v3 allows
 * the USER resource type (KIP-373).
 */
import { CreateAcls } from '../../protocol/messages/30-create-acls.js';
import { CLOSE_CONNECTION, declaredVersions, defineHandler } from '../handler.js';
import {
  describeBinding,
  INVALID_REQUEST,
  invalidBinding,
  SECURITY_DISABLED,
  toBinding,
  UNKNOWN_SERVER_ERROR,
  unparsable,
  unstorable,
} from '../security/acl-requests.js';
import {
  authorizerEnabled,
  CLUSTER_AUTHORIZATION_FAILED,
  clusterOperationRefusal,
} from '../security/authorize.js';
import { aclsOf } from '../state/acls.js';

export default defineHandler({
  api: CreateAcls,
  versions: declaredVersions(CreateAcls),
  handle(request, ctx) {
    const bindings = request.creations.map(toBinding);
    const bad = unparsable('CreateAclsRequest', ctx.version, bindings);
    if (bad) {
      ctx.log(`closing the connection: ${bad}`);
      return CLOSE_CONNECTION;
    }
    const all = (errorCode: number, errorMessage: string | null) => ({
      throttleTimeMs: 0,
      results: bindings.map(() => ({ errorCode, errorMessage })),
    });
    const refusal = clusterOperationRefusal(ctx, 'CreateAcls', 'ALTER');
    if (refusal !== undefined) {
      return all(CLUSTER_AUTHORIZATION_FAILED, refusal);
    }
    if (!authorizerEnabled(ctx)) return all(SECURITY_DISABLED, 'No Authorizer is configured.');
    if (bindings.some(unstorable)) return all(UNKNOWN_SERVER_ERROR, null);
    const acls = aclsOf(ctx.cluster);
    return {
      throttleTimeMs: 0,
      results: bindings.map((b) => {
        const invalid = invalidBinding(b);
        if (invalid) return { errorCode: INVALID_REQUEST, errorMessage: invalid };
        acls.add(b);
        ctx.log(`ACL created: ${describeBinding(b)}`);
        return { errorCode: 0, errorMessage: '' };
      }),
    };
  },
});
