/**
 * `kafkalab groups`: kafka-consumer-groups.sh. --list, --describe --group G (offsets and lag per
 * partition with the owning member, then the members with their decoded subscriptions and
 * assignments), --delete --group G.
 */
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { GroupAdmin, type GroupDescription, type PartitionLag } from '../../client/admin-groups.js';
import type { TopicPartitions } from '../../client/assignors/index.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { clientFlags } from './topics.js';

export interface GroupsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  list?: boolean;
  describe?: boolean;
  delete?: boolean;
  group?: string[];
}

export function groupsCommand(): Command {
  return clientFlags(
    new Command('groups').description(
      'List, describe (offsets, lag, members) or delete consumer groups (like kafka-consumer-groups.sh)',
    ),
  )
    .option('--list', 'list the groups')
    .option('--describe', 'offsets, lag and members of --group')
    .option('--delete', 'delete --group (it must have no members)')
    .option('--group <id>', 'the group (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (options: GroupsCliOptions) => {
      await runGroups(options, process.stdout, process.stderr);
    });
}

export async function runGroups(o: GroupsCliOptions, out: Writable, err: Writable): Promise<void> {
  const actions = [o.list, o.describe, o.delete].filter(Boolean).length;
  if (actions !== 1) throw new UsageError('give exactly one of --list, --describe, --delete');
  if ((o.describe || o.delete) && !o.group?.length)
    throw new UsageError('--describe and --delete need --group');
  const s = clusterOptions(resolveClient('admin', o), 'kafkalab-consumer-groups');
  const admin = new GroupAdmin({
    bootstrap: s.bootstrap,
    clientId: s.clientId,
    requestTimeoutMs: s.requestTimeoutMs,
  });
  try {
    if (o.list) {
      for (const g of await admin.listGroups()) out.write(`${g.groupId}\n`);
      return;
    }
    if (o.delete) {
      const results = await admin.deleteGroups(o.group!);
      const failed = results.filter((r) => r.error);
      for (const r of results) {
        if (!r.error) out.write(`Deletion of group '${r.groupId}' succeeded\n`);
      }
      if (failed.length > 0) {
        throw new Error(
          failed.map((r) => `cannot delete group '${r.groupId}': ${r.error!.message}`).join('; '),
        );
      }
      return;
    }
    for (const groupId of o.group!) {
      const [description] = await admin.describeGroups([groupId]);
      if (description.state === 'Dead') throw new Error(`consumer group '${groupId}' does not exist`);
      const lag = await admin.describeLag(groupId);
      if (description.members.length === 0) err.write(`Consumer group '${groupId}' has no active members.\n`);
      out.write(`${offsetsTable(groupId, lag)}\n`);
      if (description.members.length > 0) out.write(`\n${membersTable(description)}\n`);
    }
  } finally {
    await admin.close();
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join(' ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function offsetsTable(groupId: string, lag: PartitionLag[]): string {
  return table(
    [
      'GROUP',
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ],
    lag.map((p) => [
      groupId,
      p.topic,
      String(p.partition),
      p.currentOffset === null ? '-' : String(p.currentOffset),
      String(p.logEndOffset),
      p.lag === null ? '-' : String(p.lag),
      p.memberId ?? '-',
      p.host ?? '-',
      p.clientId ?? '-',
    ]),
  );
}

const listPartitions = (tps: TopicPartitions[] | null) =>
  tps && tps.length > 0 ? tps.map((tp) => `${tp.topic}(${tp.partitions.join(',')})`).join(' ') : '-';

export function membersTable(d: GroupDescription): string {
  return table(
    ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', 'PROTOCOL', 'SUBSCRIPTION', 'ASSIGNMENT'],
    d.members.map((m) => [
      d.groupId,
      m.memberId,
      m.clientHost,
      m.clientId,
      d.protocol,
      m.subscription ? m.subscription.topics.join(',') : '-',
      listPartitions(m.assignment),
    ]),
  );
}
