/**
 * ACL administration (KIP-140, prefixed patterns KIP-290): CreateAcls, DescribeAcls and DeleteAcls,
 * asked of any broker as Java's Admin does (a KRaft broker forwards creations and deletions to the
 * controller). Bindings and filters use Kafka's names (protocol/acls.ts): `{ resourceType: 'TOPIC',
 * resourceName: 'orders', patternType: 'LITERAL', principal: 'User:alice', host: '*',
 * operation: 'READ', permissionType: 'ALLOW' }`.
 */
import {
  type AclBinding,
  type AclBindingFilter,
  operationCode,
  operationName,
  patternTypeCode,
  patternTypeName,
  permissionTypeCode,
  permissionTypeName,
  resourceTypeCode,
  resourceTypeName,
} from '../protocol/acls.js';
import { DescribeAcls } from '../protocol/messages/29-describe-acls.js';
import { CreateAcls } from '../protocol/messages/30-create-acls.js';
import { DeleteAcls } from '../protocol/messages/31-delete-acls.js';
import type { Cluster } from './cluster.js';
import { KafkaClientError, KafkaProtocolError } from './errors.js';

export type { AclBinding, AclBindingFilter } from '../protocol/acls.js';

/** A filter that matches every binding; spread it and set what should narrow the match. */
export const ANY_ACL: AclBindingFilter = {
  resourceType: 'ANY',
  resourceName: null,
  patternType: 'ANY',
  principal: null,
  host: null,
  operation: 'ANY',
  permissionType: 'ANY',
};

export interface AclCreateResult {
  binding: AclBinding;
  /** The broker's refusal of this binding (INVALID_REQUEST, CLUSTER_AUTHORIZATION_FAILED, ...), or null. */
  error: KafkaProtocolError | null;
}

export interface AclDeleteResult {
  filter: AclBindingFilter;
  error: KafkaProtocolError | null;
  /** The bindings this filter removed. */
  deleted: AclBinding[];
}

/** USER resources need v3 (KIP-373) and a pattern other than LITERAL needs v1 (KIP-290). */
function needVersion(
  version: number,
  items: readonly { resourceType: string; patternType: string }[],
  api: string,
): void {
  for (const i of items) {
    if (version < 3 && i.resourceType === 'USER')
      throw new KafkaClientError(`${api} v${version}: the broker cannot take USER resources (v3+, KIP-373)`, {
        retriable: false,
      });
    if (version < 1 && i.patternType !== 'LITERAL' && i.patternType !== 'ANY')
      throw new KafkaClientError(
        `${api} v0: the broker takes LITERAL resource patterns only (v1+, KIP-290)`,
        {
          retriable: false,
        },
      );
  }
}

function filterFields(f: AclBindingFilter) {
  return {
    resourceTypeFilter: resourceTypeCode(f.resourceType),
    resourceNameFilter: f.resourceName,
    patternTypeFilter: patternTypeCode(f.patternType),
    principalFilter: f.principal,
    hostFilter: f.host,
    operation: operationCode(f.operation),
    permissionType: permissionTypeCode(f.permissionType),
  };
}

function checkNames(items: readonly (AclBinding | AclBindingFilter)[]): void {
  for (const i of items) {
    for (const [what, code] of [
      ['resource type', resourceTypeCode(i.resourceType)],
      ['pattern type', patternTypeCode(i.patternType)],
      ['operation', operationCode(i.operation)],
      ['permission type', permissionTypeCode(i.permissionType)],
    ] as const) {
      if (code <= 0)
        throw new KafkaClientError(`not an ACL ${what}: ${JSON.stringify(i)}`, { retriable: false });
    }
  }
}

/** Adds the bindings; each gets its own result (one refused binding does not stop the others). */
export async function createAcls(
  cluster: Cluster,
  bindings: readonly AclBinding[],
): Promise<AclCreateResult[]> {
  checkNames(bindings);
  const res = await cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    const version = conn.versionFor(CreateAcls);
    needVersion(version, bindings, 'CreateAcls');
    return conn.request(
      CreateAcls,
      {
        creations: bindings.map((b) => ({
          resourceType: resourceTypeCode(b.resourceType),
          resourceName: b.resourceName,
          resourcePatternType: patternTypeCode(b.patternType),
          principal: b.principal,
          host: b.host,
          operation: operationCode(b.operation),
          permissionType: permissionTypeCode(b.permissionType),
        })),
      },
      { version },
    );
  });
  return bindings.map((binding, i) => {
    const r = res.results[i];
    const code = r?.errorCode ?? -1;
    return {
      binding,
      error: code === 0 ? null : new KafkaProtocolError(code, { api: 'CreateAcls' }, r?.errorMessage || null),
    };
  });
}

/** The bindings the filter matches; throws the broker's error (SECURITY_DISABLED without an authorizer). */
export async function describeAcls(
  cluster: Cluster,
  filter: AclBindingFilter = ANY_ACL,
): Promise<AclBinding[]> {
  checkNames([filter]);
  const res = await cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    const version = conn.versionFor(DescribeAcls);
    needVersion(version, [filter], 'DescribeAcls');
    return conn.request(DescribeAcls, filterFields(filter), { version });
  });
  if (res.errorCode !== 0)
    throw new KafkaProtocolError(res.errorCode, { api: 'DescribeAcls' }, res.errorMessage || null);
  return res.resources.flatMap((r) =>
    r.acls.map((a) => ({
      resourceType: resourceTypeName(r.resourceType),
      resourceName: r.resourceName,
      patternType: patternTypeName(r.patternType),
      principal: a.principal,
      host: a.host,
      operation: operationName(a.operation),
      permissionType: permissionTypeName(a.permissionType),
    })),
  );
}

/** Removes what each filter matches and says, per filter, what went. */
export async function deleteAcls(
  cluster: Cluster,
  filters: readonly AclBindingFilter[],
): Promise<AclDeleteResult[]> {
  checkNames(filters);
  const res = await cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    const version = conn.versionFor(DeleteAcls);
    needVersion(version, filters, 'DeleteAcls');
    return conn.request(DeleteAcls, { filters: filters.map(filterFields) }, { version });
  });
  return filters.map((filter, i) => {
    const r = res.filterResults[i];
    const code = r?.errorCode ?? -1;
    return {
      filter,
      error: code === 0 ? null : new KafkaProtocolError(code, { api: 'DeleteAcls' }, r?.errorMessage || null),
      deleted: (r?.matchingAcls ?? [])
        .filter((m) => m.errorCode === 0)
        .map((m) => ({
          resourceType: resourceTypeName(m.resourceType),
          resourceName: m.resourceName,
          patternType: patternTypeName(m.patternType),
          principal: m.principal,
          host: m.host,
          operation: operationName(m.operation),
          permissionType: permissionTypeName(m.permissionType),
        })),
    };
  });
}
