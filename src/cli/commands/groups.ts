/**
 * `kafkalab groups`: kafka-consumer-groups.sh (Apache Kafka 4.1), same flags, same checks, same
 * output. --list [--state [S,..]] [--type [T,..]]; --describe (--group G.. | --all-groups)
 * [--offsets | --members | --state] [--verbose]; --delete; --reset-offsets with one of
 * --to-earliest/--to-latest/--to-current/--to-offset/--shift-by/--to-datetime/--by-duration over
 * --topic T[:P,..] or --all-topics, --dry-run (the default) or --execute; --delete-offsets.
 * Classic and KIP-848 consumer groups both: a consumer group's members show their epochs and
 * current vs target assignment with --members --verbose.
 *
 * Like Kafka's tool, a failure the broker reports ("Error: ..." on stdout) does not stop the other
 * groups' output; unlike it, kafkalab then exits 1 (Kafka's tool exits 0), so that scripts notice.
 */
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { GroupAdmin, type GroupInfo } from '../../client/admin-groups.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../client/consumer/offsets.js';
import { type TopicPartition, tpKey } from '../../client/consumer/types.js';
import { topicPartitionOrder } from '../../protocol/java-order.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { javaError, javaMessage } from './groups-errors.js';
import {
  deleteOffsetsTable,
  listOutput,
  MISSING,
  membersTable,
  type OffsetRow,
  offsetsTable,
  resetTable,
  stateTable,
} from './groups-format.js';
import { clientFlags } from './topics.js';

export interface GroupsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  list?: boolean;
  describe?: boolean;
  delete?: boolean;
  resetOffsets?: boolean;
  deleteOffsets?: boolean;
  validateRegex?: string;
  group?: string[];
  allGroups?: boolean;
  topic?: string[];
  allTopics?: boolean;
  members?: boolean;
  offsets?: boolean;
  verbose?: boolean;
  /** true: the flag alone; a string: a filter (--list). */
  state?: boolean | string;
  type?: boolean | string;
  dryRun?: boolean;
  execute?: boolean;
  toEarliest?: boolean;
  toLatest?: boolean;
  toCurrent?: boolean;
  toOffset?: string;
  shiftBy?: string;
  toDatetime?: string;
  byDuration?: string;
  timeout?: string;
}

const repeat = (v: string, prev: string[] = []) => [...prev, v];

export function groupsCommand(): Command {
  return clientFlags(
    new Command('groups').description(
      'List, describe, delete consumer groups, reset or delete their offsets (like kafka-consumer-groups.sh)',
    ),
  )
    .option('--list', 'list the consumer groups')
    .option('--describe', 'describe --group/--all-groups: offsets and lag (default), --members or --state')
    .option('--delete', 'delete the groups (they must have no members)')
    .option('--reset-offsets', 'reset the offsets of an inactive group (dry run unless --execute)')
    .option('--delete-offsets', 'delete the committed offsets of --topic from one group')
    .option(
      '--validate-regex <regex>',
      'check a subscription regex (JavaScript RegExp standing in for RE2/J)',
    )
    .option('--group <id>', 'the group (repeatable)', repeat)
    .option('--all-groups', 'every consumer group')
    .option('--topic <topic[:p,..]>', 'a topic, optionally some of its partitions (repeatable)', repeat)
    .option('--all-topics', 'every topic the group has committed offsets for (--reset-offsets)')
    .option('--members', 'with --describe: the members')
    .option('--offsets', 'with --describe: partitions, offsets and lag (the default)')
    .option('--verbose', 'with --describe: leader epochs, member epochs and assignments')
    .option('--state [states]', 'with --describe: the group state; with --list: show or filter by state')
    .option('--type [types]', 'with --list: show or filter by type (classic, consumer)')
    .option('--dry-run', 'show the new offsets only (the default)')
    .option('--execute', 'commit the new offsets')
    .option('--to-earliest', 'reset to the earliest offset')
    .option('--to-latest', 'reset to the latest offset')
    .option('--to-current', 'reset to the committed offset')
    .option('--to-offset <offset>', 'reset to this offset')
    .option('--shift-by <n>', 'move the committed offset by n (may be negative)')
    .option('--to-datetime <datetime>', 'the first offset at or after YYYY-MM-DDThh:mm:ss.sss[Z|+hh:mm]')
    .option('--by-duration <duration>', 'the first offset at or after now minus PnDTnHnMnS')
    .option('--timeout <ms>', 'how long to wait for the broker (default 5000)')
    .action(async (options: GroupsCliOptions) => {
      process.exitCode = await runGroups(options, process.stdout, process.stderr);
    });
}

const RESET_SPECS = [
  ['toOffset', 'to-offset'],
  ['toCurrent', 'to-current'],
  ['toDatetime', 'to-datetime'],
  ['byDuration', 'by-duration'],
  ['toEarliest', 'to-earliest'],
  ['toLatest', 'to-latest'],
  ['shiftBy', 'shift-by'],
] as const;

/** GroupState names (Kafka 4.1) a consumer group can be in, in the order Kafka lists them. */
const STATES = [
  'Empty',
  'CompletingRebalance',
  'Reconciling',
  'Dead',
  'Stable',
  'Assigning',
  'PreparingRebalance',
];
const TYPES = ['Consumer', 'Classic'];

const DRY_RUN_WARNING =
  'WARN: No action will be performed as the --execute option is missing. In a future major release, ' +
  'the default behavior of this command will be to prompt the user before executing the reset rather ' +
  'than doing a dry run. You should add the --dry-run option explicitly if you are scripting this ' +
  'command and want to keep the current default behavior without prompting.\n';

/** The option checks kafka-consumer-groups makes before it connects. */
function checkArgs(o: GroupsCliOptions, err: Writable): void {
  const actions = [
    o.list,
    o.describe,
    o.delete,
    o.resetOffsets,
    o.deleteOffsets,
    o.validateRegex !== undefined,
  ].filter(Boolean).length;
  if (actions !== 1)
    throw new UsageError(
      'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex',
    );
  const groups = (o.group?.length ?? 0) > 0;
  const needGroups = (action: string) => {
    if (!groups && !o.allGroups)
      throw new UsageError(`Option [${action}] takes one of these options: [all-groups], [group]`);
    if (groups && o.allGroups)
      throw new UsageError(`Option [${action}] takes at most one of these options: [all-groups], [group]`);
  };
  if (o.describe) {
    needGroups('describe');
    const sub = [o.members, o.offsets, o.state].filter(Boolean).length;
    if (sub > 1)
      throw new UsageError(
        'Option [describe] takes at most one of these options: [members], [offsets], [state]',
      );
    if (typeof o.state === 'string')
      throw new UsageError('Option [describe] does not take a value for [state]');
  } else {
    for (const [flag, name] of [
      [o.members, 'members'],
      [o.offsets, 'offsets'],
      [o.verbose, 'verbose'],
    ] as const) {
      if (flag) throw new UsageError(`Option [${name}] is applicable only when [describe] is used.`);
    }
  }
  if (o.state !== undefined && !o.describe && !o.list)
    throw new UsageError('Option [state] is applicable only when [describe] or [list] is used.');
  if (o.type !== undefined && !o.list)
    throw new UsageError('Option [type] is applicable only when [list] is used.');
  if (o.delete) needGroups('delete');
  if (o.deleteOffsets) {
    if (!groups || o.group!.length > 1 || o.allGroups)
      throw new UsageError('Option [delete-offsets] takes the following options: [group], [topic]');
    if (!o.topic?.length)
      throw new UsageError('Option [delete-offsets] takes the following options: [group], [topic]');
  }
  if (o.resetOffsets) {
    if (!o.dryRun && !o.execute) err.write(DRY_RUN_WARNING);
    if (o.dryRun && o.execute)
      throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    needGroups('reset-offsets');
    const specs = RESET_SPECS.filter(([key]) => o[key] !== undefined && o[key] !== false);
    if (specs.length === 0)
      throw new UsageError(
        "Option '[reset-offsets]' requires one of the following scenarios: " +
          '[[to-offset], [to-current], [to-datetime], [from-file], [by-duration], [to-earliest], [to-latest], [shift-by]]',
      );
    if (specs.length > 1)
      throw new UsageError(
        `Option [reset-offsets] takes at most one of these options: ${specs.map(([, n]) => `[${n}]`).join(', ')}`,
      );
    if (!o.allTopics && !o.topic?.length)
      throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
    if (o.allTopics && o.topic?.length)
      throw new UsageError(
        'Option [reset-offsets] takes at most one of these options: [all-topics], [topic]',
      );
  } else {
    for (const [key, name] of [
      ...RESET_SPECS,
      ['dryRun', 'dry-run'],
      ['execute', 'execute'],
      ['allTopics', 'all-topics'],
    ] as const) {
      if (o[key as keyof GroupsCliOptions] !== undefined)
        throw new UsageError(`Option [${name}] is applicable only when [reset-offsets] is used.`);
    }
  }
  if (o.topic?.length && !o.resetOffsets && !o.deleteOffsets)
    throw new UsageError(
      'Option [topic] is applicable only when [reset-offsets] or [delete-offsets] is used.',
    );
}

/** Kafka's comma-separated --state / --type lists, checked against the known names. */
function parseNames(input: string, valid: string[], what: 'state' | 'types'): string[] {
  const out = input.split(',').map((s) => {
    const name = valid.find((v) => v.toLowerCase() === s.trim().toLowerCase());
    if (!name)
      throw new UsageError(
        what === 'state'
          ? `Invalid state list '${input}'. Valid states are: ${valid.join(', ')}`
          : `Invalid types list '${input}'. Valid types are: ${valid.join(', ')}`,
      );
    return name;
  });
  return [...new Set(out)];
}

/** Runs one invocation; answers the exit code (1 once an "Error:" line was printed). */
export async function runGroups(o: GroupsCliOptions, out: Writable, err: Writable): Promise<number> {
  checkArgs(o, err);
  if (o.validateRegex !== undefined) return validateRegex(o.validateRegex, out);
  const states = typeof o.state === 'string' && o.list ? parseNames(o.state, STATES, 'state') : [];
  const types =
    typeof o.type === 'string' ? parseNames(o.type, TYPES, 'types').map((t) => t.toLowerCase()) : [];
  const resolved = resolveClient('admin', o);
  const timeoutMs = o.timeout === undefined ? undefined : Number(o.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
    throw new UsageError(`--timeout must be a positive number of milliseconds, not '${o.timeout}'`);
  const s = clusterOptions(resolved, 'kafkalab-consumer-groups');
  const admin = new GroupAdmin({
    bootstrap: s.bootstrap,
    clientId: s.clientId,
    requestTimeoutMs: timeoutMs ?? s.requestTimeoutMs,
  });
  const run = new GroupsRun(admin, o, out, err);
  try {
    if (o.list) await run.list(states, types);
    else if (o.describe) await run.describe();
    else if (o.delete) await run.delete();
    else if (o.resetOffsets) await run.reset();
    else await run.deleteOffsets();
    return run.failed ? 1 : 0;
  } finally {
    await admin.close();
  }
}

class GroupsRun {
  failed = false;

  constructor(
    private readonly admin: GroupAdmin,
    private readonly o: GroupsCliOptions,
    private readonly out: Writable,
    private readonly err: Writable,
  ) {}

  /** Kafka's printError: a blank line, then `Error: ...`, on stdout. */
  private error(message: string): void {
    this.failed = true;
    this.out.write(`\nError: ${message}\n`);
  }

  /** The groups kafka-consumer-groups deals with: classic groups of consumers (or offsets only) and KIP-848 ones. */
  private async consumerGroups(filter: { states?: string[]; types?: string[] } = {}) {
    const all = await this.admin.listGroups(filter);
    return all.filter((g) => g.type !== 'share' && (g.protocolType === 'consumer' || g.protocolType === ''));
  }

  private async groupIds(): Promise<string[]> {
    return this.o.allGroups ? (await this.consumerGroups()).map((g) => g.groupId) : this.o.group!;
  }

  async list(states: string[], types: string[]): Promise<void> {
    const withType = this.o.type !== undefined;
    const withState = this.o.state !== undefined;
    const groups = await this.consumerGroups({ states, types });
    this.out.write(listOutput(groups, withType, withState));
  }

  /** The state line Kafka writes before a group's table; false when there is no table to print. */
  private stateNotice(group: GroupInfo, rows: number): boolean {
    switch (group.state) {
      case 'Dead':
        this.error(`Consumer group '${group.groupId}' does not exist.`);
        return false;
      case 'Empty':
        this.err.write(`\nConsumer group '${group.groupId}' has no active members.\n`);
        break;
      case 'PreparingRebalance':
      case 'CompletingRebalance':
      case 'Assigning':
      case 'Reconciling':
        this.err.write(`\nWarning: Consumer group '${group.groupId}' is rebalancing.\n`);
        break;
    }
    return rows > 0;
  }

  async describe(): Promise<void> {
    const ids = [...new Set(await this.groupIds())].sort();
    const groups: GroupInfo[] = [];
    for (const id of ids) {
      const g = await this.admin.describeGroup(id);
      if (!g) {
        // Kafka 4.1's Admin fails the whole describe for one unknown group.
        this.error(
          `Executing consumer group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group ${id} not found.`,
        );
        return;
      }
      groups.push(g);
    }
    const verbose = this.o.verbose === true;
    for (const g of groups) {
      if (this.o.members) {
        this.stateNotice(g, g.members.length);
        this.out.write(membersTable(g, verbose));
      } else if (this.o.state) {
        if (this.stateNotice(g, 1)) this.out.write(stateTable(g, verbose));
      } else {
        const rows = await this.offsetRows(g);
        if (this.stateNotice(g, rows.length)) this.out.write(offsetsTable(rows, verbose));
      }
    }
  }

  /** Assigned partitions member by member (the biggest assignment first), then committed ones nobody owns. */
  private async offsetRows(g: GroupInfo): Promise<OffsetRow[]> {
    const committed = await this.admin.committedOffsets(g.groupId);
    const owners = g.members
      .filter((m) => m.assignment.length > 0)
      .sort((a, b) => b.assignment.length - a.assignment.length);
    const assigned = new Set(owners.flatMap((m) => m.assignment.map((tp) => tpKey(tp.topic, tp.partition))));
    const unassigned = [...committed.values()].filter((c) => !assigned.has(tpKey(c.topic, c.partition)));
    const all = [...owners.flatMap((m) => m.assignment), ...unassigned];
    const ends = await this.admin.offsetsAt(all, LATEST_TIMESTAMP);
    const row = (tp: TopicPartition, consumerId: string, host: string, clientId: string): OffsetRow => {
      const c = committed.get(tpKey(tp.topic, tp.partition));
      const end = ends.get(tpKey(tp.topic, tp.partition)) ?? null;
      return {
        group: g.groupId,
        topic: tp.topic,
        partition: tp.partition,
        leaderEpoch: c && c.leaderEpoch >= 0 ? c.leaderEpoch : null,
        offset: c?.offset ?? null,
        logEndOffset: end,
        lag: c && end !== null ? end - c.offset : null,
        consumerId,
        host,
        clientId,
      };
    };
    const byPartition = (list: TopicPartition[]) => [...list].sort((a, b) => a.partition - b.partition);
    return [
      ...owners.flatMap((m) =>
        topicPartitionOrder(byPartition(m.assignment)).map((tp) => row(tp, m.memberId, m.host, m.clientId)),
      ),
      ...topicPartitionOrder(byPartition(unassigned)).map((tp) => row(tp, MISSING, MISSING, MISSING)),
    ];
  }

  async delete(): Promise<void> {
    const ids = await this.groupIds();
    const results = await this.admin.deleteGroups(ids);
    const ok = results.filter((r) => !r.error).map((r) => `'${r.groupId}'`);
    const failed = results.filter((r) => r.error);
    if (failed.length === 0) {
      this.out.write(`Deletion of requested consumer groups (${ok.join(', ')}) was successful.\n`);
      return;
    }
    this.error(
      `Deletion of some consumer groups failed:\n${failed
        .map((r) => `* Group '${r.groupId}' could not be deleted due to: ${javaError(r.error!.code)}`)
        .join('\n')}`,
    );
    if (ok.length > 0)
      this.out.write(`\nThese consumer groups were deleted successfully: ${ok.join(', ')}\n`);
  }

  /** `t` (every partition) or `t:0,2`; unknown topics are reported by the caller. */
  private async parseTopics(args: string[]): Promise<{ partitions: TopicPartition[]; unknown: string[] }> {
    const partitions: TopicPartition[] = [];
    const whole: string[] = [];
    for (const arg of args) {
      const colon = arg.lastIndexOf(':');
      if (colon < 0) {
        whole.push(arg);
        continue;
      }
      const topic = arg.slice(0, colon);
      const list = arg.slice(colon + 1);
      if (topic === '' || list === '')
        throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
      for (const p of list.split(',')) {
        const n = Number(p.trim());
        if (!Number.isInteger(n) || n < 0 || p.trim() === '')
          throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
        partitions.push({ topic, partition: n });
      }
    }
    const known = await this.admin.topicPartitions(whole);
    const unknown: string[] = [];
    for (const t of whole) {
      const ps = known.get(t);
      if (ps) for (const partition of ps) partitions.push({ topic: t, partition });
      else unknown.push(t);
    }
    return { partitions, unknown };
  }

  async reset(): Promise<void> {
    const ids = await this.groupIds();
    const plans: { groupId: string; offsets: { topic: string; partition: number; offset: bigint }[] }[] = [];
    for (const groupId of ids) {
      const g = await this.admin.describeGroup(groupId);
      const state = g?.state ?? 'Dead';
      if (state !== 'Empty' && state !== 'Dead') {
        this.error(
          `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${state}.`,
        );
        plans.push({ groupId, offsets: [] });
        continue;
      }
      const committed = await this.admin.committedOffsets(groupId);
      let partitions: TopicPartition[];
      if (this.o.allTopics) {
        partitions = [...committed.values()].map((c) => ({ topic: c.topic, partition: c.partition }));
      } else {
        const parsed = await this.parseTopics(this.o.topic!);
        if (parsed.unknown.length > 0) {
          this.error(
            `Executing consumer group command failed due to org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.`,
          );
          return;
        }
        partitions = parsed.partitions;
      }
      const offsets = await this.planOffsets(partitions, committed);
      if (offsets === null) return;
      if (this.o.execute) await this.admin.alterOffsets(groupId, offsets);
      plans.push({ groupId, offsets });
    }
    this.out.write(resetTable(plans));
  }

  /** The new offset of every partition for the chosen reset specification, or null after an error. */
  private async planOffsets(
    partitions: TopicPartition[],
    committed: Map<string, { offset: bigint }>,
  ): Promise<{ topic: string; partition: number; offset: bigint }[] | null> {
    const o = this.o;
    const at = (ts: bigint) => this.admin.offsetsAt(partitions, ts);
    const key = (tp: TopicPartition) => tpKey(tp.topic, tp.partition);
    if (o.toEarliest || o.toLatest) {
      const found = await at(o.toEarliest ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
      return partitions.map((tp) => ({ ...tp, offset: found.get(key(tp))! }));
    }
    if (o.toDatetime !== undefined || o.byDuration !== undefined) {
      const ts =
        o.toDatetime !== undefined ? parseDateTime(o.toDatetime) : Date.now() - parseDuration(o.byDuration!);
      const found = await at(BigInt(ts));
      const latest = await at(LATEST_TIMESTAMP);
      for (const tp of topicPartitionOrder(partitions)) {
        if ((found.get(key(tp)) ?? -1n) < 0n)
          this.out.write(
            `\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`,
          );
      }
      return partitions.map((tp) => {
        const f = found.get(key(tp)) ?? -1n;
        return { ...tp, offset: f >= 0n ? f : latest.get(key(tp))! };
      });
    }
    if (o.toCurrent) {
      const latest = await at(LATEST_TIMESTAMP);
      return partitions.map((tp) => ({
        ...tp,
        offset: committed.get(key(tp))?.offset ?? latest.get(key(tp))!,
      }));
    }
    // --to-offset and --shift-by: a wanted offset, kept within [earliest, latest] with a warning.
    const [earliest, latest] = await Promise.all([at(EARLIEST_TIMESTAMP), at(LATEST_TIMESTAMP)]);
    const out: { topic: string; partition: number; offset: bigint }[] = [];
    // Kafka walks the partitions in its HashMap's order, which is the order of its warnings.
    for (const tp of topicPartitionOrder(partitions)) {
      let wanted: bigint;
      if (o.toOffset !== undefined) {
        wanted = parseLong(o.toOffset, '--to-offset');
      } else {
        const current = committed.get(key(tp));
        if (!current) {
          this.error(
            `Cannot shift offset for partition ${tp.topic}-${tp.partition} since there is no current committed offset`,
          );
          return null;
        }
        wanted = current.offset + parseLong(o.shiftBy!, '--shift-by');
      }
      const lo = earliest.get(key(tp))!;
      const hi = latest.get(key(tp))!;
      const name = `${tp.topic}-${tp.partition}`;
      if (wanted > hi) {
        this.err.write(
          `WARN New offset (${wanted}) is higher than latest offset for topic partition ${name}. Value will be set to ${hi}\n`,
        );
        wanted = hi;
      } else if (wanted < lo) {
        this.err.write(
          `WARN New offset (${wanted}) is lower than earliest offset for topic partition ${name}. Value will be set to ${lo}\n`,
        );
        wanted = lo;
      }
      out.push({ ...tp, offset: wanted });
    }
    return out;
  }

  async deleteOffsets(): Promise<void> {
    const groupId = this.o.group![0];
    const { partitions, unknown } = await this.parseTopics(this.o.topic!);
    const result =
      partitions.length > 0
        ? await this.admin.deleteOffsets(groupId, partitions)
        : { errorCode: 0, partitions: [] as { topic: string; partition: number; errorCode: number }[] };
    const rows: { topic: string; partition: number | null; status: string }[] = unknown.map((topic) => ({
      topic,
      partition: null,
      status: `Error: ${javaError(3)}`,
    }));
    const codes = new Map(result.partitions.map((p) => [tpKey(p.topic, p.partition), p.errorCode]));
    for (const tp of partitions) {
      const code = result.errorCode || (codes.get(tpKey(tp.topic, tp.partition)) ?? 0);
      rows.push({ ...tp, status: code === 0 ? 'Successful' : `Error: ${javaError(code)}` });
    }
    const partitionError = result.partitions.find((p) => p.errorCode !== 0)?.errorCode ?? 0;
    if (result.errorCode !== 0) this.error(javaMessage(result.errorCode));
    else if (partitionError !== 0)
      this.error('Encountered some partition-level error, see the follow-up details.');
    else this.out.write(`Request succeeded for deleting offsets from group ${groupId}.\n`);
    this.out.write(deleteOffsetsTable(rows));
  }
}

/**
 * --validate-regex: whether a subscription pattern compiles. Kafka checks RE2/J's syntax; kafkalab's
 * emulator resolves patterns with JavaScript's RegExp, so that is what is checked here (the two
 * agree on the common syntax; the error text is JavaScript's).
 */
function validateRegex(pattern: string, out: Writable): number {
  try {
    new RegExp(pattern, 'u');
    out.write(`The regular expression \`${pattern}\` is valid.\n`);
    return 0;
  } catch (e) {
    out.write(`The regular expression \`${pattern}\` is invalid: ${(e as Error).message}.\n`);
    return 1;
  }
}

function parseLong(text: string, flag: string): bigint {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`${flag} needs a whole number, not '${text}'`);
  return BigInt(text.trim());
}

/**
 * --to-datetime as Kafka's Utils.getDateTime reads it: yyyy-MM-ddTHH:mm:ss.SSS, then optionally Z or
 * an offset (+hh:mm / +hhmm); without one, this machine's time zone.
 */
export function parseDateTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  const ms = m
    ? Date.parse(m[1] + (m[2] ? (m[2] === 'Z' ? 'Z' : m[2].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')) : ''))
    : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `Error parsing timestamp '${text}': expected YYYY-MM-DDThh:mm:ss.sss, optionally with Z or +hh:mm`,
    );
  return ms;
}

/** --by-duration as java.time.Duration.parse reads PnDTnHnMnS; answers milliseconds. */
export function parseDuration(text: string): number {
  const m =
    /^([+-]?)P(?:([+-]?\d+)D)?(?:T(?:([+-]?\d+)H)?(?:([+-]?\d+)M)?(?:([+-]?\d+(?:\.\d{1,9})?)S)?)?$/i.exec(
      text.trim(),
    );
  if (!m || (m[2] ?? m[3] ?? m[4] ?? m[5]) === undefined || /T$/i.test(text.trim()))
    throw new UsageError(`Error parsing duration '${text}': expected PnDTnHnMnS (java.time.Duration)`);
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const ms = ((n(m[2]) * 24 + n(m[3])) * 60 + n(m[4])) * 60_000 + n(m[5]) * 1000;
  return m[1] === '-' ? -ms : ms;
}
