/**
 * The workflow with kcat 1.7 (librdkafka), Debian's `kcat` package.
 *
 * - kcat has no admin mode (no CreateTopics), and librdkafka's auto-creation would make a topic with
 *   the broker's num.partitions (1): the topic is created through kafkalab's admin client instead.
 * - Produce: `-P -K:` reads `key:value` lines. librdkafka's default partitioner is consistent_random
 *   (CRC32 of the key), not Java's murmur2; `-X topic.partitioner=murmur2_random` makes it place keys
 *   as every other client here does (the test checks the 500/500 split on the broker).
 * - Consume: `-G group topic` is librdkafka's balanced consumer, a real member of a classic group
 *   (JoinGroup/SyncGroup/Heartbeat, range assignor), so it needs no per-partition `-C` workaround.
 *   `-c N` exits after N messages; closing commits the offsets of what was handed out
 *   (enable.auto.commit with auto offset store).
 */
import { type ProcessResult, runProcess } from '../../support/cli.js';
import type { Observer } from './observer.js';
import {
  FIRST,
  keyValueLines,
  PARTITIONS,
  RESUME,
  type ReceivedMessage,
  type Target,
  type WorkflowNames,
  type WorkflowOutcome,
} from './plan.js';

const PRODUCE_TIMEOUT_MS = 60_000;
const CONSUME_TIMEOUT_MS = 180_000;

export async function runWithKcat(
  target: Target,
  names: WorkflowNames,
  observer: Observer,
): Promise<WorkflowOutcome> {
  const { topic, group } = names;
  const kcat = async (args: string[], stdin: string | undefined, timeoutMs: number) => {
    const result = await runProcess('kcat', ['-b', target.bootstrap, ...args], { stdin, timeoutMs });
    if (result.timedOut || result.exitCode !== 0) {
      throw new Error(
        `kcat ${args.join(' ')} → ${result.timedOut ? 'timed out' : `exit ${result.exitCode}`}\n` +
          `stderr:\n${result.stderr}\nstdout (first 2000 chars):\n${result.stdout.slice(0, 2000)}`,
      );
    }
    return result;
  };
  const produce = (lines: string) =>
    kcat(['-P', '-t', topic, '-K', ':', '-X', 'topic.partitioner=murmur2_random'], lines, PRODUCE_TIMEOUT_MS);
  const consume = (count: number) =>
    kcat(
      ['-G', group, '-X', 'auto.offset.reset=earliest', '-c', String(count), '-f', '%p\\t%k\\t%s\\n', topic],
      undefined,
      CONSUME_TIMEOUT_MS,
    );

  await observer.createTopic(topic, PARTITIONS);
  const perMember = FIRST.length / PARTITIONS;
  const members = [consume(perMember), consume(perMember)];
  for (const m of members) m.catch(() => undefined);
  await observer.waitForGroup(group, topic, 2, members, 120_000);
  await produce(keyValueLines(FIRST));
  const outputs = await Promise.all(members);
  const afterGroup = await observer.snapshot(names);

  await produce(keyValueLines(RESUME));
  const resumed = parseConsumed(await consume(RESUME.length));
  return { members: outputs.map(parseConsumed), afterGroup, resumed };
}

function parseConsumed(result: ProcessResult): ReceivedMessage[] {
  const out: ReceivedMessage[] = [];
  for (const line of result.stdout.split('\n')) {
    const m = /^(\d+)\t([^\t]*)\t(.*)$/.exec(line);
    if (m) out.push({ partition: Number(m[1]), key: m[2], value: m[3] });
  }
  return out;
}
