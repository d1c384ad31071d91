/**
 * From the ACL requests' int8 codes to bindings and filters, with the checks Kafka makes on the way:
 * a request naming a code the broker does not know fails to parse (CreateAclsRequest.validate,
 * DescribeAclsRequest.validate), which closes the connection; a binding CreateAcls cannot store gets
 * INVALID_REQUEST (42) with the message AclApis / AclControlManager.validateNewAcl give.
 */
import {
  type AclBinding,
  type AclBindingFilter,
  CLUSTER_NAME,
  operationName,
  patternTypeName,
  permissionTypeName,
  resourceTypeName,
} from '../../protocol/acls.js';

export const INVALID_REQUEST = 42;
export const SECURITY_DISABLED = 54;
export const UNKNOWN_SERVER_ERROR = -1;

export interface FilterFields {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

export interface CreationFields {
  resourceType: number;
  resourceName: string;
  resourcePatternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

export function toFilter(f: FilterFields): AclBindingFilter {
  return {
    resourceType: resourceTypeName(f.resourceTypeFilter),
    resourceName: f.resourceNameFilter,
    patternType: patternTypeName(f.patternTypeFilter),
    principal: f.principalFilter,
    host: f.hostFilter,
    operation: operationName(f.operation),
    permissionType: permissionTypeName(f.permissionType),
  };
}

export function toBinding(c: CreationFields): AclBinding {
  return {
    resourceType: resourceTypeName(c.resourceType),
    resourceName: c.resourceName,
    patternType: patternTypeName(c.resourcePatternType),
    principal: c.principal,
    host: c.host,
    operation: operationName(c.operation),
    permissionType: permissionTypeName(c.permissionType),
  };
}

/** The binding as a Kafka log line shows it (AclBinding.toString), for the trace. */
export function describeBinding(b: AclBinding): string {
  return (
    `(pattern=ResourcePattern(resourceType=${b.resourceType}, name=${b.resourceName}, patternType=${b.patternType}), ` +
    `entry=(principal=${b.principal}, host=${b.host}, operation=${b.operation}, permissionType=${b.permissionType}))`
  );
}

/** Why the request would not parse on a Kafka broker (the connection is then closed), or undefined. */
export function unparsable(
  what: string,
  version: number,
  items: readonly { resourceType: string; patternType: string; operation: string; permissionType: string }[],
): string | undefined {
  for (const i of items) {
    if (version === 0 && i.patternType !== 'LITERAL')
      return `${what}: version 0 only supports literal resource pattern types`;
    if ([i.resourceType, i.patternType, i.operation, i.permissionType].includes('UNKNOWN'))
      return `${what} contains UNKNOWN elements: resource type, pattern type, operation or permission type codes the broker does not know`;
  }
  return undefined;
}

/**
 * CreateAcls' checks of one binding, in Kafka's order (AclApis, then the principal as the controller
 * parses it); the INVALID_REQUEST message, or undefined when it may be stored. Seen from Apache
 * Kafka 4.1.1 (test/security/acl-real-kafka.test.ts): `User:` and `Group:x` are taken.
 */
export function invalidBinding(b: AclBinding): string | undefined {
  if (b.resourceType === 'CLUSTER' && b.resourceName !== CLUSTER_NAME)
    return `The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`;
  if (b.resourceName === '') return 'Invalid empty resource name';
  if (!b.principal.includes(':'))
    return `Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`;
  return undefined;
}

/**
 * A binding no authorizer can hold (resource type ANY, pattern ANY or MATCH, operation or permission
 * ANY). Kafka 4.1.1 fails the whole CreateAcls request then: every result, the valid ones too, is
 * UNKNOWN_SERVER_ERROR (-1) with no message (AclControlManager.validateNewAcl's messages never reach
 * the client).
 */
export function unstorable(b: AclBinding): boolean {
  return (
    b.resourceType === 'ANY' ||
    (b.patternType !== 'LITERAL' && b.patternType !== 'PREFIXED') ||
    b.operation === 'ANY' ||
    b.permissionType === 'ANY'
  );
}
