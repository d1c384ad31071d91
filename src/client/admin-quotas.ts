/**
 * Client quota administration (KIP-546): DescribeClientQuotas and AlterClientQuotas at any broker
 * (a KRaft broker forwards the alteration to the controller). Entities map an entity type (`user`,
 * `client-id`, `ip`) to a name, null for that type's default entity.
 */
import { AlterClientQuotas, DescribeClientQuotas } from '../protocol/messages/index.js';
import type { Cluster } from './cluster.js';
import { KafkaProtocolError } from './errors.js';

export type QuotaEntity = Record<string, string | null>;

export interface QuotaFilter {
  entityType: string;
  /** exact name, the default entity, or any entity of the type. */
  match: { name: string } | 'default' | 'any';
}

/** The quotas of the entities matching every filter (strict: those with no other entity types). */
export async function describeClientQuotas(
  cluster: Cluster,
  filters: readonly QuotaFilter[],
  strict = false,
): Promise<{ entity: QuotaEntity; values: Record<string, number> }[]> {
  return cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    const res = await conn.request(DescribeClientQuotas, {
      components: filters.map((f) => ({
        entityType: f.entityType,
        matchType: f.match === 'default' ? 1 : f.match === 'any' ? 2 : 0,
        match: typeof f.match === 'object' ? f.match.name : null,
      })),
      strict,
    });
    if (res.errorCode !== 0)
      throw new KafkaProtocolError(res.errorCode, { api: 'DescribeClientQuotas' }, res.errorMessage ?? null);
    return (res.entries ?? []).map((e) => ({
      entity: Object.fromEntries(e.entity.map((c) => [c.entityType, c.entityName ?? null])),
      values: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
    }));
  });
}

/** Sets (a number) or removes (null) quota keys of one entity; throws the broker's refusal. */
export async function alterClientQuotas(
  cluster: Cluster,
  entity: QuotaEntity,
  changes: Record<string, number | null>,
  validateOnly = false,
): Promise<void> {
  const res = await cluster.withRetries(async () => {
    const conn = await cluster.anyConnection();
    return conn.request(AlterClientQuotas, {
      entries: [
        {
          entity: Object.entries(entity).map(([entityType, entityName]) => ({ entityType, entityName })),
          ops: Object.entries(changes).map(([key, value]) => ({
            key,
            value: value ?? 0,
            remove: value === null,
          })),
        },
      ],
      validateOnly,
    });
  });
  const e = res.entries[0];
  if (e && e.errorCode !== 0)
    throw new KafkaProtocolError(e.errorCode, { api: 'AlterClientQuotas' }, e.errorMessage ?? null);
}
