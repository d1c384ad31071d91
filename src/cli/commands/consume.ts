/**
 * `kafkalab consume`: kafka-console-consumer.sh. Without --group it reads every partition of the
 * topic with no group (assign mode, nothing committed); with --group it joins that consumer group
 * and commits what it printed — with the classic protocol (JoinGroup/SyncGroup) unless --group-protocol
 * consumer or group.protocol=consumer asks for KIP-848's (ConsumerGroupHeartbeat). Output per record, like Kafka's DefaultMessageFormatter:
 * [Partition:N<TAB>][Offset:N<TAB>][key<TAB>]value, with "null" for a missing key or value.
 */
import type { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import type { TopicInfo } from '../../client/cluster.js';
import { Consumer } from '../../client/consumer/consumer.js';
import type { ConsumerRecord } from '../../client/consumer/types.js';
import { KafkaProtocolError } from '../../client/errors.js';
import { flagEntries, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { clientFlags, keyValue } from './topics.js';

/** Kafka's error code 3. */
const UNKNOWN_TOPIC_OR_PARTITION = 3;

export interface ConsumeCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  /** --consumer.config, kafka-console-consumer 4.1's name for --command-config. */
  'consumer.config'?: string;
  consumerProperty?: Record<string, string>;
  /** DefaultMessageFormatter's settings (--property / --formatter-property). */
  property?: Record<string, string>;
  partition?: number;
  /** A non-negative offset, earliest or latest (with --partition). */
  offset?: string;
  topic: string;
  group?: string;
  /** kafkalab's flag for the consumer property group.protocol (Kafka's console consumer has only the property). */
  groupProtocol?: string;
  fromBeginning?: boolean;
  maxMessages?: number;
  timeoutMs?: number;
  printKey?: boolean;
  printPartition?: boolean;
  printOffset?: boolean;
  keySeparator?: string;
  /** kafka-console-consumer's --isolation-level (over isolation.level of the properties). */
  isolationLevel?: string;
}

function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be an integer ≥ 1`);
    return n;
  };
}

export function consumeCommand(): Command {
  return clientFlags(
    new Command('consume').description('Print records of a topic (like kafka-console-consumer.sh)'),
  )
    .option('--consumer.config <file>', 'same as --command-config (kafka-console-consumer 4.1 spelling)')
    .option(
      '--consumer-property <key=value>',
      'consumer property, over --command-config (repeatable)',
      keyValue,
    )
    .option(
      '--property <key=value>',
      'formatter: print.timestamp|print.key|print.offset|print.partition|print.headers|print.value=true|false, key.separator, line.separator, headers.separator, null.literal (repeatable)',
      keyValue,
    )
    .option('--formatter-property <key=value>', 'same as --property', keyValue)
    .option('--partition <n>', 'read only this partition (starts at its end unless --offset)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('--partition must be an integer ≥ 0');
      return n;
    })
    .option('--offset <offset>', "with --partition: a non-negative offset, 'earliest' or 'latest' (default)")
    .requiredOption('--topic <name>', 'the topic')
    .option('--group <id>', 'join this consumer group (commits offsets); without it, read all partitions')
    .option(
      '--group-protocol <protocol>',
      'with --group: classic (JoinGroup/SyncGroup, the default) or consumer (KIP-848, the broker assigns); same as --consumer-property group.protocol=...',
    )
    .option('--from-beginning', 'start at the earliest offset when there is no committed one')
    .option(
      '--isolation-level <level>',
      'read_committed: only records of committed transactions; read_uncommitted (default): all',
    )
    .option('--max-messages <n>', 'exit after printing this many records', positiveInt('--max-messages'))
    .option('--timeout-ms <ms>', 'exit when no record arrives for this long', positiveInt('--timeout-ms'))
    .option('--print-key', 'print the key before the value')
    .option('--print-partition', 'print Partition:N before each record')
    .option('--print-offset', 'print Offset:N before each record')
    .option('--key-separator <sep>', 'separator after the key, partition and offset (default TAB)')
    .action(async (options: ConsumeCliOptions & { formatterProperty?: Record<string, string> }) => {
      if (options.formatterProperty) options.property = { ...options.property, ...options.formatterProperty };
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const n = await runConsume(options, process.stdout, controller.signal);
        process.stderr.write(`Processed a total of ${n} message${n === 1 ? '' : 's'}\n`);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

/** DefaultMessageFormatter's settings, from --property and the short flags. */
export interface RecordFormat {
  timestamp: boolean;
  partition: boolean;
  offset: boolean;
  headers: boolean;
  key: boolean;
  value: boolean;
  keySeparator: string;
  lineSeparator: string;
  headersSeparator: string;
  nullLiteral: string;
}

const FORMAT_KEYS = new Set([
  'print.timestamp',
  'print.key',
  'print.offset',
  'print.partition',
  'print.headers',
  'print.value',
  'key.separator',
  'line.separator',
  'headers.separator',
  'null.literal',
]);

export function recordFormat(o: ConsumeCliOptions): RecordFormat {
  const p = o.property ?? {};
  for (const k of Object.keys(p))
    if (!FORMAT_KEYS.has(k))
      throw new UsageError(
        `--property ${k}: not a formatter property (known: ${[...FORMAT_KEYS].join(', ')})`,
      );
  // As DefaultMessageFormatter: "true" in any case, blanks trimmed; anything else is false.
  const flag = (k: string, dflt: boolean) => (k in p ? p[k].trim().toLowerCase() === 'true' : dflt);
  return {
    timestamp: flag('print.timestamp', false),
    partition: flag('print.partition', Boolean(o.printPartition)),
    offset: flag('print.offset', Boolean(o.printOffset)),
    headers: flag('print.headers', false),
    key: flag('print.key', Boolean(o.printKey)),
    value: flag('print.value', true),
    keySeparator: p['key.separator'] ?? o.keySeparator ?? '\t',
    lineSeparator: p['line.separator'] ?? '\n',
    headersSeparator: p['headers.separator'] ?? ',',
    nullLiteral: p['null.literal'] ?? 'null',
  };
}

/**
 * One record as DefaultMessageFormatter writes it: the columns asked for, each followed by the key
 * separator when another column comes after it, else by the line separator (so the value, when
 * printed, always ends the line). Timestamps print as CreateTime: kafkalab's consumer does not yet
 * hand out the batch's timestamp type (LogAppendTime topics would show LogAppendTime in Kafka's).
 */
export function formatRecord(r: ConsumerRecord, f: RecordFormat | ConsumeCliOptions): string {
  const fmt = 'lineSeparator' in f ? f : recordFormat(f);
  const text = (b: Buffer | Uint8Array | null) =>
    b === null ? fmt.nullLiteral : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  const cols: string[] = [];
  if (fmt.timestamp) cols.push(r.timestamp < 0n ? 'NO_TIMESTAMP' : `CreateTime:${r.timestamp}`);
  if (fmt.partition) cols.push(`Partition:${r.partition}`);
  if (fmt.offset) cols.push(`Offset:${r.offset}`);
  if (fmt.headers)
    cols.push(
      r.headers.length === 0
        ? 'NO_HEADERS'
        : r.headers.map((h) => `${h.key}:${text(h.value)}`).join(fmt.headersSeparator),
    );
  if (fmt.key) cols.push(text(r.key));
  if (fmt.value) cols.push(text(r.value));
  return cols.length === 0 ? '' : cols.join(fmt.keySeparator) + fmt.lineSeparator;
}

/** --offset's value: a non-negative offset, or earliest / latest. */
function parseOffset(v: string): bigint | 'earliest' | 'latest' {
  const s = v.trim().toLowerCase();
  if (s === 'earliest' || s === 'latest') return s;
  if (/^\d+$/.test(s)) return BigInt(s);
  throw new UsageError(`--offset must be a non-negative number, earliest or latest, not "${v}"`);
}

/** Prints records until --max-messages, --timeout-ms or the signal; resolves to the count printed. */
export async function runConsume(o: ConsumeCliOptions, out: Writable, signal?: AbortSignal): Promise<number> {
  if (o.topic.length === 0) throw new UsageError('--topic cannot be empty');
  if (o.commandConfig !== undefined && o['consumer.config'] !== undefined)
    throw new UsageError('Options --consumer.config and --command-config cannot be specified together.');
  const s = resolveClient(
    'consumer',
    { bootstrapServer: o.bootstrapServer, commandConfig: o.commandConfig ?? o['consumer.config'] },
    flagEntries('--consumer-property', o.consumerProperty),
  );
  // kafka-console-consumer's checks, with its words.
  const groups = new Set([o.group, s.groupId].filter((g): g is string => g !== undefined));
  if (groups.size > 1)
    throw new UsageError(
      `The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`,
    );
  const groupId = [...groups][0];
  const groupProtocol = resolveGroupProtocol(o.groupProtocol, s.groupProtocol, groupId);
  if (o.offset !== undefined && o.partition === undefined)
    throw new UsageError('The partition is required when offset is specified.');
  if (o.partition !== undefined && o.fromBeginning && o.offset !== undefined)
    throw new UsageError('Options from-beginning and offset cannot be specified together.');
  if (o.partition !== undefined && groupId !== undefined)
    throw new UsageError('Options group and partition cannot be specified together.');
  const start =
    o.partition === undefined
      ? undefined
      : parseOffset(o.offset ?? (o.fromBeginning ? 'earliest' : 'latest'));
  const format = recordFormat(o);
  const isolation = o.isolationLevel ?? s.isolationLevel;
  if (isolation !== undefined && isolation !== 'read_committed' && isolation !== 'read_uncommitted')
    throw new UsageError(`--isolation-level must be read_committed or read_uncommitted, not "${isolation}"`);
  const { bootstrap, ...settings } = s;
  const consumer = new Consumer({
    retry: { retries: 3 },
    ...settings,
    bootstrap,
    clientId: s.clientId ?? 'kafkalab-console-consumer',
    groupId,
    groupProtocol,
    isolationLevel: isolation,
    autoOffsetReset:
      start === 'earliest' || start === 'latest'
        ? start
        : (s.autoOffsetReset ?? (o.fromBeginning ? 'earliest' : 'latest')),
  });
  let count = 0;
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (o.timeoutMs === undefined) return;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => void consumer.close(), o.timeoutMs);
  };
  const onAbort = () => void consumer.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Kafka's console consumer, subscribed to a topic that does not exist, waits with warnings and
    // exits 0 having printed nothing; a misspelt name then looks like an empty topic. Both modes ask
    // first (which creates the topic where the broker auto-creates) and stop with the reason.
    const info = await existingTopic(consumer, o.topic, bootstrap);
    if (o.partition !== undefined) {
      if (!info.partitions.some((p) => p.partition === o.partition))
        throw new UsageError(
          `topic '${o.topic}' has no partition ${o.partition} (it has ${info.partitions.length})`,
        );
      consumer.assign([
        { topic: o.topic, partition: o.partition, offset: typeof start === 'bigint' ? start : undefined },
      ]);
    } else if (groupId) {
      consumer.subscribe(o.topic);
    } else {
      consumer.assign(info.partitions.map((p) => ({ topic: o.topic, partition: p.partition })));
    }
    if (signal?.aborted) return 0;
    armIdle();
    await consumer.run({
      eachMessage: async (r) => {
        if (o.maxMessages !== undefined && count >= o.maxMessages) return;
        count++;
        armIdle();
        if (!out.write(formatRecord(r, format))) {
          await new Promise<void>((resolve) => out.once('drain', resolve));
        }
        // Stops before the next record: what was printed is what gets committed.
        if (o.maxMessages !== undefined && count >= o.maxMessages) void consumer.close();
      },
    });
    return count;
  } finally {
    if (idle) clearTimeout(idle);
    signal?.removeEventListener('abort', onAbort);
    await consumer.close();
  }
}

/**
 * --group-protocol and group.protocol (--consumer-property or the config file) must agree, as the
 * tool's group ids must; either one without a group is refused: without --group, consume reads every
 * partition itself and joins no group, so the protocol would silently change nothing.
 */
function resolveGroupProtocol(
  flag: string | undefined,
  property: 'classic' | 'consumer' | undefined,
  groupId: string | undefined,
): 'classic' | 'consumer' | undefined {
  let fromFlag: 'classic' | 'consumer' | undefined;
  if (flag !== undefined) {
    const v = flag.trim().toLowerCase();
    if (v !== 'classic' && v !== 'consumer')
      throw new UsageError(`--group-protocol must be classic or consumer, not "${flag}"`);
    fromFlag = v;
  }
  if (fromFlag !== undefined && property !== undefined && fromFlag !== property)
    throw new UsageError(
      `The group protocols provided in different places (directly using '--group-protocol', via '--consumer-property', or via '--consumer.config') do not match. Detected group protocols: '${fromFlag}', '${property}'`,
    );
  const protocol = fromFlag ?? property;
  if (protocol !== undefined && groupId === undefined)
    throw new UsageError(
      `group protocol ${protocol} needs --group: without a group, consume reads every partition itself and joins no group`,
    );
  return protocol;
}

/** The topic's metadata; a topic the broker neither has nor creates is a UsageError that says what to do. */
async function existingTopic(consumer: Consumer, topic: string, bootstrap: string): Promise<TopicInfo> {
  const o = { topic, bootstrapServer: bootstrap };
  try {
    return await consumer.cluster.topic(o.topic);
  } catch (err) {
    if (!(err instanceof KafkaProtocolError) || err.code !== UNKNOWN_TOPIC_OR_PARTITION) throw err;
    throw new UsageError(
      `topic '${o.topic}' does not exist on ${o.bootstrapServer} and the broker does not create topics on use ` +
        `(auto.create.topics.enable=false): check the name (kafkalab topics --list), or create it with ` +
        `kafkalab topics --create --topic ${o.topic} --bootstrap-server ${o.bootstrapServer}`,
    );
  }
}
