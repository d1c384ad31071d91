// KIP-848's online migration with Apache Kafka's own consumers (kafka-console-consumer from the 4.1.1
// jars) against the emulator: a classic console consumer (group.protocol classic, Java's default
// range assignor, eager) owns all four partitions; a second one with group.protocol=consumer joins
// the live classic group, which becomes a consumer group (the Java classic member reconciles through
// Heartbeat REBALANCE_IN_PROGRESS, JoinGroup, SyncGroup); kafka-consumer-groups lists it as type
// Consumer and describes both members; when the consumer-protocol member stops (SIGTERM: it leaves),
// the group is downgraded to a classic group and the classic member takes all four partitions back.
// Every record is consumed exactly once. Waits are on the emulator's exchanges and state, bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { runCli } from '../support/cli.js';
import { describeToolResult, kafkaToolsEnv, runKafkaTool } from '../support/kafka-tools.js';
import { poke, until } from '../support/until.js';

const TOPIC = 'java-migration';
const GROUP = 'java-migration-group';

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

/** kafka-console-consumer as its bin script starts it; its printed values collected. */
async function startConsumer(clientId: string, groupProtocol: 'classic' | 'consumer'): Promise<Consumer> {
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
      `group.protocol=${groupProtocol}`,
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
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 143)
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

const partitionsOf = (m: { assigned: { partitions: number[] }[] }) =>
  m.assigned.flatMap((t) => t.partitions).length;

describe('Java consumers migrate a live group between the classic and the consumer protocol', () => {
  it('classic console consumer + group.protocol=consumer one: upgraded, shared, downgraded; every record once', async () => {
    const batch = (p: string) => Array.from({ length: 100 }, (_, i) => `${p}-${i}`);
    const [first, second, third] = [batch('a'), batch('b'), batch('c')];
    await produce(first);

    const classic = await startConsumer('migration-classic', 'classic');
    await until(
      'the classic member to own all four partitions and consume the first batch',
      () =>
        groupsOf(emulator.cluster).stateOf(GROUP)?.state === 'Stable' &&
        classic.values.length >= first.length,
      90_000,
    );

    const modern = await startConsumer('migration-consumer', 'consumer');
    await until(
      'a consumer group, Stable, two partitions each, one classic member',
      () => {
        const s = consumerGroupsOf(emulator.cluster).snapshot(GROUP);
        return (
          s?.state === 'Stable' &&
          s.members.length === 2 &&
          s.members.every((m) => partitionsOf(m) === 2) &&
          s.members.filter((m) => m.classic).length === 1
        );
      },
      90_000,
    );
    expect(groupsOf(emulator.cluster).stateOf(GROUP)).toBeUndefined();
    // The Java classic member was told to rejoin and did, through the consumer group's classic path.
    const after = exchanges.slice(exchanges.findIndex((e) => e.api.name === 'ConsumerGroupHeartbeat'));
    const codes = (api: string) =>
      after.filter((e) => e.api.name === api && e.response).map((e) => e.response!.body.errorCode as number);
    expect(codes('Heartbeat')).toContain(27);
    expect(codes('JoinGroup')).toContain(0);
    expect(codes('SyncGroup').every((c) => c === 0 || c === 27)).toBe(true);

    const list = await runKafkaTool('kafka-consumer-groups', [
      '--bootstrap-server',
      emulator.bootstrap,
      '--list',
      '--type',
    ]);
    expect(list.exitCode, describeToolResult(list)).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${GROUP}\\s+Consumer\\s*$`, 'm'));
    const membersArgs = [
      '--bootstrap-server',
      emulator.bootstrap,
      '--describe',
      '--group',
      GROUP,
      '--members',
    ];
    const described = await runKafkaTool('kafka-consumer-groups', membersArgs);
    expect(described.exitCode, describeToolResult(described)).toBe(0);
    expect(described.stdout).toContain('migration-classic');
    expect(described.stdout).toContain('migration-consumer');
    // --members --verbose of a group mid-migration: Kafka's tool adds the UPGRADED column (true for
    // the consumer-protocol member, false for the classic one), and so does kafkalab's.
    const verboseArgs = [...membersArgs, '--verbose'];
    const javaVerbose = await runKafkaTool('kafka-consumer-groups', verboseArgs);
    expect(javaVerbose.exitCode, describeToolResult(javaVerbose)).toBe(0);
    const ours = await runCli(['groups', ...verboseArgs]);
    expect(ours.code, ours.stderr).toBe(0);
    for (const out of [javaVerbose.stdout, ours.stdout]) {
      const header = out.split('\n').find((l) => l.includes('CONSUMER-ID'));
      expect(header?.trim().split(/\s+/).at(-1), out).toBe('UPGRADED');
      const upgraded = (clientId: string) =>
        out
          .split('\n')
          .find((l) => l.includes(clientId))
          ?.trim()
          .split(/\s+/)
          .at(-1);
      expect(upgraded('migration-classic'), out).toBe('false');
      expect(upgraded('migration-consumer'), out).toBe('true');
    }

    await produce(second);
    await until(
      'the second batch consumed across both',
      () => classic.values.length + modern.values.length >= first.length + second.length,
      60_000,
    );

    // The consumer-protocol member stops (its shutdown hook closes the consumer: it leaves).
    modern.child.kill('SIGTERM');
    await until(
      'downgraded: a classic group, Stable, the classic member alone',
      () => {
        const s = groupsOf(emulator.cluster).stateOf(GROUP);
        return s?.state === 'Stable' && s.memberIds.length === 1;
      },
      90_000,
    );
    expect(consumerGroupsOf(emulator.cluster).snapshot(GROUP)).toBeUndefined();
    await produce(third);
    await until(
      'all three batches consumed',
      () => classic.values.length + modern.values.length >= first.length + second.length + third.length,
      60_000,
    );
    const all = [...classic.values, ...modern.values].sort();
    expect(all).toEqual([...first, ...second, ...third].sort());
    const list2 = await runKafkaTool('kafka-consumer-groups', [
      '--bootstrap-server',
      emulator.bootstrap,
      '--list',
      '--type',
    ]);
    expect(list2.stdout).toMatch(new RegExp(`^${GROUP}\\s+Classic\\s*$`, 'm'));
  }, 400_000);
});
