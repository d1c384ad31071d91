/**
 * `kafkalab consume`: kafka-console-consumer.sh. Without --group it reads every partition of the
 * topic with no group (assign mode, nothing committed); with --group it joins that consumer group
 * and commits what it printed. Output per record, like Kafka's DefaultMessageFormatter:
 * [Partition:N<TAB>][Offset:N<TAB>][key<TAB>]value, with "null" for a missing key or value.
 */
import type { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import type { TopicInfo } from '../../client/cluster.js';
import { Consumer } from '../../client/consumer/consumer.js';
import type { ConsumerRecord } from '../../client/consumer/types.js';
import { KafkaProtocolError } from '../../client/errors.js';
import { UsageError } from '../errors.js';
import { DEFAULT_BOOTSTRAP } from './topics.js';

/** Kafka's error code 3. */
const UNKNOWN_TOPIC_OR_PARTITION = 3;

export interface ConsumeCliOptions {
  bootstrapServer: string;
  topic: string;
  group?: string;
  fromBeginning?: boolean;
  maxMessages?: number;
  timeoutMs?: number;
  printKey?: boolean;
  printPartition?: boolean;
  printOffset?: boolean;
  keySeparator?: string;
}

function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be an integer ≥ 1`);
    return n;
  };
}

export function consumeCommand(): Command {
  return new Command('consume')
    .description('Print records of a topic (like kafka-console-consumer.sh)')
    .option('--bootstrap-server <host:port>', 'broker(s) to connect to, comma-separated', DEFAULT_BOOTSTRAP)
    .requiredOption('--topic <name>', 'the topic')
    .option('--group <id>', 'join this consumer group (commits offsets); without it, read all partitions')
    .option('--from-beginning', 'start at the earliest offset when there is no committed one')
    .option('--max-messages <n>', 'exit after printing this many records', positiveInt('--max-messages'))
    .option('--timeout-ms <ms>', 'exit when no record arrives for this long', positiveInt('--timeout-ms'))
    .option('--print-key', 'print the key before the value')
    .option('--print-partition', 'print Partition:N before each record')
    .option('--print-offset', 'print Offset:N before each record')
    .option('--key-separator <sep>', 'separator after the key, partition and offset (default TAB)')
    .action(async (options: ConsumeCliOptions) => {
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

export function formatRecord(r: ConsumerRecord, o: ConsumeCliOptions): string {
  const sep = o.keySeparator ?? '\t';
  let line = '';
  if (o.printPartition) line += `Partition:${r.partition}${sep}`;
  if (o.printOffset) line += `Offset:${r.offset}${sep}`;
  if (o.printKey) line += `${r.key === null ? 'null' : r.key.toString('utf8')}${sep}`;
  line += r.value === null ? 'null' : r.value.toString('utf8');
  return line;
}

/** Prints records until --max-messages, --timeout-ms or the signal; resolves to the count printed. */
export async function runConsume(o: ConsumeCliOptions, out: Writable, signal?: AbortSignal): Promise<number> {
  if (o.topic.length === 0) throw new UsageError('--topic cannot be empty');
  const consumer = new Consumer({
    bootstrap: o.bootstrapServer,
    clientId: 'kafkalab-console-consumer',
    groupId: o.group,
    autoOffsetReset: o.fromBeginning ? 'earliest' : 'latest',
    retry: { retries: 3 },
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
    const info = await existingTopic(consumer, o);
    if (o.group) {
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
        if (!out.write(`${formatRecord(r, o)}\n`)) {
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

/** The topic's metadata; a topic the broker neither has nor creates is a UsageError that says what to do. */
async function existingTopic(consumer: Consumer, o: ConsumeCliOptions): Promise<TopicInfo> {
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
