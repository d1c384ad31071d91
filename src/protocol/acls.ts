/**
 * The enum codes the ACL APIs (CreateAcls 30, DescribeAcls 29, DeleteAcls 31) carry as int8 fields,
 * by Kafka's names (org.apache.kafka.common.acl / common.resource, checked against the 4.1.1 jar),
 * shared by the emulator's authorizer, the Admin client and `kafkalab acls`.
 *
 * UNKNOWN (0) is what a Java client decodes for a code it does not know; ANY (1) and MATCH (2) only
 * appear in filters.
 */

export const RESOURCE_TYPES = [
  'UNKNOWN',
  'ANY',
  'TOPIC',
  'GROUP',
  'CLUSTER',
  'TRANSACTIONAL_ID',
  'DELEGATION_TOKEN',
  'USER',
] as const;
export type ResourceTypeName = (typeof RESOURCE_TYPES)[number];

export const PATTERN_TYPES = ['UNKNOWN', 'ANY', 'MATCH', 'LITERAL', 'PREFIXED'] as const;
export type PatternTypeName = (typeof PATTERN_TYPES)[number];

export const ACL_OPERATIONS = [
  'UNKNOWN',
  'ANY',
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
  'TWO_PHASE_COMMIT',
] as const;
export type AclOperationName = (typeof ACL_OPERATIONS)[number];

export const PERMISSION_TYPES = ['UNKNOWN', 'ANY', 'DENY', 'ALLOW'] as const;
export type PermissionTypeName = (typeof PERMISSION_TYPES)[number];

/** The name of a code; an unknown code reads as UNKNOWN, as Java's fromCode does. */
function nameOf<T extends string>(table: readonly T[], code: number): T {
  return table[code] ?? (table[0] as T);
}

function codeOf<T extends string>(table: readonly T[], name: T): number {
  return table.indexOf(name);
}

export const resourceTypeName = (code: number): ResourceTypeName => nameOf(RESOURCE_TYPES, code);
export const patternTypeName = (code: number): PatternTypeName => nameOf(PATTERN_TYPES, code);
export const operationName = (code: number): AclOperationName => nameOf(ACL_OPERATIONS, code);
export const permissionTypeName = (code: number): PermissionTypeName => nameOf(PERMISSION_TYPES, code);

export const resourceTypeCode = (name: ResourceTypeName): number => codeOf(RESOURCE_TYPES, name);
export const patternTypeCode = (name: PatternTypeName): number => codeOf(PATTERN_TYPES, name);
export const operationCode = (name: AclOperationName): number => codeOf(ACL_OPERATIONS, name);
export const permissionTypeCode = (name: PermissionTypeName): number => codeOf(PERMISSION_TYPES, name);

/** The one name a CLUSTER resource has (Resource.CLUSTER_NAME). */
export const CLUSTER_NAME = 'kafka-cluster';
/** A LITERAL resource name, a principal (`User:*`) or a host that matches every one. */
export const WILDCARD = '*';
export const WILDCARD_PRINCIPAL = 'User:*';

/** A resource pattern and an access control entry (Kafka's AclBinding), by name. */
export interface AclBinding {
  resourceType: ResourceTypeName;
  resourceName: string;
  patternType: PatternTypeName;
  principal: string;
  host: string;
  operation: AclOperationName;
  permissionType: PermissionTypeName;
}

/** Kafka's AclBindingFilter: null strings and ANY match everything; patternType MATCH as below. */
export interface AclBindingFilter {
  resourceType: ResourceTypeName;
  resourceName: string | null;
  patternType: PatternTypeName;
  principal: string | null;
  host: string | null;
  operation: AclOperationName;
  permissionType: PermissionTypeName;
}

/**
 * ResourcePatternFilter.matches + AccessControlEntryFilter.matches: a MATCH filter with a name finds
 * the patterns that would apply to that name (the literal name, the `*` literal, every prefix).
 */
export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== 'ANY' && f.resourceType !== b.resourceType) return false;
  if (f.patternType !== 'ANY' && f.patternType !== 'MATCH' && f.patternType !== b.patternType) return false;
  if (f.resourceName !== null) {
    if (f.patternType === 'ANY' || f.patternType === b.patternType) {
      if (f.resourceName !== b.resourceName) return false;
    } else if (b.patternType === 'LITERAL') {
      if (f.resourceName !== b.resourceName && b.resourceName !== WILDCARD) return false;
    } else if (b.patternType === 'PREFIXED') {
      if (!f.resourceName.startsWith(b.resourceName)) return false;
    } else return false;
  }
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.operation !== 'ANY' && f.operation !== b.operation) return false;
  if (f.permissionType !== 'ANY' && f.permissionType !== b.permissionType) return false;
  return true;
}

/** AclBindingFilter.isUnknown: a filter naming a code the broker does not know. */
export function filterIsUnknown(f: AclBindingFilter): boolean {
  return (
    f.resourceType === 'UNKNOWN' ||
    f.patternType === 'UNKNOWN' ||
    f.operation === 'UNKNOWN' ||
    f.permissionType === 'UNKNOWN'
  );
}
