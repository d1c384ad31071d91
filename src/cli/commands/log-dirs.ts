/**
 * `kafkalab log-dirs --describe [--topic-list a,b] [--broker-list 0,1]`: kafka-log-dirs.sh
 * (LogDirsCommand) on kafkalab's client — every broker (or those listed) asked DescribeLogDirs for
 * all partitions, the topics filtered here, printed as the tool prints:
 *
 *     Querying brokers for log directories information
 *     Received log directory information from brokers 0
 *     {"brokers":[{"broker":0,"logDirs":[{"partitions":[…],"error":null,"logDir":"…"}]}],"version":1}
 *
 * Compared with Kafka 4.1.1's own tool on the emulator and on a real broker (test/cli/log-dirs.test.ts).
 * The tool builds every JSON object and every collection it prints as a java.util.HashMap/HashSet,
 * so their order is Java's: keys of each object in the order those fixed key sets iterate (written
 * out below), brokers in a HashSet<Integer>'s order, partitions in a HashMap<TopicPartition>'s
 * (java-order.ts). Partition entries are {"partition":"t-0","size":N,"offsetLag":0,"isFuture":false};
 * a directory's error is the Java exception class the code maps to, null when none.
 * Brokers not in the cluster: the tool's message on stderr, nothing on stdout, exit 1.
 */
import { Command } from 'commander';
import { describeLogDirs } from '../../client/admin-log-dirs.js';
import { Cluster } from '../../client/cluster.js';
import { errorByCode } from '../../protocol/error-codes.js';
import { javaHashMapOrder, javaStringHash, topicPartitionOrder } from '../../protocol/java-order.js';
import { clusterOptions, resolveClient } from '../command-config.js';
import { UsageError } from '../errors.js';
import { clientFlags, type Output } from './topics.js';

export interface LogDirsCliOptions {
  bootstrapServer?: string;
  commandConfig?: string;
  describe?: boolean;
  topicList?: string;
  brokerList?: string;
}

export function logDirsCommand(): Command {
  return clientFlags(
    new Command('log-dirs').description('Describe the log directories of brokers (like kafka-log-dirs.sh)'),
  )
    .option('--describe', 'describe the specified log directories on the specified brokers')
    .option('--topic-list <topics>', 'comma-separated topics to describe (default: all)')
    .option('--broker-list <ids>', 'comma-separated broker ids to query (default: all)')
    .action(async (options: LogDirsCliOptions) => {
      process.exitCode = await runLogDirs(options, process.stdout);
    });
}

function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Integers in a java.util.HashSet's / HashMap's order (Integer.hashCode is the value). */
function integerSetOrder(ids: readonly number[]): number[] {
  return javaHashMapOrder([...new Set(ids)], (id) => id);
}

/**
 * The exception class Java's admin client raises for a log dir's error code (LogDirDescription.error):
 * Kafka names those classes after the code (KAFKA_STORAGE_ERROR → KafkaStorageException).
 */
function exceptionClass(code: number): string {
  if (code === -1) return 'org.apache.kafka.common.errors.UnknownServerException';
  const name = errorByCode(code)?.name ?? 'UNKNOWN_SERVER_ERROR';
  const camel = name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `org.apache.kafka.common.errors.${camel.replace(/Error$/, '')}Exception`;
}

/**
 * Runs the command; returns the exit code (1 with Kafka's message on `err` for brokers that are not
 * in the cluster). Usage mistakes throw UsageError with the tool's first line.
 */
export async function runLogDirs(
  o: LogDirsCliOptions,
  out: Output,
  err: Output = process.stderr,
): Promise<number> {
  // jopt-simple's checkRequiredArgs wording (the tool then prints its usage).
  if (!o.describe) throw new UsageError('Missing required argument "[describe]"');
  const ids = listOf(o.brokerList).map((b) => {
    // Integer.valueOf: the NumberFormatException's message is what the tool prints first.
    if (!/^[-+]?\d+$/.test(b)) throw new UsageError(`For input string: "${b}"`);
    return Number(b);
  });
  const topics = new Set(listOf(o.topicList));
  const cluster = new Cluster(clusterOptions(resolveClient('admin', o)));
  try {
    await cluster.connect();
    const clusterBrokers = [...cluster.brokers.keys()];
    const missing = ids.filter((id) => !cluster.brokers.has(id));
    if (missing.length > 0) {
      err.write(
        `ERROR: The given brokers do not exist from --broker-list: ${integerSetOrder(missing).join(',')}. ` +
          `Current existent brokers: ${integerSetOrder(clusterBrokers).join(',')}\n`,
      );
      return 1;
    }
    const brokers = integerSetOrder(ids.length > 0 ? ids : clusterBrokers);
    out.write('Querying brokers for log directories information\n');
    const dirs = await describeLogDirs(cluster, brokers);
    out.write(`Received log directory information from brokers ${brokers.join(',')}\n`);
    // Key order within each object as the tool's HashMaps iterate these key sets.
    const brokersJson = brokers.map((broker) => ({
      broker,
      logDirs: javaHashMapOrder(dirs.get(broker) ?? [], (d) => javaStringHash(d.logDir)).map((d) => ({
        partitions: topicPartitionOrder(
          d.replicas.filter((r) => topics.size === 0 || topics.has(r.topic)),
        ).map((r) => ({
          partition: `${r.topic}-${r.partition}`,
          size: Number(r.size),
          offsetLag: Number(r.offsetLag),
          isFuture: r.isFuture,
        })),
        error: d.errorCode === 0 ? null : exceptionClass(d.errorCode),
        logDir: d.logDir,
      })),
    }));
    out.write(`${JSON.stringify({ brokers: brokersJson, version: 1 })}\n`);
    return 0;
  } finally {
    await cluster.close();
  }
}
