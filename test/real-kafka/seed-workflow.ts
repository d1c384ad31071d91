/**
 * The seed's workflow, driven by Apache Kafka's own command-line tools against any bootstrap address:
 *
 *   kafka-topics --create --topic test --partitions 2 --replication-factor 1
 *   kafka-topics --describe --topic test            → partitions 0 and 1, led by the one broker
 *   kafka-console-producer --topic test  < words     → acks=all, idempotent (the Java defaults)
 *   kafka-console-consumer --topic test --from-beginning --group g --max-messages N → exactly the words
 *   kafka-consumer-groups --describe --group g       → committed offsets = log end, lag 0
 *
 * Each step checks what the tool printed and throws a SeedWorkflowStepError naming the step, the
 * command and its whole output when something is off, so a failing target says where and why.
 */
import {
  describeToolResult,
  type KafkaToolName,
  runKafkaTool,
  type ToolResult,
} from '../support/kafka-tools.js';

export interface SeedWorkflowOptions {
  /** The broker's node id, expected as leader/replica/ISR of every partition (default 0). */
  nodeId?: number;
  topic?: string;
  group?: string;
  /** Bound for each tool run (default 60 s). */
  toolTimeoutMs?: number;
}

export interface SeedWorkflowResult {
  /** Each tool run, in order, with its duration (JVM start included). */
  steps: { step: string; durationMs: number }[];
  totalMs: number;
  /** Messages consumed per partition (from the consumer's own `Partition:` prefix). */
  consumedPerPartition: Map<number, number>;
}

export class SeedWorkflowStepError extends Error {
  constructor(
    readonly step: string,
    problem: string,
    readonly result?: ToolResult,
  ) {
    super(`seed workflow, step "${step}": ${problem}${result ? `\n${describeToolResult(result)}` : ''}`);
    this.name = 'SeedWorkflowStepError';
  }
}

// Keyed records, so that Kafka's default partitioner (murmur2 of the key, modulo the partition count)
// spreads them over both partitions and the lag check covers both. Words: a pangram, one per record.
const WORDS = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog', 'again'];
const RECORDS = WORDS.map((word, i) => ({ key: `k${i}`, value: word }));

export async function seedWorkflowWithKafkaTools(
  bootstrap: string,
  options: SeedWorkflowOptions = {},
): Promise<SeedWorkflowResult> {
  const nodeId = options.nodeId ?? 0;
  const topic = options.topic ?? 'test';
  const group = options.group ?? 'g';
  const timeoutMs = options.toolTimeoutMs ?? 60_000;
  const steps: SeedWorkflowResult['steps'] = [];
  const workflowStarted = performance.now();

  const run = async (step: string, tool: KafkaToolName, args: string[], stdin?: string) => {
    const result = await runKafkaTool(tool, ['--bootstrap-server', bootstrap, ...args], { stdin, timeoutMs });
    steps.push({ step, durationMs: result.durationMs });
    if (result.timedOut) throw new SeedWorkflowStepError(step, `no exit within ${timeoutMs} ms`, result);
    if (result.exitCode !== 0) throw new SeedWorkflowStepError(step, `exit code ${result.exitCode}`, result);
    return result;
  };
  const fail = (step: string, problem: string, result: ToolResult): never => {
    throw new SeedWorkflowStepError(step, problem, result);
  };

  // 1. Create the topic.
  const created = await run('create topic', 'kafka-topics', [
    '--create',
    '--topic',
    topic,
    '--partitions',
    '2',
    '--replication-factor',
    '1',
  ]);
  if (!created.stdout.includes(`Created topic ${topic}.`)) {
    fail('create topic', `stdout lacks "Created topic ${topic}."`, created);
  }

  // 2. Describe it: two partitions, each on this one broker.
  const described = await run('describe topic', 'kafka-topics', ['--describe', '--topic', topic]);
  const summary = new RegExp(
    `^Topic: ${topic}\\s+TopicId: \\S+\\s+PartitionCount: 2\\s+ReplicationFactor: 1\\b`,
    'm',
  );
  if (!summary.test(described.stdout)) {
    fail('describe topic', 'no "Topic: … PartitionCount: 2 ReplicationFactor: 1" line', described);
  }
  const partitionLines = [
    ...described.stdout.matchAll(
      /^\s+Topic: (\S+)\s+Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]*)\s+Isr: ([\d,]*)/gm,
    ),
  ];
  const partitions = partitionLines.map((m) => Number(m[2])).sort((a, b) => a - b);
  if (partitions.join() !== '0,1') {
    fail('describe topic', `partitions listed: [${partitions}], expected [0,1]`, described);
  }
  for (const m of partitionLines) {
    if (m[1] !== topic || Number(m[3]) !== nodeId || m[4] !== String(nodeId) || m[5] !== String(nodeId)) {
      fail('describe topic', `partition ${m[2]}: expected leader, replicas and ISR = ${nodeId}`, described);
    }
  }

  // 3. Produce one record per line (key:value) with the console producer's defaults.
  const input = RECORDS.map((r) => `${r.key}:${r.value}\n`).join('');
  await run(
    'produce',
    'kafka-console-producer',
    ['--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=:'],
    input,
  );

  // 4. Consume from the beginning in group g until N records arrived; the consumer commits on close.
  const consumed = await run('consume', 'kafka-console-consumer', [
    '--topic',
    topic,
    '--from-beginning',
    '--group',
    group,
    '--max-messages',
    String(RECORDS.length),
    // Without data the consumer would wait forever; with it, it exits 0 and logs the timeout.
    '--timeout-ms',
    String(Math.max(1000, timeoutMs - 15_000)),
    '--property',
    'print.partition=true',
    '--property',
    'print.key=true',
  ]);
  const lines = consumed.stdout.split('\n').filter((line) => line.startsWith('Partition:'));
  const consumedPerPartition = new Map<number, number>();
  const got: string[] = [];
  for (const line of lines) {
    const [partition, key, value] = line.split('\t');
    const p = Number(partition.slice('Partition:'.length));
    consumedPerPartition.set(p, (consumedPerPartition.get(p) ?? 0) + 1);
    got.push(`${key}:${value}`);
  }
  const sent = RECORDS.map((r) => `${r.key}:${r.value}`);
  // Order holds only within a partition, so compare as sorted lists: exactly these, no more, no fewer.
  if (got.slice().sort().join('\n') !== sent.slice().sort().join('\n')) {
    fail('consume', `received [${got.join(', ')}], sent [${sent.join(', ')}]`, consumed);
  }
  if (!consumed.stderr.includes(`Processed a total of ${RECORDS.length} messages`)) {
    fail('consume', `stderr lacks "Processed a total of ${RECORDS.length} messages"`, consumed);
  }
  if (consumedPerPartition.size !== 2) {
    fail(
      'consume',
      `records came from partitions [${[...consumedPerPartition.keys()]}], expected 0 and 1`,
      consumed,
    );
  }

  // 5. The group's committed offsets: each partition's = its log end = what the consumer read there.
  const groupDescribed = await run('describe group', 'kafka-consumer-groups', [
    '--describe',
    '--group',
    group,
  ]);
  const rows = parseTable(groupDescribed.stdout, 'GROUP').filter(
    (row) => row.GROUP === group && row.TOPIC === topic,
  );
  const seen = rows.map((row) => Number(row.PARTITION)).sort((a, b) => a - b);
  if (seen.join() !== '0,1') {
    fail('describe group', `rows for partitions [${seen}], expected [0,1]`, groupDescribed);
  }
  for (const row of rows) {
    const expected = consumedPerPartition.get(Number(row.PARTITION)) ?? 0;
    const current = Number(row['CURRENT-OFFSET']);
    const end = Number(row['LOG-END-OFFSET']);
    if (current !== expected || end !== expected || row.LAG !== '0') {
      fail(
        'describe group',
        `partition ${row.PARTITION}: CURRENT-OFFSET ${row['CURRENT-OFFSET']}, LOG-END-OFFSET ` +
          `${row['LOG-END-OFFSET']}, LAG ${row.LAG}; expected ${expected}, ${expected}, 0`,
        groupDescribed,
      );
    }
  }

  return { steps, totalMs: performance.now() - workflowStarted, consumedPerPartition };
}

/** Parses a whitespace-aligned table (as kafka-consumer-groups prints) starting at the header line. */
function parseTable(text: string, firstHeader: string): Record<string, string>[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${firstHeader} `));
  if (start < 0) return [];
  const headers = lines[start].trim().split(/\s+/);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== headers.length) continue;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i]])));
  }
  return rows;
}
