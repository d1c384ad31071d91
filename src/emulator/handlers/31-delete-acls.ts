/**
 * DeleteAcls: v0-3
 *
 * Behaviour (AclApis.handleDeleteAcls, AclControlManager.deleteAcls):
 * - Needs ALTER on the CLUSTER, else CLUSTER_AUTHORIZATION_FAILED (31) for every filter.
 * - Without an authorizer: SECURITY_DISABLED (54), "No Authorizer is configured.", for every filter.
 * - Each filter removes and lists the bindings it matches (a binding matched by two filters of one
 *   request is listed by both: Kafka matches every filter against the ACLs as they were before).
 * - A code the broker does not know closes the connection (Kafka fails to parse the request).
 *
 * Version notes: v1 adds patternTypeFilter (KIP-290), v2 is flexible, v3 allows USER (KIP-373).
 */
import {
  type AclBinding,
  filterMatches,
  operationCode,
  patternTypeCode,
  permissionTypeCode,
  resourceTypeCode,
} from '../../protocol/acls.js';
import { DeleteAcls } from '../../protocol/messages/31-delete-acls.js';
import { CLOSE_CONNECTION, declaredVersions, defineHandler } from '../handler.js';
import { describeBinding, SECURITY_DISABLED, toFilter, unparsable } from '../security/acl-requests.js';
import {
  authorizerEnabled,
  CLUSTER_AUTHORIZATION_FAILED,
  clusterOperationRefusal,
} from '../security/authorize.js';
import { aclsOf } from '../state/acls.js';

function matching(b: AclBinding) {
  return {
    errorCode: 0,
    errorMessage: null,
    resourceType: resourceTypeCode(b.resourceType),
    resourceName: b.resourceName,
    patternType: patternTypeCode(b.patternType),
    principal: b.principal,
    host: b.host,
    operation: operationCode(b.operation),
    permissionType: permissionTypeCode(b.permissionType),
  };
}

export default defineHandler({
  api: DeleteAcls,
  versions: declaredVersions(DeleteAcls),
  handle(request, ctx) {
    const filters = request.filters.map(toFilter);
    const bad = unparsable('DeleteAclsRequest', ctx.version, filters);
    if (bad) {
      ctx.log(`closing the connection: ${bad}`);
      return CLOSE_CONNECTION;
    }
    const all = (errorCode: number, errorMessage: string) => ({
      throttleTimeMs: 0,
      filterResults: filters.map(() => ({ errorCode, errorMessage, matchingAcls: [] })),
    });
    const refusal = clusterOperationRefusal(ctx, 'DeleteAcls', 'ALTER');
    if (refusal !== undefined) {
      return all(CLUSTER_AUTHORIZATION_FAILED, refusal);
    }
    if (!authorizerEnabled(ctx)) return all(SECURITY_DISABLED, 'No Authorizer is configured.');
    const acls = aclsOf(ctx.cluster);
    // Every filter sees the ACLs as they were before the request (Kafka matches, then removes).
    const before = acls.list({
      resourceType: 'ANY',
      resourceName: null,
      patternType: 'ANY',
      principal: null,
      host: null,
      operation: 'ANY',
      permissionType: 'ANY',
    });
    const results = filters.map((f) => {
      const matched = before.filter((b) => filterMatches(f, b));
      return { errorCode: 0, errorMessage: null, matchingAcls: matched.map(matching) };
    });
    for (const f of filters) for (const b of acls.remove(f)) ctx.log(`ACL deleted: ${describeBinding(b)}`);
    return { throttleTimeMs: 0, filterResults: results };
  },
});
