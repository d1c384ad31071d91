/**
 * `kafkalab acls --add|--remove|--list`: kafka-acls.sh (Kafka 4.1.1's org.apache.kafka.tools.AclCommand)
 * on kafkalab's admin client — its flags, checks and first error lines, and its output:
 *
 *     Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:
 *      	(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)
 *
 *     Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:
 *     	(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)
 *
 * (the first form after --add, with the tool's trailing space and leading space; the second for
 * --list). The tool prints resources and ACLs in HashMap/HashSet order, which differs from run to run
 * (enum identity hashes); kafkalab prints them in the order given or the broker's. --add and
 * --remove --force print nothing else, as 4.1.1 does. Only parsing and output here.
 */
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { Admin } from '../../client/admin.js';
import { ANY_ACL } from '../../client/admin-acls.js';
import { KafkaProtocolError } from '../../client/errors.js';
import {
  ACL_OPERATIONS,
  type AclBinding,
  type AclBindingFilter,
  type AclOperationName,
  CLUSTER_NAME,
  type PatternTypeName,
  type ResourceTypeName,
} from '../../protocol/acls.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { javaError, javaMessage } from './groups-errors.js';
import { clientFlags, type Output } from './topics.js';

export interface AclsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  add?: boolean;
  remove?: boolean;
  list?: boolean;
  topic?: string[];
  group?: string[];
  cluster?: boolean;
  transactionalId?: string[];
  delegationToken?: string[];
  userPrincipal?: string[];
  resourcePatternType?: string;
  allowPrincipal?: string[];
  denyPrincipal?: string[];
  principal?: string[];
  allowHost?: string[];
  denyHost?: string[];
  operation?: string[];
  producer?: boolean;
  consumer?: boolean;
  idempotent?: boolean;
  force?: boolean;
}

/** The operations AclCommand accepts per resource type (its first error line prints them in this order). */
const VALID_OPERATIONS: Record<Exclude<ResourceTypeName, 'UNKNOWN' | 'ANY'>, AclOperationName[]> = {
  TOPIC: [
    'WRITE',
    'CREATE',
    'DELETE',
    'DESCRIBE_CONFIGS',
    'ALTER',
    'ALTER_CONFIGS',
    'ALL',
    'READ',
    'DESCRIBE',
  ],
  GROUP: ['READ', 'DESCRIBE', 'DELETE', 'ALL'],
  CLUSTER: [
    'CREATE',
    'IDEMPOTENT_WRITE',
    'CLUSTER_ACTION',
    'DESCRIBE_CONFIGS',
    'ALTER',
    'ALTER_CONFIGS',
    'ALL',
    'DESCRIBE',
  ],
  TRANSACTIONAL_ID: ['DESCRIBE', 'WRITE', 'TWO_PHASE_COMMIT', 'ALL'],
  DELEGATION_TOKEN: ['DESCRIBE', 'ALL'],
  USER: ['CREATE_TOKENS', 'DESCRIBE_TOKENS', 'ALL'],
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function aclsCommand(): Command {
  return clientFlags(new Command('acls').description('Add, remove or list ACLs (like kafka-acls.sh)'))
    .option('--add', 'Indicates you are trying to add ACLs.')
    .option('--remove', 'Indicates you are trying to remove ACLs.')
    .option(
      '--list',
      'List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource.',
    )
    .option('--topic <topic>', 'topic to which ACLs should be added or removed (repeatable)', collect)
    .option(
      '--group <group>',
      'Consumer Group to which the ACLs should be added or removed (repeatable)',
      collect,
    )
    .option('--cluster', 'Add/Remove cluster ACLs.')
    .option(
      '--transactional-id <id>',
      'The transactionalId to which ACLs should be added or removed (repeatable)',
      collect,
    )
    .option(
      '--delegation-token <token>',
      'Delegation token to which ACLs should be added or removed (repeatable)',
      collect,
    )
    .option(
      '--user-principal <principal>',
      'A user resource to which ACLs should be added or removed (repeatable)',
      collect,
    )
    .option(
      '--resource-pattern-type <type>',
      'LITERAL or PREFIXED (default LITERAL); --list and --remove also take ANY and MATCH',
    )
    .option('--allow-principal <principal>', 'principal in PrincipalType:name format (repeatable)', collect)
    .option('--deny-principal <principal>', 'principal in PrincipalType:name format (repeatable)', collect)
    .option('--principal <principal>', 'List ACLs for this principal only (repeatable, with --list)', collect)
    .option('--allow-host <host>', 'Host from which the allow principals have access (default * )', collect)
    .option('--deny-host <host>', 'Host from which the deny principals are denied (default * )', collect)
    .option(
      '--operation <operation>',
      'Operation that is being allowed or denied (repeatable, default All)',
      collect,
    )
    .option('--producer', 'Convenience option to add/remove ACLs for the producer role.')
    .option('--consumer', 'Convenience option to add/remove ACLs for the consumer role.')
    .option('--idempotent', 'Enable idempotence for the producer (with --producer).')
    .option('--force', 'Assume Yes to all queries and do not prompt.')
    .action(async (options: AclsCliOptions) => {
      await runAcls(options, process.stdout);
    });
}

/** `Read`, `IdempotentWrite`, `idempotent_write` → IDEMPOTENT_WRITE (SecurityUtils.operation). */
function operationFromFlag(value: string): AclOperationName | 'UNKNOWN' {
  const snake = value.includes('_') ? value : value.replace(/([a-z])([A-Z])/g, '$1_$2');
  const name = snake.toUpperCase();
  return (ACL_OPERATIONS as readonly string[]).includes(name) && name !== 'ANY' && name !== 'UNKNOWN'
    ? (name as AclOperationName)
    : 'UNKNOWN';
}

function patternType(o: AclsCliOptions): PatternTypeName {
  const v = (o.resourcePatternType ?? 'LITERAL').toUpperCase();
  if (!['ANY', 'MATCH', 'LITERAL', 'PREFIXED'].includes(v))
    throw new AclCommandError(
      `Cannot parse argument '${o.resourcePatternType}' of option resource-pattern-type`,
    );
  return v as PatternTypeName;
}

/** A failure AclCommand reports as `Error while executing ACL command: ...` on stdout (exit 1). */
export class AclCommandError extends Error {}

/** The Java exceptions the ACL APIs' codes become in the tool's line (ExecutionException.getMessage). */
const ACL_JAVA_ERRORS: Record<number, string> = {
  [-1]: 'UnknownServerException',
  31: 'ClusterAuthorizationException',
  42: 'InvalidRequestException',
  54: 'SecurityDisabledException',
};

function brokerRefusal(error: KafkaProtocolError): AclCommandError {
  const name = ACL_JAVA_ERRORS[error.code];
  return new AclCommandError(
    name
      ? `org.apache.kafka.common.errors.${name}: ${error.brokerMessage ?? javaMessage(error.code)}`
      : javaError(error.code, error.brokerMessage),
  );
}

interface Resource {
  resourceType: ResourceTypeName;
  resourceName: string;
}

function resources(o: AclsCliOptions): Resource[] {
  const out: Resource[] = [];
  for (const t of o.topic ?? []) out.push({ resourceType: 'TOPIC', resourceName: t });
  if (o.cluster) out.push({ resourceType: 'CLUSTER', resourceName: CLUSTER_NAME });
  for (const g of o.group ?? []) out.push({ resourceType: 'GROUP', resourceName: g });
  for (const t of o.transactionalId ?? []) out.push({ resourceType: 'TRANSACTIONAL_ID', resourceName: t });
  for (const t of o.delegationToken ?? []) out.push({ resourceType: 'DELEGATION_TOKEN', resourceName: t });
  for (const u of o.userPrincipal ?? []) out.push({ resourceType: 'USER', resourceName: u });
  return out;
}

function checkPrincipal(p: string): string {
  if (p.indexOf(':') <= 0)
    throw new AclCommandError(`expected a string in format principalType:principalName but got ${p}`);
  return p;
}

/** Checks AclCommandOptions.checkArgs makes, with its first line (the tool then prints its help). */
function checkArgs(o: AclsCliOptions): void {
  const actions = [o.add, o.remove, o.list].filter(Boolean).length;
  if (actions !== 1)
    throw new UsageError('Command must include exactly one action: --list, --add, --remove. ');
  if (o.list && (o.producer || o.consumer))
    throw new UsageError('Option "[list]" can\'t be used with option "[producer]" or "[consumer]"');
  if (o.idempotent && !o.producer)
    throw new UsageError('The --idempotent option is only available if --producer is set');
  if (o.consumer && !o.group?.length) throw new UsageError('With --consumer you must specify a --group');
  if (o.add && (o.resourcePatternType ?? '').toUpperCase() === 'MATCH')
    throw new UsageError("A '--resource-pattern-type' value of 'MATCH' is not valid when adding acls.");
  if (o.add && (o.resourcePatternType ?? '').toUpperCase() === 'ANY')
    throw new UsageError("A '--resource-pattern-type' value of 'ANY' is not valid when adding acls.");
}

/** The ACLs of --add / --remove, per resource, as AclCommand.getResourceToAcls builds them. */
function resourceAcls(
  o: AclsCliOptions,
  pattern: PatternTypeName,
): { resource: Resource; acls: AclBinding[] }[] {
  const allow = (o.allowPrincipal ?? []).map(checkPrincipal);
  const deny = (o.denyPrincipal ?? []).map(checkPrincipal);
  const entries = (operations: AclOperationName[]) => {
    const out: Omit<AclBinding, 'resourceType' | 'resourceName' | 'patternType'>[] = [];
    for (const [principals, hosts, permissionType] of [
      [allow, o.allowHost?.length ? o.allowHost : ['*'], 'ALLOW'],
      [deny, o.denyHost?.length ? o.denyHost : ['*'], 'DENY'],
    ] as const)
      for (const principal of principals)
        for (const host of hosts)
          for (const operation of operations) out.push({ principal, host, operation, permissionType });
    return out;
  };
  const all = resources(o);
  const byResource: { resource: Resource; operations: AclOperationName[] }[] = [];
  if (o.producer || o.consumer) {
    // The convenience roles (AclCommand.getProducerResourceFilterToAcls / getConsumer...).
    for (const r of all) {
      if (r.resourceType === 'TOPIC')
        byResource.push({
          resource: r,
          operations: [
            ...(o.producer ? (['WRITE', 'DESCRIBE', 'CREATE'] as const) : []),
            ...(o.consumer ? (['READ', 'DESCRIBE'] as const) : []),
          ],
        });
      if (r.resourceType === 'GROUP' && o.consumer) byResource.push({ resource: r, operations: ['READ'] });
      if (r.resourceType === 'TRANSACTIONAL_ID' && o.producer)
        byResource.push({ resource: r, operations: ['WRITE', 'DESCRIBE'] });
    }
    if (o.idempotent)
      byResource.push({
        resource: { resourceType: 'CLUSTER', resourceName: CLUSTER_NAME },
        operations: ['IDEMPOTENT_WRITE'],
      });
  } else {
    const operations = (o.operation?.length ? o.operation : ['All']).map(operationFromFlag);
    for (const r of all) {
      const valid = VALID_OPERATIONS[r.resourceType as keyof typeof VALID_OPERATIONS];
      if (operations.some((op) => !valid.includes(op as AclOperationName)))
        throw new UsageError(`ResourceType ${r.resourceType} only supports operations [${valid.join(', ')}]`);
      byResource.push({ resource: r, operations: operations as AclOperationName[] });
    }
  }
  return byResource.map(({ resource, operations }) => ({
    resource,
    acls: entries(operations).map((e) => ({ ...resource, patternType: pattern, ...e })),
  }));
}

function patternString(r: {
  resourceType: string;
  resourceName: string | null;
  patternType: string;
}): string {
  return `ResourcePattern(resourceType=${r.resourceType}, name=${r.resourceName}, patternType=${r.patternType})`;
}

function filterString(f: AclBindingFilter): string {
  return `ResourcePatternFilter(resourceType=${f.resourceType}, name=${f.resourceName === null ? '<any>' : f.resourceName}, patternType=${f.patternType})`;
}

function entryString(b: AclBinding): string {
  return `(principal=${b.principal}, host=${b.host}, operation=${b.operation}, permissionType=${b.permissionType})`;
}

/** Bindings grouped by resource pattern, in first-seen order. */
function grouped(bindings: AclBinding[]): AclBinding[][] {
  const out = new Map<string, AclBinding[]>();
  for (const b of bindings) {
    const k = patternString(b);
    out.set(k, [...(out.get(k) ?? []), b]);
  }
  return [...out.values()];
}

async function confirm(question: string): Promise<boolean> {
  process.stdout.write(`${question}\n`);
  const rl = createInterface({ input: process.stdin });
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return line.trim().toLowerCase() === 'y';
}

export async function runAcls(o: AclsCliOptions, out: Output): Promise<void> {
  checkArgs(o);
  try {
    await run(o, out);
  } catch (err) {
    if (!(err instanceof AclCommandError)) throw err;
    out.write(`Error while executing ACL command: ${err.message}\n`);
    process.exitCode = 1;
  }
}

async function run(o: AclsCliOptions, out: Output): Promise<void> {
  const pattern = patternType(o);
  if (o.add && !o.allowPrincipal?.length && !o.denyPrincipal?.length)
    throw new UsageError(
      'You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.',
    );
  const admin = new Admin(clusterOptions(resolveClient('admin', o)));
  try {
    if (o.add) {
      const plan = resourceAcls(o, pattern);
      for (const { resource, acls } of plan) {
        out.write(
          `Adding ACLs for resource \`${patternString({ ...resource, patternType: pattern })}\`: \n ${acls.map((a) => `\t${entryString(a)}`).join('\n')}\n\n`,
        );
        const results = await admin.createAcls(acls);
        const failed = results.find((r) => r.error);
        if (failed?.error) throw brokerRefusal(failed.error);
      }
      return;
    }
    const filters: AclBindingFilter[] = resources(o).map((r) => ({ ...ANY_ACL, ...r, patternType: pattern }));
    if (o.remove) {
      if (filters.length === 0)
        throw new UsageError(
          'You must specify one of: --topic, --cluster, --group, --transactional-id, --delegation-token, --user-principal when trying to remove ACLs.',
        );
      const specific =
        (o.allowPrincipal?.length ?? 0) + (o.denyPrincipal?.length ?? 0) > 0 || o.producer || o.consumer;
      const toDelete: AclBindingFilter[] = specific
        ? resourceAcls(o, pattern).flatMap((r) => r.acls)
        : filters;
      for (const f of filters) {
        if (!o.force) {
          const question = specific
            ? `Are you sure you want to remove ACLs: \n ${toDelete
                .filter((d) => d.resourceName === f.resourceName && d.resourceType === f.resourceType)
                .map((a) => `\t${entryString(a as AclBinding)}`)
                .join('\n')} \n from resource filter \`${filterString(f)}\`? (y/n)`
            : `Are you sure you want to delete all ACLs for resource filter \`${filterString(f)}\`? (y/n)`;
          if (!(await confirm(question))) continue;
        }
        const mine = specific
          ? toDelete.filter((d) => d.resourceName === f.resourceName && d.resourceType === f.resourceType)
          : [f];
        const results = await admin.deleteAcls(mine);
        const failed = results.find((r) => r.error);
        if (failed?.error) throw brokerRefusal(failed.error);
      }
      return;
    }
    // --list: every binding the resource filters match (all of them without one), per principal.
    const bindings: AclBinding[] = [];
    for (const f of filters.length
      ? filters
      : [{ ...ANY_ACL, patternType: o.resourcePatternType ? pattern : 'ANY' }])
      for (const b of await admin.describeAcls(f)) bindings.push(b);
    const print = (list: AclBinding[]) => {
      for (const group of grouped(list)) {
        out.write(
          `Current ACLs for resource \`${patternString(group[0] as AclBinding)}\`:\n${group.map((a) => `\t${entryString(a)}`).join('\n')}\n\n`,
        );
      }
    };
    const principals = (o.principal ?? []).map(checkPrincipal);
    if (principals.length === 0) print(bindings);
    for (const p of principals) {
      out.write(`ACLs for principal \`${p}\`\n`);
      print(bindings.filter((b) => b.principal === p));
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof AclCommandError) throw err;
    if (err instanceof KafkaProtocolError) throw brokerRefusal(err);
    throw new AclCommandError((err as Error).message);
  } finally {
    await admin.close();
  }
}
