/**
 * `kafkalab topics`: kafka-topics.sh's everyday flags — --create, --list, --describe, --delete — on
 * kafkalab's own admin client. Only option parsing and output here.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { Admin, type TopicDescription } from '../../client/admin.js';
import { javaHashMapOrder, javaStringHash } from '../../protocol/java-order.js';
import {
  DescribeTopicPartitions,
  type DescribeTopicPartitionsResponse,
} from '../../protocol/messages/75-describe-topic-partitions.js';
import { clusterOptions, DEFAULT_BOOTSTRAP, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';

// Shared with produce.ts: the flag default and value parsers of the client commands.
export { DEFAULT_BOOTSTRAP };

/** The --bootstrap-server and --command-config flags every client command has. */
export function clientFlags(cmd: Command): Command {
  return cmd
    .option(
      '--bootstrap-server <host:port>',
      `broker(s) to connect to, comma-separated (default: bootstrap.servers of --command-config, else ${DEFAULT_BOOTSTRAP})`,
    )
    .option(
      '--command-config <file>',
      "client properties file (Kafka's form: bootstrap.servers, client.id, request.timeout.ms, ...)",
    );
}

/** `k=v`, repeatable (Kafka's --config and --property). */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not key=value`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

export interface TopicsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  create?: boolean;
  alter?: boolean;
  list?: boolean;
  describe?: boolean;
  delete?: boolean;
  topic?: string;
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, string>;
  ifNotExists?: boolean;
  excludeInternal?: boolean;
  underReplicatedPartitions?: boolean;
  unavailablePartitions?: boolean;
  underMinIsrPartitions?: boolean;
  atMinIsrPartitions?: boolean;
}

export interface Output {
  write(text: string): void;
}

export function topicsCommand(): Command {
  return (
    clientFlags(
      new Command('topics').description(
        'Create, list, describe, alter and delete topics (like kafka-topics.sh)',
      ),
    )
      .addOption(new Option('--create', 'create a topic').conflicts(['list', 'describe', 'delete', 'alter']))
      .addOption(new Option('--list', 'list topic names').conflicts(['describe', 'delete', 'alter']))
      .addOption(
        new Option('--describe', 'show partitions, leaders, replicas and ISR').conflicts(['delete', 'alter']),
      )
      .addOption(
        new Option('--alter', 'raise the partition count of --topic to --partitions').conflicts(['delete']),
      )
      .option('--delete', 'delete a topic')
      .option('--topic <name>', 'the topic')
      .option(
        '--partitions <n>',
        'partition count for --create (default: the broker’s num.partitions) or --alter',
        positiveInt('--partitions'),
      )
      .option(
        '--replication-factor <n>',
        'replication factor for --create',
        positiveInt('--replication-factor'),
      )
      .option('--config <key=value>', 'topic config for --create (repeatable)', keyValue)
      .option('--if-not-exists', 'with --create: no error when the topic exists')
      // kafka-topics (TopicCommand) lists and describes internal topics (__consumer_offsets) unless told not to.
      .option('--exclude-internal', 'with --list or --describe: leave out internal topics')
      // TopicCommand's partition filters for --describe: only the partitions in that state, no topic line.
      .option(
        '--under-replicated-partitions',
        'with --describe: only partitions whose ISR is smaller than their replicas',
      )
      .option(
        '--unavailable-partitions',
        'with --describe: only partitions with no leader, or a leader that is not live',
      )
      .option(
        '--under-min-isr-partitions',
        'with --describe: only partitions whose ISR is below min.insync.replicas',
      )
      .option(
        '--at-min-isr-partitions',
        'with --describe: only partitions whose ISR is exactly min.insync.replicas',
      )
      .action(async (options: TopicsCliOptions) => {
        await runTopics(options, process.stdout);
      })
  );
}

export async function runTopics(o: TopicsCliOptions, out: Output): Promise<void> {
  const actions = [o.create, o.list, o.describe, o.delete, o.alter].filter(Boolean).length;
  if (actions !== 1)
    throw new UsageError('give exactly one of --create, --list, --describe, --alter, --delete');
  if ((o.create || o.delete || o.alter) && !o.topic)
    throw new UsageError(`--${o.create ? 'create' : o.alter ? 'alter' : 'delete'} needs --topic`);
  if (o.alter && o.partitions === undefined) throw new UsageError('--alter needs --partitions');
  const admin = new Admin(clusterOptions(resolveClient('admin', o)));
  try {
    if (o.alter) {
      await alterPartitions(admin, o.topic!, o.partitions!);
    } else if (o.create) {
      try {
        await admin.createTopics({
          topics: [
            {
              topic: o.topic!,
              numPartitions: o.partitions ?? -1,
              replicationFactor: o.replicationFactor ?? -1,
              configs: o.config,
            },
          ],
        });
      } catch (err) {
        if (o.ifNotExists && (err as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return;
        throw err;
      }
      out.write(`Created topic ${o.topic}.\n`);
    } else if (o.list) {
      for (const name of await admin.listTopics({ includeInternal: !o.excludeInternal }))
        out.write(`${name}\n`);
    } else if (o.describe) {
      const topics = await admin.describeTopics({ topics: o.topic ? [o.topic] : undefined });
      const filtered =
        o.underReplicatedPartitions ||
        o.unavailablePartitions ||
        o.underMinIsrPartitions ||
        o.atMinIsrPartitions;
      const live = o.unavailablePartitions
        ? new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId))
        : undefined;
      // TopicCommand prints them as Admin's describeTopics map hands them back: a HashMap sized to
      // the topic count (internal topics left out first with --exclude-internal), filled in name order.
      const shown = topics
        .filter((t) => !(o.excludeInternal && t.isInternal))
        .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
      const elr = await eligibleLeaders(
        admin,
        shown.map((t) => t.topic),
      );
      for (const t of javaHashMapOrder(shown, (d) => javaStringHash(d.topic), shown.length))
        out.write(await describeLines(admin, t, elr, filtered ? { ...o, live } : undefined));
    } else {
      await admin.deleteTopics({ topics: [o.topic!] });
      out.write(`Deleted topic ${o.topic}.\n`);
    }
  } finally {
    await admin.close();
  }
}

/**
 * kafka-topics --alter --partitions: CreatePartitions to the new count. TopicCommand prints nothing
 * on success; a count not above the current one is Kafka's INVALID_PARTITIONS, message and all.
 */
async function alterPartitions(admin: Admin, topic: string, count: number): Promise<void> {
  await admin.createPartitions({ topics: [{ topic, count }] });
}

/** The partition filters of --describe (TopicCommand.DescribeOptions), with the live brokers. */
interface PartitionFilter {
  underReplicatedPartitions?: boolean;
  unavailablePartitions?: boolean;
  underMinIsrPartitions?: boolean;
  atMinIsrPartitions?: boolean;
  live?: Set<number>;
}

/**
 * kafka-topics' layout: a topic line, then one tab-indented line per partition, ending with the
 * eligible leader replicas (KIP-966, from DescribeTopicPartitions; N/A without it). With a partition
 * filter, no topic line and only the partitions it selects, as TopicCommand's shouldPrintTopicPartition.
 */
/** `topic:partition` → its Elr and LastKnownElr columns; undefined: the broker has no DescribeTopicPartitions. */
type EligibleLeaders = Map<string, { elr: string; lastKnownElr: string }> | undefined;

/**
 * KIP-966's eligible leader replicas, which Metadata does not carry: kafka-topics asks
 * DescribeTopicPartitions when the broker serves it, and prints "N/A" when it falls back to Metadata.
 */
async function eligibleLeaders(admin: Admin, topics: string[]): Promise<EligibleLeaders> {
  if (topics.length === 0) return new Map();
  try {
    const conn = await admin.cluster.anyConnection();
    const version = conn.versionFor(DescribeTopicPartitions);
    const out = new Map<string, { elr: string; lastKnownElr: string }>();
    let cursor: { topicName: string; partitionIndex: number } | null = null;
    do {
      const res: DescribeTopicPartitionsResponse = await conn.request(
        DescribeTopicPartitions,
        { topics: topics.map((name) => ({ name })), responsePartitionLimit: 2000, cursor },
        { version },
      );
      for (const t of res.topics)
        for (const p of t.partitions)
          out.set(`${t.name}:${p.partitionIndex}`, {
            elr: (p.eligibleLeaderReplicas ?? []).join(','),
            lastKnownElr: (p.lastKnownElr ?? []).join(','),
          });
      cursor = res.nextCursor ?? null;
    } while (cursor);
    return out;
  } catch {
    return undefined;
  }
}

async function describeLines(
  admin: Admin,
  t: TopicDescription,
  elr: EligibleLeaders,
  filter?: PartitionFilter,
): Promise<string> {
  const rf = t.partitions[0]?.replicas.length ?? 0;
  let configs = '';
  let minIsr = 1;
  try {
    const [d] = await admin.describeConfigs({ resources: [{ type: 'topic', name: t.topic }] });
    configs = d.configs
      .filter((c) => !c.isDefault && c.value !== null)
      .map((c) => `${c.name}=${c.value}`)
      .join(',');
    const m = d.configs.find((c) => c.name === 'min.insync.replicas')?.value;
    if (m) minIsr = Number(m);
  } catch {
    // A broker without DescribeConfigs still gets its partitions described.
  }
  const lines = filter
    ? []
    : [
        `Topic: ${t.topic}\tTopicId: ${t.topicId}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${configs}`,
      ];
  for (const p of t.partitions) {
    const hasLeader = p.leader >= 0;
    const shown =
      !filter ||
      (filter.underReplicatedPartitions && p.replicas.length - p.isr.length > 0) ||
      (filter.unavailablePartitions && (!hasLeader || !filter.live?.has(p.leader))) ||
      (filter.underMinIsrPartitions && (!hasLeader || p.isr.length < minIsr)) ||
      (filter.atMinIsrPartitions && p.isr.length === minIsr);
    if (!shown) continue;
    const e = elr ? (elr.get(`${t.topic}:${p.partition}`) ?? { elr: '', lastKnownElr: '' }) : undefined;
    lines.push(
      `\tTopic: ${t.topic}\tPartition: ${p.partition}\tLeader: ${hasLeader ? p.leader : 'none'}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\tElr: ${e ? e.elr : 'N/A'}\tLastKnownElr: ${e ? e.lastKnownElr : 'N/A'}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
