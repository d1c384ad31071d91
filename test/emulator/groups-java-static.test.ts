// Apache Kafka's Java KafkaConsumer (kafka-console-consumer from the 4.1.1 jars, classic protocol)
// with group.instance.id against the emulator: two static members share a 2-partition topic; one is
// killed with SIGKILL (no LeaveGroup — a static member never sends one on close anyway) and started
// again within its session timeout. Kafka's rule (KIP-345): the restarted instance gets the same
// generation and the same partitions, the other member is not rebalanced, the old member id is gone.
// Waits are on emulator exchanges (hooks → poke), each bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { decodeAssignment } from '../../src/protocol/messages/consumer-protocol.js';
import { kafkaToolsEnv } from '../support/kafka-tools.js';
import { poke, until } from '../support/until.js';

const TOPIC = 'java-static';
const GROUP = 'java-static-group';

let emulator: Emulator;
const exchanges: Exchange[] = [];
const children = new Set<ChildProcess>();

beforeAll(async () => {
  await kafkaToolsEnv(); // fetches the jars once on a bare machine
  emulator = await startEmulator({ port: 0, topics: [{ name: TOPIC, partitions: 2 }] });
  emulator.hooks.observe('*', (e) => {
    exchanges.push(e);
    poke();
  });
}, 900_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await emulator?.stop();
});

/** kafka-console-consumer as its bin script starts it, left running until the test kills it. */
async function startStaticConsumer(instanceId: string): Promise<ChildProcess> {
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
      '--consumer-property',
      `group.instance.id=${instanceId}`,
      '--consumer-property',
      `client.id=${instanceId}`,
      '--consumer-property',
      'session.timeout.ms=30000',
      '--consumer-property',
      'heartbeat.interval.ms=500',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (signal !== 'SIGKILL')
      console.error(`console consumer ${instanceId} exited ${code ?? signal}:\n${stderr}`);
    poke();
  });
  children.add(child);
  return child;
}

interface MemberView {
  memberId: string;
  partitions: number[];
}

/** Stable, both instances present, each with a non-empty assignment: instance id → member and partitions. */
function stableView(): { generationId: number; members: Map<string, MemberView> } | undefined {
  const groups = groupsOf(emulator.cluster);
  const state = groups.stateOf(GROUP);
  if (state?.state !== 'Stable') return undefined;
  const d = groups.describeGroup(GROUP);
  const members = new Map<string, MemberView>();
  for (const m of d.members) {
    if (m.groupInstanceId === null || m.memberAssignment.length === 0) return undefined;
    const a = decodeAssignment(m.memberAssignment).value;
    const partitions = a.assignedPartitions.flatMap((t) => t.partitions).sort();
    members.set(m.groupInstanceId, { memberId: m.memberId, partitions });
  }
  return members.size === 2 ? { generationId: state.generationId, members } : undefined;
}

/** A successful SyncGroup answered to `memberId` since exchange number `from`. */
function syncedSince(from: number, memberId: string): boolean {
  return exchanges
    .slice(from)
    .some(
      (e) =>
        e.api.name === 'SyncGroup' && e.request.memberId === memberId && e.response?.body.errorCode === 0,
    );
}

describe('Java KafkaConsumer static members against the emulator', () => {
  it('a static member killed and restarted within its session gets the same generation and partitions, no rebalance', async () => {
    await startStaticConsumer('static-1');
    const victim = await startStaticConsumer('static-2');
    let before: ReturnType<typeof stableView>;
    await until(
      'both static consumers Stable with a partition each',
      () => {
        before = stableView();
        return before !== undefined;
      },
      90_000,
    );
    const old = before!.members.get('static-2')!;
    const survivor = before!.members.get('static-1')!;

    const mark = exchanges.length;
    victim.kill('SIGKILL');
    await startStaticConsumer('static-2');
    let after: ReturnType<typeof stableView>;
    await until(
      'the restarted static-2 to sync under a new member id',
      () => {
        after = stableView();
        const now = after?.members.get('static-2');
        return now !== undefined && now.memberId !== old.memberId && syncedSince(mark, now.memberId);
      },
      90_000,
    );
    expect(after!.generationId).toBe(before!.generationId);
    expect(after!.members.get('static-2')!.partitions).toEqual(old.partitions);
    expect(after!.members.get('static-1')).toEqual(survivor);
    // The survivor was never sent back to JoinGroup: no rebalance at all.
    const since = exchanges.slice(mark);
    expect(
      since.filter((e) => e.api.name === 'JoinGroup' && e.request.groupInstanceId === 'static-1'),
    ).toEqual([]);
    expect(since.some((e) => e.api.name === 'Heartbeat' && e.response?.body.errorCode === 27)).toBe(false);
    // The restarted consumer asked once, as a new member (member id ''), and got the current generation.
    const rejoins = since.filter(
      (e) => e.api.name === 'JoinGroup' && e.request.groupInstanceId === 'static-2',
    );
    expect(
      rejoins.map((e) => [e.request.memberId, e.response?.body.errorCode, e.response?.body.generationId]),
    ).toEqual([['', 0, before!.generationId]]);
  }, 240_000);
});
