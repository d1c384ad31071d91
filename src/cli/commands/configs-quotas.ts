/**
 * `kafkalab configs --entity-type users|clients`: client quotas as kafka-configs.sh sets and shows
 * them — --alter --add-config producer_byte_rate=1024,consumer_byte_rate=2048 / --delete-config k,
 * --describe; --entity-name NAME or --entity-default (one entity type per command: the
 * user + client-id pair kafka-configs takes as two --entity-type flags is not offered yet). Output
 * checked against Kafka 4.1.1's kafka-configs run against the emulator (test/cli/configs-quotas.test.ts).
 */

import { alterClientQuotas, describeClientQuotas, type QuotaEntity } from '../../client/admin-quotas.js';
import type { Cluster } from '../../client/cluster.js';
import { UsageError } from '../errors.js';
import type { Output } from './topics.js';

const ENTITY_TYPE: Record<string, string> = { users: 'user', clients: 'client-id', ips: 'ip' };

/** users/clients/ips + a name ('' or undefined with --entity-default = the default entity). */
export function quotaEntityOf(type: string, name: string | undefined, entityDefault: boolean): QuotaEntity {
  const entityType = ENTITY_TYPE[type];
  if (!entityType) throw new UsageError(`unknown quota entity type '${type}' (users, clients, ips)`);
  if (!entityDefault && (name === undefined || name === ''))
    throw new UsageError(`--entity-type ${type} needs --entity-name or --entity-default`);
  return { [entityType]: entityDefault ? null : name! };
}

const describeEntity = (e: QuotaEntity) =>
  Object.entries(e)
    .map(([type, name]) => {
      const what = type === 'user' ? 'user-principal' : type;
      return name === null ? `the default ${what}` : `${what} '${name}'`;
    })
    .join(', ');

/** Kafka prints quota values as Java doubles: 1024.0. */
const javaDouble = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

export async function alterQuotas(
  cluster: Cluster,
  entity: QuotaEntity,
  adds: Record<string, string>,
  deletes: string[],
  out: Output,
): Promise<void> {
  const changes: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(adds)) {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`--add-config: ${k}=${v} is not a number`);
    changes[k] = n;
  }
  for (const k of deletes) changes[k] = null;
  await alterClientQuotas(cluster, entity, changes);
  // kafka-configs names the entity type as given on the command line: users, clients.
  const type = Object.keys(ENTITY_TYPE).find((t) => ENTITY_TYPE[t] === Object.keys(entity)[0])!;
  const name = Object.values(entity)[0];
  out.write(
    name === null
      ? `Completed updating default config for ${type} in the cluster.\n`
      : `Completed updating config for ${type.slice(0, -1)} ${name}.\n`,
  );
}

export async function describeQuotas(cluster: Cluster, entity: QuotaEntity, out: Output): Promise<void> {
  const filters = Object.entries(entity).map(([entityType, name]) => ({
    entityType,
    match: name === null ? ('default' as const) : { name },
  }));
  const found = await describeClientQuotas(cluster, filters, true);
  for (const f of found) {
    const values = Object.entries(f.values)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${javaDouble(v)}`)
      .join(', ');
    out.write(`Quota configs for ${describeEntity(f.entity)} are ${values}\n`);
  }
}
