/**
 * The workflow with Apache Kafka's own command-line tools (4.1.1 jars, conformance/real-kafka/):
 * kafka-topics --create, kafka-console-producer with parse.key, two kafka-console-consumer processes
 * in one group with --max-messages, kafka-consumer-groups --describe for the committed offsets and
 * lag, then a third console consumer in the same group for the resume step.
 *
 * The console consumer commits by itself: enable.auto.commit is on, and closing the consumer (after
 * --max-messages) commits what it handed out.
 */
import {
  describeToolResult,
  type KafkaToolName,
  runKafkaTool,
  type ToolResult,
} from '../../support/kafka-tools.js';
import type { Observer } from './observer.js';
import {
  FIRST,
  keyValueLines,
  PARTITIONS,
  RESUME,
  type ReceivedMessage,
  type ReportedOffsets,
  type Target,
  type WorkflowNames,
  type WorkflowOutcome,
} from './plan.js';

const TOOL_TIMEOUT_MS = 120_000;
/** A console consumer that got nothing for this long exits (0) on its own; the test then fails on counts. */
const IDLE_TIMEOUT_MS = 150_000;
const CONSUMER_TIMEOUT_MS = 240_000;

export async function runWithJavaTools(
  target: Target,
  names: WorkflowNames,
  observer: Observer,
): Promise<WorkflowOutcome> {
  const { topic, group } = names;
  const run = async (tool: KafkaToolName, args: string[], stdin?: string, timeoutMs = TOOL_TIMEOUT_MS) => {
    const result = await runKafkaTool(tool, ['--bootstrap-server', target.bootstrap, ...args], {
      stdin,
      timeoutMs,
    });
    if (result.timedOut || result.exitCode !== 0)
      throw new Error(`tool failed\n${describeToolResult(result)}`);
    return result;
  };
  const consume = (maxMessages: number) =>
    run(
      'kafka-console-consumer',
      [
        '--topic',
        topic,
        '--group',
        group,
        // With a group, --from-beginning only sets auto.offset.reset=earliest: committed offsets win.
        '--from-beginning',
        '--max-messages',
        String(maxMessages),
        '--timeout-ms',
        String(IDLE_TIMEOUT_MS),
        '--property',
        'print.partition=true',
        '--property',
        'print.key=true',
      ],
      undefined,
      CONSUMER_TIMEOUT_MS,
    );
  const produce = (lines: string) =>
    run(
      'kafka-console-producer',
      ['--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=:'],
      lines,
    );
  const describeGroup = async () =>
    parseGroupOffsets(await run('kafka-consumer-groups', ['--describe', '--group', group]), topic);

  const created = await run('kafka-topics', [
    '--create',
    '--topic',
    topic,
    '--partitions',
    String(PARTITIONS),
    '--replication-factor',
    '1',
  ]);
  if (!created.stdout.includes(`Created topic ${topic}.`)) {
    throw new Error(`kafka-topics did not say it created ${topic}\n${describeToolResult(created)}`);
  }

  // Two members; the records are produced only once both hold one partition each, so neither can
  // read the other's partition while the group is still forming.
  const perMember = FIRST.length / PARTITIONS;
  const members = [consume(perMember), consume(perMember)];
  // A member that fails must not leave an unhandled rejection while we wait for the group.
  for (const m of members) m.catch(() => undefined);
  await observer.waitForGroup(group, topic, 2, members, 120_000);
  await produce(keyValueLines(FIRST));
  const outputs = await Promise.all(members);
  const reportedAfterGroup = await describeGroup();
  const afterGroup = await observer.snapshot(names);

  await produce(keyValueLines(RESUME));
  const resumed = parseConsumed(await consume(RESUME.length));
  const reportedAfterResume = await describeGroup();
  return {
    members: outputs.map(parseConsumed),
    afterGroup,
    resumed,
    reportedAfterGroup,
    reportedAfterResume,
  };
}

/** `Partition:N<TAB>key<TAB>value` lines (DefaultMessageFormatter with print.partition and print.key). */
function parseConsumed(result: ToolResult): ReceivedMessage[] {
  const out: ReceivedMessage[] = [];
  for (const line of result.stdout.split('\n')) {
    const m = /^Partition:(\d+)\t([^\t]*)\t(.*)$/.exec(line);
    if (m) out.push({ partition: Number(m[1]), key: m[2], value: m[3] });
  }
  return out;
}

/** kafka-consumer-groups --describe's table: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ... */
function parseGroupOffsets(result: ToolResult, topic: string): ReportedOffsets[] {
  const lines = result.stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('GROUP '));
  if (start < 0) throw new Error(`no GROUP table\n${describeToolResult(result)}`);
  const headers = lines[start].trim().split(/\s+/);
  const col = (row: string[], name: string) => row[headers.indexOf(name)];
  const out: ReportedOffsets[] = [];
  for (const line of lines.slice(start + 1)) {
    const row = line.trim().split(/\s+/);
    if (row.length !== headers.length || col(row, 'TOPIC') !== topic) continue;
    out.push({
      partition: Number(col(row, 'PARTITION')),
      // '-' (no commit) would make BigInt throw: report it as -1 so the assertion shows the row.
      current: toBigInt(col(row, 'CURRENT-OFFSET')),
      logEnd: toBigInt(col(row, 'LOG-END-OFFSET')),
      lag: toBigInt(col(row, 'LAG')),
    });
  }
  return out.sort((a, b) => a.partition - b.partition);
}

function toBigInt(cell: string): bigint {
  return /^\d+$/.test(cell) ? BigInt(cell) : -1n;
}
