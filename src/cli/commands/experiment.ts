/**
 * `kafkalab experiment consumers`: the seed's experiment — one consumer against N consumers in one
 * group reading the same topic — timed, repeated, tabulated and optionally drawn. Without
 * --bootstrap-server it starts an in-process emulator, so it runs anywhere with nothing installed.
 */
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { brokerOverrides } from '../../emulator/broker-properties.js';
import { startEmulator } from '../../emulator/start-emulator.js';
import { renderConsumersChart } from '../../learning/consumers-chart.js';
import { runConsumersExperiment } from '../../learning/consumers-experiment.js';
import type { GroupProtocol } from '../../learning/consumers-rebalance.js';
import { renderConsumersTable, renderRebalanceTable } from '../../learning/consumers-report.js';
import { ProgressBar, type ProgressStream } from '../../learning/progress-bar.js';
import { UsageError } from '../errors.js';
import { override } from './emulator.js';
import { positiveInt } from './topics.js';

export interface ConsumersExperimentCliOptions {
  bootstrapServer?: string;
  topic: string;
  partitions: number;
  messages: number;
  consumers: number[];
  groupProtocol?: GroupProtocol[];
  runs: number;
  messageBytes: number;
  runTimeoutMs: number;
  chart?: string;
  override?: string[];
}

/** `1,2,3` → [1, 2, 3]. */
function consumerCounts(value: string): number[] {
  const counts = value.split(',').map((s) => Number(s.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
    throw new InvalidArgumentError('--consumers takes a comma-separated list of integers in 1..64, e.g. 1,2');
  return counts;
}

/** `classic`, `consumer` or `classic,consumer` → the protocols to run, in that order. */
function groupProtocols(value: string): GroupProtocol[] {
  const list = value.split(',').map((s) => s.trim());
  if (list.some((p) => p !== 'classic' && p !== 'consumer') || new Set(list).size !== list.length)
    throw new InvalidArgumentError(
      '--group-protocol takes classic, consumer, or both comma-separated (classic,consumer)',
    );
  return list as GroupProtocol[];
}

export function experimentCommand(): Command {
  const consumers = new Command('consumers')
    .description(
      'Produce --messages across --partitions once, then time reading them all with each consumer count (one group per run)',
    )
    .option('--bootstrap-server <host:port>', 'broker to use (default: start an in-process emulator)')
    .requiredOption('--topic <name>', 'a new topic to create and fill')
    .option('--partitions <n>', 'partitions of the topic', positiveInt('--partitions'), 2)
    .option('--messages <n>', 'messages to produce and read', positiveInt('--messages'), 100_000)
    .option('--consumers <list>', 'consumer counts to compare, comma-separated', consumerCounts, [1, 2])
    .option(
      '--group-protocol <list>',
      "the consumers' group protocol: classic (JoinGroup/SyncGroup), consumer (KIP-848), or classic,consumer " +
        'to compare them: then each also times a consumer joining two that are reading (the pause, the group requests)',
      groupProtocols,
      ['classic'],
    )
    .option('--runs <n>', 'timed runs per consumer count', positiveInt('--runs'), 3)
    .option('--message-bytes <n>', 'value size of each message', positiveInt('--message-bytes'), 100)
    .option(
      '--run-timeout-ms <ms>',
      'give up on a run after this long',
      positiveInt('--run-timeout-ms'),
      120_000,
    )
    .option('--chart <file.svg>', 'also draw the result as an SVG chart')
    .option(
      '--override <name=value>',
      'a setting of the in-process emulator by its server.properties name, as `kafkalab emulator --override` takes it (repeatable), e.g. group.consumer.heartbeat.interval.ms=500',
      override,
    )
    .action(async (o: ConsumersExperimentCliOptions) => {
      await runConsumersExperimentCli(o, process.stdout, process.stderr);
    });
  return new Command('experiment')
    .description('Timed experiments a learner can rerun (against the emulator or a real broker)')
    .addCommand(consumers);
}

export async function runConsumersExperimentCli(
  o: ConsumersExperimentCliOptions,
  out: Writable,
  err: ProgressStream,
): Promise<void> {
  if (o.bootstrapServer && o.override)
    throw new UsageError(
      '--override sets the in-process emulator; it cannot change the broker at --bootstrap-server',
    );
  const emulator = o.bootstrapServer
    ? undefined
    : await startEmulator({ host: '127.0.0.1', port: 0, ...brokerOverrides(o.override ?? []) });
  const bootstrap = o.bootstrapServer ?? emulator!.bootstrap;
  if (emulator) {
    err.write(
      `No --bootstrap-server: using an in-process emulator at ${bootstrap} ` +
        '(it shares this process, and its CPU, with the consumers).\n',
    );
  }
  const bar = new ProgressBar(err);
  try {
    const result = await runConsumersExperiment({
      bootstrap,
      topic: o.topic,
      partitions: o.partitions,
      messages: o.messages,
      consumers: o.consumers,
      groupProtocols: o.groupProtocol,
      rebalance: (o.groupProtocol?.length ?? 1) > 1,
      runs: o.runs,
      messageBytes: o.messageBytes,
      runTimeoutMs: o.runTimeoutMs,
      onProgress: (p) => bar.update(p.label, p.done, p.total),
    });
    bar.clear();
    out.write(renderConsumersTable(result));
    out.write(renderRebalanceTable(result.rebalance));
    if (o.chart) {
      await writeFile(o.chart, renderConsumersChart(result));
      out.write(`Chart written to ${o.chart}\n`);
    }
  } finally {
    bar.clear();
    await emulator?.stop();
  }
}
