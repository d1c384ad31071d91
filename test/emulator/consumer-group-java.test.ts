// Apache Kafka's Java KafkaConsumer with group.protocol=consumer (KIP-848; kafka-console-consumer
// from the 4.1.1 jars) against the emulator: one member takes all four partitions, a second joins
// and the coordinator moves two of them over (revoked by the first, then assigned to the second);
// every record is consumed exactly once across both, and kafka-consumer-groups lists the group as
// type Consumer. Waits are on the emulator's exchanges and state (hooks → poke), each bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { describeToolResult, kafkaToolsEnv, runKafkaTool } from '../support/kafka-tools.js';
import { poke, until } from '../support/until.js';

const TOPIC = 'java-kip848';
const GROUP = 'java-kip848-group';

let emulator: Emulator;
const exchanges: Exchange[] = [];
const children = new Set<ChildProcess>();

beforeAll(async () => {
  await kafkaToolsEnv(); // fetches the jars once on a bare machine
  emulator = await startEmulator({
    port: 0,
    topics: [{ name: TOPIC, partitions: 4 }],
    // Kafka's 5 s heartbeat interval would make each reconciliation step take seconds.
    groupConsumerHeartbeatIntervalMs: 250,
  });
  emulator.hooks.observe('*', (e) => {
    exchanges.push(e);
    poke();
  });
}, 900_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await emulator?.stop();
});

interface Consumer {
  child: ChildProcess;
  values: string[];
}

/** kafka-console-consumer as its bin script starts it, with the new protocol; its printed values collected. */
async function startConsumer(clientId: string): Promise<Consumer> {
  const env = await kafkaToolsEnv();
  const cds =
    env.cdsArchive !== '' && existsSync(env.cdsArchive) ? [`-XX:SharedArchiveFile=${env.cdsArchive}`] : [];
  const child = spawn(
    env.java,
    [
      ...env.jvmOptions,
      ...cds,
      `-Dlog4j2.configurationFile=${env.log4jConfig}`,
      '-cp',
      join(env.libs, '*'),
      env.classes.get('kafka-console-consumer')!,
      '--bootstrap-server',
      emulator.bootstrap,
      '--topic',
      TOPIC,
      '--group',
      GROUP,
      '--from-beginning',
      '--consumer-property',
      'group.protocol=consumer',
      '--consumer-property',
      `client.id=${clientId}`,
      '--consumer-property',
      'auto.commit.interval.ms=500',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const consumer: Consumer = { child, values: [] };
  let buffered = '';
  child.stdout!.on('data', (d) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    consumer.values.push(...lines.filter(Boolean));
    poke();
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (signal !== 'SIGKILL')
      console.error(`console consumer ${clientId} exited ${code ?? signal}:\n${stderr}`);
    poke();
  });
  children.add(child);
  return consumer;
}

async function produce(values: string[]): Promise<void> {
  const r = await runKafkaTool(
    'kafka-console-producer',
    // Keyed (key = value): keyless records go through Java's sticky partitioner, which may put all
    // of a small burst into one partition — then one member gets nothing and the test would flake.
    [
      '--bootstrap-server',
      emulator.bootstrap,
      '--topic',
      TOPIC,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=|',
    ],
    {
      stdin: `${values.map((v) => `${v}|${v}`).join('\n')}\n`,
    },
  );
  expect(r.exitCode, describeToolResult(r)).toBe(0);
}

/** Member id → partitions, when the group is Stable with `n` members. */
function stableAssignment(n: number): Map<string, number[]> | undefined {
  const s = consumerGroupsOf(emulator.cluster).snapshot(GROUP);
  if (s?.state !== 'Stable' || s.members.length !== n) return undefined;
  return new Map(s.members.map((m) => [m.memberId, m.assigned.flatMap((t) => t.partitions).sort()]));
}

describe('Java KafkaConsumer with group.protocol=consumer against the emulator', () => {
  it('two members share four partitions through ConsumerGroupHeartbeat; every record once; listed as a Consumer group', async () => {
    const first = Array.from({ length: 100 }, (_, i) => `a-${i}`);
    const second = Array.from({ length: 100 }, (_, i) => `b-${i}`);
    await produce(first);

    const c1 = await startConsumer('kip848-1');
    await until(
      'the first member to own all four partitions',
      () => stableAssignment(1) !== undefined,
      90_000,
    );
    expect([...stableAssignment(1)!.values()]).toEqual([[0, 1, 2, 3]]);
    await until(
      'the first member to consume the first batch',
      () => c1.values.length >= first.length,
      60_000,
    );

    const c2 = await startConsumer('kip848-2');
    let two: Map<string, number[]> | undefined;
    await until(
      'both members Stable with two partitions each',
      () => {
        two = stableAssignment(2);
        return two !== undefined && [...two.values()].every((p) => p.length === 2);
      },
      90_000,
    );
    const snap = consumerGroupsOf(emulator.cluster).snapshot(GROUP)!;
    expect(snap.groupEpoch).toBe(2);
    expect(snap.members.map((m) => m.memberEpoch)).toEqual([2, 2]);

    // The reconciliation as Kafka runs it: the first member was asked to revoke (same epoch, fewer
    // partitions) before the second got anything.
    const heartbeats = exchanges.filter((e) => e.api.name === 'ConsumerGroupHeartbeat' && e.response);
    expect(heartbeats.every((e) => e.response!.body.errorCode === 0)).toBe(true);
    expect(new Set(heartbeats.map((e) => e.version))).toEqual(new Set([1]));
    const firstId = snap.members[0].memberId;
    const secondId = snap.members[1].memberId;
    const revokedAt = exchanges.findIndex(
      (e) =>
        e.api.name === 'ConsumerGroupHeartbeat' &&
        e.request.memberId === firstId &&
        e.response?.body.memberEpoch === 1 &&
        e.response.body.assignment?.topicPartitions[0]?.partitions.length === 2,
    );
    const grantedAt = exchanges.findIndex(
      (e) =>
        e.api.name === 'ConsumerGroupHeartbeat' &&
        e.request.memberId === secondId &&
        (e.response?.body.assignment?.topicPartitions[0]?.partitions.length ?? 0) > 0,
    );
    expect(revokedAt).toBeGreaterThan(-1);
    expect(grantedAt).toBeGreaterThan(revokedAt);

    await produce(second);
    await until(
      'both batches consumed across the two members',
      () => c1.values.length + c2.values.length >= first.length + second.length,
      60_000,
    );
    const all = [...c1.values, ...c2.values].sort();
    expect(all).toEqual([...first, ...second].sort());
    expect(c2.values.length).toBeGreaterThan(0);
    // Offsets were committed with the members' epochs (OffsetCommit v9+), none refused.
    const commits = exchanges.filter((e) => e.api.name === 'OffsetCommit' && e.response);
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.every((e) => e.version >= 9)).toBe(true);
    expect(
      commits.flatMap((e) =>
        e.response!.body.topics.flatMap((t: any) => t.partitions.map((p: any) => p.errorCode)),
      ),
    ).not.toContain(113);

    const list = await runKafkaTool('kafka-consumer-groups', [
      '--bootstrap-server',
      emulator.bootstrap,
      '--list',
      '--type',
    ]);
    expect(list.exitCode, describeToolResult(list)).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${GROUP}\\s+Consumer\\s*$`, 'm'));

    const described = await runKafkaTool('kafka-consumer-groups', [
      '--bootstrap-server',
      emulator.bootstrap,
      '--describe',
      '--group',
      GROUP,
      '--members',
    ]);
    expect(described.exitCode, describeToolResult(described)).toBe(0);
    expect(described.stdout).toContain('kip848-1');
    expect(described.stdout).toContain('kip848-2');
  }, 300_000);
});
