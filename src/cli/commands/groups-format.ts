/**
 * kafka-consumer-groups' tables, column for column as Apache Kafka 4.1's ConsumerGroupCommand prints
 * them (checked against the 4.1.1 tool on a real broker, test/cli/groups.test.ts): left-aligned
 * columns padded to a minimum width (java.util.Formatter's `%-Ns`, which never truncates), the
 * trailing spaces that padding leaves, a blank line before each table, `-` for a missing value.
 * Rows come in the order Kafka's HashMaps give them (../java-order.ts).
 */
import type { GroupInfo, GroupListing, GroupMemberInfo } from '../../client/admin-groups.js';
import type { TopicPartition } from '../../client/consumer/types.js';
import { javaHashMapOrder, javaStringHash, topicPartitionOrder } from '../../protocol/java-order.js';

export const MISSING = '-';

/** java.util.Formatter `%-Ns`. */
const pad = (s: string, width: number) => s.padEnd(width);
/** One printf: each cell padded to its width, joined by one space; width 0 = `%s` (the last column). */
const line = (cells: string[], widths: number[]) => cells.map((c, i) => pad(c, widths[i])).join(' ');
const widest = (min: number, values: string[]) => Math.max(min, ...values.map((v) => v.length));

/** GroupType.toString: `Classic`, `Consumer`. */
export function typeName(type: string | null): string {
  if (!type) return 'Unknown';
  return type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
}

/** `--list`: the ids alone, or with TYPE and/or STATE columns when --type/--state is given. */
export function listOutput(groups: GroupListing[], withType: boolean, withState: boolean): string {
  const ordered = javaHashMapOrder(groups, (g) => javaStringHash(g.groupId));
  if (!withType && !withState) return ordered.map((g) => `${g.groupId}\n`).join('');
  const idWidth =
    widest(
      15,
      ordered.map((g) => g.groupId),
    ) + 10;
  const widths = [idWidth, ...(withType ? [20] : []), ...(withState ? [20] : [])];
  const row = (id: string, type: string, state: string) =>
    `${line([id, ...(withType ? [type] : []), ...(withState ? [state] : [])], widths)}\n`;
  return (
    row('GROUP', 'TYPE', 'STATE') +
    ordered.map((g) => row(g.groupId, typeName(g.type), g.state ?? 'Unknown')).join('')
  );
}

export interface OffsetRow {
  group: string;
  topic: string | null;
  partition: number | null;
  leaderEpoch: number | null;
  offset: bigint | null;
  logEndOffset: bigint | null;
  lag: bigint | null;
  consumerId: string;
  host: string;
  clientId: string;
}

const opt = (v: bigint | number | null) => (v === null ? MISSING : String(v));

/** `--describe [--offsets] [--verbose]`: one table per group, a line per partition. */
export function offsetsTable(rows: OffsetRow[], verbose: boolean): string {
  const widths = [
    widest(
      15,
      rows.map((r) => r.group),
    ),
    widest(
      15,
      rows.map((r) => r.topic ?? MISSING),
    ),
    10,
    ...(verbose ? [15] : []),
    15,
    15,
    15,
    widest(
      15,
      rows.map((r) => r.consumerId),
    ),
    widest(
      15,
      rows.map((r) => r.host),
    ),
    0,
  ];
  const cells = (c: string[]) => `\n${line(c, widths)}`;
  let out = cells([
    'GROUP',
    'TOPIC',
    'PARTITION',
    ...(verbose ? ['LEADER-EPOCH'] : []),
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
  ]);
  for (const r of rows) {
    out += cells([
      r.group,
      r.topic ?? MISSING,
      opt(r.partition),
      ...(verbose ? [opt(r.leaderEpoch)] : []),
      opt(r.offset),
      opt(r.logEndOffset),
      opt(r.lag),
      r.consumerId,
      r.host,
      r.clientId,
    ]);
  }
  return `${out}\n`;
}

/** `topic:p,p;topic:p` — topics sorted, partitions sorted numerically (Kafka's assignment string). */
export function assignmentString(tps: readonly TopicPartition[]): string {
  if (tps.length === 0) return MISSING;
  const byTopic = new Map<string, number[]>();
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic]
    .map(([topic, ps]) => `${topic}:${ps.sort((a, b) => a - b).join(',')}`)
    .sort()
    .join(';');
}

/** `--describe --members [--verbose]`: a line per member; with --verbose epochs and assignments. */
export function membersTable(group: GroupInfo, verbose: boolean): string {
  const ms = group.members;
  const withInstance = ms.some((m) => (m.groupInstanceId ?? '') !== '');
  const current = (m: GroupMemberInfo) => assignmentString(m.assignment);
  const target = (m: GroupMemberInfo) =>
    m.targetAssignment ? assignmentString(m.targetAssignment) : MISSING;
  const widths = [
    widest(
      15,
      ms.map(() => group.groupId),
    ),
    widest(
      15,
      ms.map((m) => m.memberId),
    ),
    ...(withInstance
      ? [
          widest(
            17,
            ms.map((m) => m.groupInstanceId ?? ''),
          ),
        ]
      : []),
    widest(
      15,
      ms.map((m) => m.host),
    ),
    widest(
      15,
      ms.map((m) => m.clientId),
    ),
    15,
  ];
  const epochWidths = [15, widest(20, ms.map(current)), 15, widest(20, ms.map(target))];
  // kafka-consumer-groups 4.1 adds UPGRADED (not padded) only to a group mixing consumer-protocol
  // and classic-protocol members, i.e. one in the middle of an online migration.
  const upgradedColumn = ms.some((m) => m.upgraded === true) && ms.some((m) => m.upgraded === false);
  const verboseLine = (cells: string[], upgraded: string) =>
    upgradedColumn ? `${line(cells, epochWidths)} ${upgraded}` : line(cells, epochWidths);
  // Each printf of the base columns ends with a space, the verbose ones do not.
  const base = (c: string[]) => `${line(c, widths)} `;
  let out = `\n${base(['GROUP', 'CONSUMER-ID', ...(withInstance ? ['GROUP-INSTANCE-ID'] : []), 'HOST', 'CLIENT-ID', '#PARTITIONS'])}`;
  if (verbose)
    out += verboseLine(
      ['CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT'],
      'UPGRADED',
    );
  out += '\n';
  for (const m of ms) {
    out += base([
      group.groupId,
      m.memberId,
      ...(withInstance ? [m.groupInstanceId ?? ''] : []),
      m.host,
      m.clientId,
      String(m.assignment.length),
    ]);
    if (verbose) {
      out += verboseLine(
        [
          m.memberEpoch === null ? MISSING : String(m.memberEpoch),
          current(m),
          group.assignmentEpoch === null || m.targetAssignment === null
            ? MISSING
            : String(group.assignmentEpoch),
          target(m),
        ],
        m.upgraded === null ? MISSING : String(m.upgraded),
      );
    }
    out += '\n';
  }
  return out;
}

/** `--describe --state [--verbose]`: the group's coordinator, assignor, state and size. */
export function stateTable(group: GroupInfo, verbose: boolean): string {
  const c = group.coordinator;
  const coordinator = `${c.host}:${c.port}  (${c.nodeId})`;
  const widths = [
    Math.max(15, group.groupId.length),
    Math.max(25, coordinator.length),
    20,
    20,
    ...(verbose ? [15, 25] : []),
    0,
  ];
  const row = (cells: string[]) => `\n${line(cells, widths)}`;
  const epochs = (a: string, b: string) => (verbose ? [a, b] : []);
  return (
    row([
      'GROUP',
      'COORDINATOR (ID)',
      'ASSIGNMENT-STRATEGY',
      'STATE',
      ...epochs('GROUP-EPOCH', 'TARGET-ASSIGNMENT-EPOCH'),
      '#MEMBERS',
    ]) +
    row([
      group.groupId,
      coordinator,
      group.assignor === '' ? MISSING : group.assignor,
      group.state,
      ...epochs(opt(group.groupEpoch), opt(group.assignmentEpoch)),
      String(group.members.length),
    ]) +
    '\n'
  );
}

/** `--reset-offsets` (dry run or executed): GROUP TOPIC PARTITION NEW-OFFSET, groups and rows in map order. */
export function resetTable(
  plans: { groupId: string; offsets: { topic: string; partition: number; offset: bigint }[] }[],
): string {
  const widths = [30, 30, 10, 15];
  let out = '';
  if (plans.length > 0) out += `\n${line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], widths)}`;
  for (const plan of javaHashMapOrder(plans, (p) => javaStringHash(p.groupId))) {
    for (const o of topicPartitionOrder(plan.offsets)) {
      out += `\n${line([plan.groupId, o.topic, String(o.partition), String(o.offset)], widths)}`;
    }
  }
  return `${out}\n`;
}

/** `--delete-offsets`' table: TOPIC PARTITION STATUS, sorted as Kafka does on topic + partition as one string. */
export function deleteOffsetsTable(
  rows: { topic: string; partition: number | null; status: string }[],
): string {
  const key = (r: { topic: string; partition: number | null }) => `${r.topic}${r.partition ?? -1}`;
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const widths = [
    widest(
      15,
      sorted.map((r) => r.topic),
    ),
    10,
    15,
  ];
  let out = `\n${line(['TOPIC', 'PARTITION', 'STATUS'], widths)}`;
  for (const r of sorted)
    out += `\n${line([r.topic, r.partition === null ? MISSING : String(r.partition), r.status], widths)}`;
  return `${out}\n`;
}
