/**
 * DescribeAcls: v0-3
 *
 * Behaviour (AclApis.handleDescribeAcls, StandardAuthorizer.acls):
 * - Needs DESCRIBE on the CLUSTER, else CLUSTER_AUTHORIZATION_FAILED (31) and no resources.
 * - Without an authorizer (authorizer.class.name): SECURITY_DISABLED (54), "No Authorizer is
 *   configured on the broker".
 * - The bindings the filter matches (security/acl-requests.ts, protocol/acls.ts filterMatches),
 *   grouped by resource pattern; a filter with a code the broker does not know closes the
 *   connection (Kafka fails to parse it).
 * - Order: resources and their ACLs in the order they were created (Kafka's is a HashMap's).
 *
 * Version notes: v1 adds patternTypeFilter (KIP-290; v0 means LITERAL), v2 is flexible, v3 allows
 * the USER resource type (KIP-373).
 */

import { operationCode, patternTypeCode, permissionTypeCode, resourceTypeCode } from '../../protocol/acls.js';
import { DescribeAcls } from '../../protocol/messages/29-describe-acls.js';
import { CLOSE_CONNECTION, declaredVersions, defineHandler } from '../handler.js';
import { SECURITY_DISABLED, toFilter, unparsable } from '../security/acl-requests.js';
import {
  authorizerEnabled,
  CLUSTER_AUTHORIZATION_FAILED,
  clusterOperationRefusal,
} from '../security/authorize.js';
import { aclsOf } from '../state/acls.js';

export default defineHandler({
  api: DescribeAcls,
  versions: declaredVersions(DescribeAcls),
  handle(request, ctx) {
    const filter = toFilter(request);
    const bad = unparsable('DescribeAclsRequest', ctx.version, [filter]);
    if (bad) {
      ctx.log(`closing the connection: ${bad}`);
      return CLOSE_CONNECTION;
    }
    const refusal = clusterOperationRefusal(ctx, 'DescribeAcls', 'DESCRIBE');
    if (refusal !== undefined) {
      return {
        throttleTimeMs: 0,
        errorCode: CLUSTER_AUTHORIZATION_FAILED,
        errorMessage: refusal,
        resources: [],
      };
    }
    if (!authorizerEnabled(ctx))
      return {
        throttleTimeMs: 0,
        errorCode: SECURITY_DISABLED,
        errorMessage: 'No Authorizer is configured on the broker',
        resources: [],
      };
    const resources = new Map<
      string,
      {
        resourceType: number;
        resourceName: string;
        patternType: number;
        acls: { principal: string; host: string; operation: number; permissionType: number }[];
      }
    >();
    for (const b of aclsOf(ctx.cluster).list(filter)) {
      const k = JSON.stringify([b.resourceType, b.resourceName, b.patternType]);
      let r = resources.get(k);
      if (!r) {
        r = {
          resourceType: resourceTypeCode(b.resourceType),
          resourceName: b.resourceName,
          patternType: patternTypeCode(b.patternType),
          acls: [],
        };
        resources.set(k, r);
      }
      r.acls.push({
        principal: b.principal,
        host: b.host,
        operation: operationCode(b.operation),
        permissionType: permissionTypeCode(b.permissionType),
      });
    }
    // An empty message, not null, as Kafka 4.1.1 answers.
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: '', resources: [...resources.values()] };
  },
});
