/**
 * `kafkalab log-dirs --describe [--topic-list a,b] [--broker-list 0,1]`: kafka-log-dirs.sh
 * (LogDirsCommand) on kafkalab's client — every broker (or those listed) asked DescribeLogDirs for
 * all partitions, the topics filtered here, printed as the tool prints:
 *
 *     Querying brokers for log directories information
 *     Received log directory information from brokers 0
 *     {"brokers":[{"broker":0,"logDirs":[{"logDir":"…","error":null,"partitions":[…]}]}],"version":1}
 *
 * Partition entries are {"partition":"t-0","size":N,"offsetLag":0,"isFuture":false}. The key order
 * is the tool's model class field order as far as read; not yet compared byte for byte with Kafka's
 * own tool (issue 15 step 1 left).
 */
import { Command } from 'commander';
import { describeLogDirs } from '../../client/admin-log-dirs.js';
import { Cluster } from '../../client/cluster.js';
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
      await runLogDirs(options, process.stdout);
    });
}

function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export async function runLogDirs(o: LogDirsCliOptions, out: Output): Promise<void> {
  if (!o.describe) throw new UsageError('Command must include exactly one action: --describe');
  const brokerArgs = listOf(o.brokerList);
  const ids = brokerArgs.map((b) => {
    if (!/^-?\d+$/.test(b)) throw new UsageError(`--broker-list: '${b}' is not a broker id`);
    return Number(b);
  });
  const topics = new Set(listOf(o.topicList));
  const cluster = new Cluster(clusterOptions(resolveClient('admin', o)));
  try {
    await cluster.connect();
    const brokers = ids.length > 0 ? ids : [...cluster.brokers.keys()].sort((a, b) => a - b);
    out.write('Querying brokers for log directories information\n');
    const dirs = await describeLogDirs(cluster, brokers);
    out.write(`Received log directory information from brokers ${brokers.join(',')}\n`);
    const json = {
      brokers: brokers.map((broker) => ({
        broker,
        logDirs: (dirs.get(broker) ?? []).map((d) => ({
          logDir: d.logDir,
          error: d.errorCode === 0 ? null : `error code ${d.errorCode}`,
          partitions: d.replicas
            .filter((r) => topics.size === 0 || topics.has(r.topic))
            .map((r) => ({
              partition: `${r.topic}-${r.partition}`,
              size: Number(r.size),
              offsetLag: Number(r.offsetLag),
              isFuture: r.isFuture,
            })),
        })),
      })),
      version: 1,
    };
    out.write(`${JSON.stringify(json)}\n`);
  } finally {
    await cluster.close();
  }
}
