/**
 * `kafkalab configs`: kafka-configs.sh's topic and broker flags — --describe [--all], --alter
 * --add-config k=v[,k=v] --delete-config k[,k] for --entity-type topics|brokers with --entity-name or
 * --entity-default — on kafkalab's admin client, printing what kafka-configs (ConfigCommand) prints;
 * users' and clients' quotas (configs-quotas.ts) and users' SCRAM credentials (configs-scram.ts).
 * Only option parsing and output here.
 */
import { Command, Option } from 'commander';
import { Admin, CONFIG_SOURCE_NAMES, type ConfigEntry, type ConfigOp } from '../../client/admin.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { alterQuotas, describeQuotas, quotaEntityOf } from './configs-quotas.js';
import { alterScram, describeScram, isScramConfig } from './configs-scram.js';
import { clientFlags, type Output } from './topics.js';

export interface ConfigsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  describe?: boolean;
  alter?: boolean;
  entityType?: string;
  entityName?: string;
  entityDefault?: boolean;
  topic?: string;
  broker?: string;
  brokerDefaults?: boolean;
  addConfig?: string;
  deleteConfig?: string;
  all?: boolean;
}

/** Where each config source shows in a plain --describe (ConfigCommand.getResourceConfig). */
const DYNAMIC_SOURCE = { topic: 1, broker: 2, brokerDefault: 3 } as const;

export function configsCommand(): Command {
  return clientFlags(
    new Command('configs').description('Describe and alter topic and broker configs (like kafka-configs.sh)'),
  )
    .addOption(new Option('--describe', 'list the configs of the entity').conflicts(['alter']))
    .option('--alter', 'change the configs of the entity (--add-config, --delete-config)')
    .addOption(
      new Option('--entity-type <type>', 'what to configure').choices([
        'topics',
        'brokers',
        'users',
        'clients',
      ]),
    )
    .option('--entity-name <name>', 'the topic name, or the broker id')
    .option('--entity-default', 'with --entity-type brokers: the cluster-wide default')
    .option('--topic <name>', 'shorthand for --entity-type topics --entity-name <name>')
    .option('--broker <id>', 'shorthand for --entity-type brokers --entity-name <id>')
    .option('--broker-defaults', 'shorthand for --entity-type brokers --entity-default')
    .option('--add-config <k=v,...>', "configs to set; a value holding commas goes in brackets: 'k=[a,b]'")
    .option('--delete-config <k,...>', 'configs to remove (back to what they inherit)')
    .option('--all', 'with --describe: every config, not only the dynamic ones')
    .action(async (options: ConfigsCliOptions) => {
      await runConfigs(options, process.stdout);
    });
}

/** kafka-configs' --add-config form: k=v pairs split on commas outside square brackets. */
export function parseAddConfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let depth = 0;
  let start = 0;
  const pairs: string[] = [];
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if ((ch === ',' && depth === 0) || i === text.length) {
      pairs.push(text.slice(start, i));
      start = i + 1;
    }
  }
  for (const pair of pairs) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--add-config: "${pair}" is not key=value`);
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
    out[pair.slice(0, eq).trim()] = value;
  }
  return out;
}

interface Entity {
  type: 'topics' | 'brokers';
  /** '' for --entity-default; undefined: every entity (describe only). */
  name: string | undefined;
}

function entityOf(o: ConfigsCliOptions): Entity {
  if (o.topic !== undefined) return { type: 'topics', name: o.topic };
  if (o.broker !== undefined) return { type: 'brokers', name: o.broker };
  if (o.brokerDefaults) return { type: 'brokers', name: '' };
  if (o.entityType !== 'topics' && o.entityType !== 'brokers')
    throw new UsageError('give --entity-type topics|brokers (or --topic, --broker, --broker-defaults)');
  if (o.entityDefault) {
    if (o.entityType === 'topics') throw new UsageError('--entity-default is for brokers only');
    return { type: 'brokers', name: '' };
  }
  return { type: o.entityType, name: o.entityName };
}

export async function runConfigs(o: ConfigsCliOptions, out: Output): Promise<void> {
  if (Boolean(o.describe) === Boolean(o.alter))
    throw new UsageError('give exactly one of --describe, --alter');
  if (o.entityType === 'users' || o.entityType === 'clients') return runQuotas(o, out);
  const entity = entityOf(o);
  if (entity.type === 'brokers' && entity.name && !/^-?\d+$/.test(entity.name))
    throw new UsageError(
      `The entity name for brokers must be a valid integer broker id, found: ${entity.name}`,
    );
  const admin = new Admin(clusterOptions(resolveClient('admin', o)));
  try {
    if (o.describe) await describe(admin, entity, Boolean(o.all), out);
    else await alter(admin, entity, o, out);
  } finally {
    await admin.close();
  }
}

/**
 * Client quotas (configs-quotas.ts): users or clients, by name or the default entity; and for users,
 * SCRAM credentials (configs-scram.ts), which kafka-configs shows after the quotas and which a
 * --describe without --entity-name lists for every user.
 */
async function runQuotas(o: ConfigsCliOptions, out: Output): Promise<void> {
  const users = o.entityType === 'users';
  const everyUser = users && o.describe && o.entityName === undefined && !o.entityDefault;
  const entity = everyUser ? undefined : quotaEntityOf(o.entityType!, o.entityName, Boolean(o.entityDefault));
  const admin = new Admin(clusterOptions(resolveClient('admin', o)));
  try {
    if (o.describe) {
      if (entity) await describeQuotas(admin.cluster, entity, out);
      if (users && !o.entityDefault) await describeScram(admin.cluster, o.entityName, out);
    } else {
      const adds = o.addConfig !== undefined ? parseAddConfig(o.addConfig) : {};
      const deletes = (o.deleteConfig ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      if (Object.keys(adds).length === 0 && deletes.length === 0)
        throw new UsageError('--alter needs --add-config or --delete-config');
      const keys = [...Object.keys(adds), ...deletes];
      if (users && keys.some(isScramConfig)) {
        if (!keys.every(isScramConfig))
          throw new UsageError(
            "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.",
          );
        await alterScram(admin.cluster, o.entityDefault ? null : o.entityName!, adds, deletes, out);
      } else await alterQuotas(admin.cluster, entity!, adds, deletes, out);
    }
  } finally {
    await admin.close();
  }
}

async function dynamicEntries(
  admin: Admin,
  entity: Entity & { name: string },
  all: boolean,
): Promise<ConfigEntry[]> {
  const type = entity.type === 'topics' ? 'topic' : 'broker';
  const [d] = await admin.describeConfigs({
    resources: [{ type, name: entity.name }],
    includeSynonyms: true,
  });
  const source =
    entity.type === 'topics'
      ? DYNAMIC_SOURCE.topic
      : entity.name === ''
        ? DYNAMIC_SOURCE.brokerDefault
        : DYNAMIC_SOURCE.broker;
  return d.configs
    .filter((c) => all || c.source === source)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function describe(admin: Admin, entity: Entity, all: boolean, out: Output): Promise<void> {
  let names: string[];
  if (entity.name !== undefined) names = [entity.name];
  else if (entity.type === 'topics') names = await admin.listTopics({ includeInternal: true });
  else names = [...(await admin.describeCluster()).brokers.map((b) => String(b.nodeId)), ''];
  for (const name of names) {
    let entries: ConfigEntry[];
    try {
      entries = await dynamicEntries(admin, { type: entity.type, name }, all);
    } catch (err) {
      // ConfigCommand 4.x says so on stdout and exits 0.
      if (entity.type === 'topics' && (err as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        out.write(`The topic '${name}' doesn't exist and doesn't have dynamic config.\n`);
        continue;
      }
      throw err;
    }
    if (name === '') out.write(`Default configs for ${entity.type} in the cluster are:\n`);
    else out.write(`${all ? 'All' : 'Dynamic'} configs for ${entity.type.slice(0, -1)} ${name} are:\n`);
    for (const e of entries) {
      const synonyms = e.synonyms.map(
        (s) => `${CONFIG_SOURCE_NAMES[s.source] ?? s.source}:${s.name}=${s.value}`,
      );
      out.write(`  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms.join(', ')}}\n`);
    }
  }
}

async function alter(admin: Admin, entity: Entity, o: ConfigsCliOptions, out: Output): Promise<void> {
  if (entity.name === undefined) throw new UsageError('--alter needs --entity-name or --entity-default');
  const adds = o.addConfig !== undefined ? parseAddConfig(o.addConfig) : {};
  const deletes = (o.deleteConfig ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (Object.keys(adds).length === 0 && deletes.length === 0)
    throw new UsageError('--alter needs --add-config or --delete-config');
  const target = { type: entity.type, name: entity.name };
  // ConfigCommand refuses to delete what is not set at this level.
  const current = new Set((await dynamicEntries(admin, target, false)).map((e) => e.name));
  const missing = deletes.filter((k) => !current.has(k));
  if (missing.length > 0) throw new UsageError(`Invalid config(s): ${missing.join(',')}`);
  const ops: ConfigOp[] = [
    ...Object.entries(adds).map(([name, value]) => ({ name, op: 'set' as const, value })),
    ...deletes.map((name) => ({ name, op: 'delete' as const })),
  ];
  await admin.incrementalAlterConfigs({
    resources: [{ type: entity.type === 'topics' ? 'topic' : 'broker', name: entity.name, ops }],
  });
  out.write(
    entity.name === ''
      ? `Completed updating default config for ${entity.type} in the cluster.\n`
      : `Completed updating config for ${entity.type.slice(0, -1)} ${entity.name}.\n`,
  );
}
