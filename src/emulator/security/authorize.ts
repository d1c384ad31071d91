/**
 * The one question every enforcement point asks (Kafka's AuthHelper.authorize): may the principal
 * of this request's connection, from its client address, do `operation` on this resource? Always
 * yes when no authorizer is configured. Handlers call it where KafkaApis does and answer Kafka's
 * error code for a no (TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, ...).
 */
import {
  ACL_OPERATIONS,
  type AclOperationName,
  CLUSTER_NAME,
  type ResourceTypeName,
} from '../../protocol/acls.js';
import type { HandlerContext } from '../handler.js';
import { aclsOf, type RequestIdentity } from '../state/acls.js';

export const TOPIC_AUTHORIZATION_FAILED = 29;
export const GROUP_AUTHORIZATION_FAILED = 30;
export const CLUSTER_AUTHORIZATION_FAILED = 31;
export const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;

type Ctx = Pick<HandlerContext, 'cluster' | 'connection'>;

/** Principal and host of the connection: `User:ANONYMOUS` before (or without) a login. */
export function identityOf(ctx: Ctx): RequestIdentity {
  const remote = ctx.connection.remote;
  const colon = remote.lastIndexOf(':');
  let host = colon > 0 ? remote.slice(0, colon) : remote;
  // An IPv4 client on a dual-stack socket: Java's getHostAddress gives the IPv4 form.
  if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice(7);
  return { principal: ctx.connection.security?.principal ?? 'User:ANONYMOUS', host };
}

export function authorize(
  ctx: Ctx,
  operation: AclOperationName,
  resourceType: ResourceTypeName,
  name: string,
): boolean {
  const acls = aclsOf(ctx.cluster);
  if (!acls.enabled) return true;
  return acls.authorize(identityOf(ctx), operation, resourceType, name);
}

/** The CLUSTER resource (its one name is kafka-cluster). */
export function authorizeCluster(ctx: Ctx, operation: AclOperationName): boolean {
  return authorize(ctx, operation, 'CLUSTER', CLUSTER_NAME);
}

/** At least one resource of the type (Authorizer.authorizeByResourceType). */
export function authorizeAny(ctx: Ctx, operation: AclOperationName, resourceType: ResourceTypeName): boolean {
  const acls = aclsOf(ctx.cluster);
  if (!acls.enabled) return true;
  return acls.authorizeByResourceType(identityOf(ctx), operation, resourceType);
}

/** Whether an authorizer is configured (ACL requests answer SECURITY_DISABLED without one). */
export function authorizerEnabled(ctx: Pick<HandlerContext, 'cluster'>): boolean {
  return aclsOf(ctx.cluster).enabled;
}

/** Whether a Produce partition's records start with a transactional batch (attributes bit 4). */
export function hasTransactionalBatch(records: Buffer | null): boolean {
  // baseOffset 8, batchLength 4, partitionLeaderEpoch 4, magic 1, crc 4: attributes at 21 (v2 batches).
  return (
    records !== null && records.length >= 23 && records[16] === 2 && (records.readInt16BE(21) & 0x10) !== 0
  );
}

/**
 * An authorizedOperations bit field (KIP-430): of the operations in `candidates` (bit = AclOperation
 * code), the ones the principal may do on the resource. Without an authorizer, all of them.
 */
export function authorizedOperations(
  ctx: Ctx,
  resourceType: ResourceTypeName,
  name: string,
  candidates: number,
): number {
  if (!authorizerEnabled(ctx)) return candidates;
  let out = 0;
  for (let code = 0; code < ACL_OPERATIONS.length; code++) {
    if ((candidates & (1 << code)) === 0) continue;
    if (authorize(ctx, ACL_OPERATIONS[code] as AclOperationName, resourceType, name)) out |= 1 << code;
  }
  return out;
}

interface TopicWithPartitions {
  name: string;
  partitions: readonly { partitionIndex: number }[];
}

/** Every partition of every topic answered with one error code (a refusal of the whole request). */
export function refuseAll(
  topics: readonly TopicWithPartitions[],
  errorCode: number,
): { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
  }));
}

/**
 * The topics of a request split by one operation (AuthHelper.filterByAuthorized): the allowed ones
 * go on, the others are answered TOPIC_AUTHORIZATION_FAILED per partition — listed first, as Kafka
 * builds those answers before the coordinator's.
 */
export function splitTopicsByAuthorization<T extends TopicWithPartitions>(
  ctx: Ctx,
  operation: AclOperationName,
  topics: readonly T[],
): { allowed: T[]; refused: ReturnType<typeof refuseAll> } {
  const allowed: T[] = [];
  const denied: T[] = [];
  for (const t of topics) (authorize(ctx, operation, 'TOPIC', t.name) ? allowed : denied).push(t);
  return { allowed, refused: refuseAll(denied, TOPIC_AUTHORIZATION_FAILED) };
}

/**
 * DescribeConfigs / AlterConfigs / IncrementalAlterConfigs: `operation` on the topic (resource type
 * 2) or, for a broker or broker logger (4, 8), on the cluster; the refusal with the message Kafka's
 * ApiError gives (the error's default text). Other resource types are not checked here.
 */
export function configsRefusal(
  ctx: Ctx,
  resourceType: number,
  resourceName: string,
  operation: 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS',
): { errorCode: number; errorMessage: string } | undefined {
  if (resourceType === 2)
    return authorize(ctx, operation, 'TOPIC', resourceName)
      ? undefined
      : { errorCode: TOPIC_AUTHORIZATION_FAILED, errorMessage: 'Topic authorization failed.' };
  if (resourceType === 4 || resourceType === 8)
    return authorizeCluster(ctx, operation)
      ? undefined
      : { errorCode: CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' };
  return undefined;
}

/**
 * AlterConfigs / IncrementalAlterConfigs: the resources the principal may ALTER_CONFIGS go to `alter`;
 * the others are answered with their refusal. The outcomes line up with `resources`.
 */
export function alterConfigsAuthorized<R extends { resourceType: number; resourceName: string }, O>(
  ctx: Ctx,
  resources: readonly R[],
  alter: (allowed: R[]) => O[],
): (O | { errorCode: number; errorMessage: string })[] {
  const refusals = resources.map((r) => configsRefusal(ctx, r.resourceType, r.resourceName, 'ALTER_CONFIGS'));
  const done = alter(resources.filter((_, i) => !refusals[i]));
  let next = 0;
  return refusals.map((refusal) => refusal ?? (done[next++] as O));
}

/**
 * A cluster operation (AuthHelper.authorizeClusterOperation — DescribeAcls, CreateAcls, DeleteAcls,
 * and at the controller ElectLeaders, AlterUserScramCredentials): undefined when allowed, else the
 * refusal's message. Kafka 4.1.1 says "Request R needs OP permission.", R its RequestChannel.Request
 * (processor, connection ids, a Session object's hash, buffers); the emulator keeps that shape and
 * puts in R what a reader can use: the API, version, correlation id, session and listener
 * (KNOWN-DIFFERENCES.md).
 */
export function clusterOperationRefusal(
  ctx: Pick<HandlerContext, 'cluster' | 'connection' | 'header' | 'version'>,
  apiName: string,
  operation: AclOperationName,
): string | undefined {
  if (authorizeCluster(ctx, operation)) return undefined;
  const { principal, host } = identityOf(ctx);
  const listener = ctx.connection.security?.listener ?? 'PLAINTEXT';
  return `Request Request(api=${apiName}, version=${ctx.version}, correlationId=${ctx.header.correlationId}, session=Session(${principal},/${host}), listenerName=ListenerName(${listener})) needs ${operation} permission.`;
}
