/**
 * The ACL store and the decisions of Kafka's StandardAuthorizer (metadata/authorizer in Kafka 4.x):
 * bindings added by CreateAcls, listed by DescribeAcls, removed by DeleteAcls, and `authorize` for
 * one action, as StandardAuthorizerData.findAclRule decides it:
 *
 * - a principal in `super.users` may do everything;
 * - the ACLs that apply to a resource are its LITERAL name, the LITERAL `*`, and every PREFIXED
 *   pattern the name starts with; of those, the ones for the principal (or `User:*`) and the host
 *   (or `*`) decide: any DENY wins, else any ALLOW allows;
 * - an ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE, an ALLOW of ALTER_CONFIGS also
 *   DESCRIBE_CONFIGS (a DENY implies nothing), ALL is every operation;
 * - a resource with no ACL at all (for anyone) follows `allow.everyone.if.no.acl.found` (default
 *   false); a resource with ACLs, none of them this principal's, is denied.
 *
 * The settings come from the broker properties `authorizer.class.name`, `super.users` (`;`-separated)
 * and `allow.everyone.if.no.acl.found` (security/authorizer-config.ts). The store is memory only.
 */
import {
  type AclBinding,
  type AclBindingFilter,
  type AclOperationName,
  filterMatches,
  type ResourceTypeName,
  WILDCARD,
  WILDCARD_PRINCIPAL,
} from '../../protocol/acls.js';
import type { Cluster } from '../cluster.js';
import { type AuthorizerSettings, authorizerSettings } from '../security/authorizer-config.js';

const IMPLIES_DESCRIBE: ReadonlySet<AclOperationName> = new Set([
  'DESCRIBE',
  'READ',
  'WRITE',
  'DELETE',
  'ALTER',
]);
const IMPLIES_DESCRIBE_CONFIGS: ReadonlySet<AclOperationName> = new Set([
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
]);

/** Who asks, from where: the connection's principal (`User:name`) and client address. */
export interface RequestIdentity {
  principal: string;
  host: string;
}

function key(b: AclBinding): string {
  return JSON.stringify([
    b.resourceType,
    b.resourceName,
    b.patternType,
    b.principal,
    b.host,
    b.operation,
    b.permissionType,
  ]);
}

/** StandardAuthorizerData.findResult: does this ACL say something about this action, and what. */
function aclResult(
  acl: AclBinding,
  who: RequestIdentity,
  operation: AclOperationName,
): 'ALLOWED' | 'DENIED' | undefined {
  if (acl.principal !== who.principal && acl.principal !== WILDCARD_PRINCIPAL) return undefined;
  if (acl.host !== WILDCARD && acl.host !== who.host) return undefined;
  if (acl.operation !== 'ALL') {
    if (acl.permissionType === 'ALLOW') {
      if (operation === 'DESCRIBE') {
        if (!IMPLIES_DESCRIBE.has(acl.operation)) return undefined;
      } else if (operation === 'DESCRIBE_CONFIGS') {
        if (!IMPLIES_DESCRIBE_CONFIGS.has(acl.operation)) return undefined;
      } else if (operation !== acl.operation) return undefined;
    } else if (operation !== acl.operation) return undefined;
  }
  return acl.permissionType === 'ALLOW' ? 'ALLOWED' : 'DENIED';
}

function appliesTo(acl: AclBinding, resourceType: ResourceTypeName, name: string): boolean {
  if (acl.resourceType !== resourceType) return false;
  if (acl.patternType === 'LITERAL') return acl.resourceName === name || acl.resourceName === WILDCARD;
  return acl.patternType === 'PREFIXED' && name.startsWith(acl.resourceName);
}

export class Acls {
  readonly settings: AuthorizerSettings;
  /** Insertion order (Kafka's order is its AclCache's, by random id). */
  private readonly bindings = new Map<string, AclBinding>();

  constructor(settings: AuthorizerSettings) {
    this.settings = settings;
  }

  /** Whether an authorizer is configured: without one every action is allowed and ACL requests are refused. */
  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Adds a binding (already validated); adding one that exists is a success that changes nothing. */
  add(binding: AclBinding): void {
    const k = key(binding);
    if (!this.bindings.has(k)) this.bindings.set(k, { ...binding });
  }

  list(filter: AclBindingFilter): AclBinding[] {
    return [...this.bindings.values()].filter((b) => filterMatches(filter, b)).map((b) => ({ ...b }));
  }

  /** Removes and returns the bindings the filter matches. */
  remove(filter: AclBindingFilter): AclBinding[] {
    const out: AclBinding[] = [];
    for (const [k, b] of this.bindings) {
      if (!filterMatches(filter, b)) continue;
      this.bindings.delete(k);
      out.push(b);
    }
    return out;
  }

  /** Kafka keeps the ACLs of a deleted topic: a topic created again under the name gets them. */
  topicDeleted(): void {}

  get size(): number {
    return this.bindings.size;
  }

  /** One action on one resource (a LITERAL name), as StandardAuthorizerData.authorize. */
  authorize(
    who: RequestIdentity,
    operation: AclOperationName,
    resourceType: ResourceTypeName,
    name: string,
  ): boolean {
    if (!this.settings.enabled) return true;
    if (this.settings.superUsers.has(who.principal)) return true;
    let hasResourceAcls = false;
    let allowed = false;
    for (const acl of this.bindings.values()) {
      if (!appliesTo(acl, resourceType, name)) continue;
      hasResourceAcls = true;
      const r = aclResult(acl, who, operation);
      if (r === 'DENIED') return false;
      if (r === 'ALLOWED') allowed = true;
    }
    if (allowed) return true;
    return hasResourceAcls ? false : this.settings.allowEveryoneIfNoAclFound;
  }

  /**
   * Authorizer.authorizeByResourceType (Kafka's default method, which StandardAuthorizer keeps):
   * may the principal do `operation` on at least one resource of the type — some ALLOW pattern that
   * no DENY (the same literal, a prefix of it, or the `*` literal) covers. Asked for an idempotent
   * InitProducerId without IDEMPOTENT_WRITE on the cluster (WRITE on any topic is enough, KIP-679).
   */
  authorizeByResourceType(
    who: RequestIdentity,
    operation: AclOperationName,
    resourceType: ResourceTypeName,
  ): boolean {
    if (!this.settings.enabled) return true;
    // Kafka first asks for a made-up name, so that super users (and allow.everyone with no ACL) pass.
    if (this.authorize(who, operation, resourceType, 'hardcode')) return true;
    const denyLiteral = new Set<string>();
    const denyPrefix = new Set<string>();
    const allowLiteral = new Set<string>();
    const allowPrefix = new Set<string>();
    let wildcardAllow = false;
    for (const b of this.bindings.values()) {
      if (b.resourceType !== resourceType) continue;
      if (b.host !== who.host && b.host !== WILDCARD) continue;
      if (b.principal !== who.principal && b.principal !== WILDCARD_PRINCIPAL) continue;
      if (b.operation !== operation && b.operation !== 'ALL') continue;
      if (b.permissionType === 'DENY') {
        if (b.patternType === 'LITERAL') {
          if (b.resourceName === WILDCARD) return false;
          denyLiteral.add(b.resourceName);
        } else if (b.patternType === 'PREFIXED') denyPrefix.add(b.resourceName);
        continue;
      }
      if (b.permissionType !== 'ALLOW') continue;
      if (b.patternType === 'LITERAL') {
        if (b.resourceName === WILDCARD) wildcardAllow = true;
        else allowLiteral.add(b.resourceName);
      } else if (b.patternType === 'PREFIXED') allowPrefix.add(b.resourceName);
    }
    if (wildcardAllow) return true;
    const dominated = (name: string) => {
      for (let i = 1; i <= name.length; i++) if (denyPrefix.has(name.slice(0, i))) return true;
      return false;
    };
    for (const name of allowLiteral) if (!denyLiteral.has(name) && !dominated(name)) return true;
    for (const name of allowPrefix) if (!dominated(name)) return true;
    return false;
  }
}

/** The cluster's ACL store and authorizer, made from its settings on first use. */
export function aclsOf(cluster: Cluster): Acls {
  return cluster.domain('acls', (c) => new Acls(authorizerSettings(c.config.security ?? {})));
}
