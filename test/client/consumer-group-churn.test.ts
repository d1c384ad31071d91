// Churn in a KIP-848 consumer group (issue 14): kafkalab's Consumer with groupProtocol 'consumer'
// against the emulator, while a producer keeps writing acked records. Members join and leave one
// after another (bounded: a fixed schedule of joins, graceful leaves, and one member in a child
// process that is SIGKILLed and fenced at the session timeout), and throughout:
//  - no partition is owned by two members at once, seen by the clients (a member's
//    onPartitionsAssigned never gets a partition another member has not revoked yet) and by the
//    coordinator (no two members' current assignments overlap at any exchange);
//  - member epochs only go up, and every join or leave moves the group epoch up;
//  - every acked record is consumed (at least once), and the commits end at the log end.
// Waits are on the emulator's exchanges and the clients' callbacks (poke), each bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer, type TopicPartition } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { offsetsOf } from '../../src/emulator/state/groups.js';
import { poke, until } from './consumer-support.js';

const TOPIC = 'kip848-churn';
const GROUP = 'kip848-churn-g';
const PARTITIONS = 8;
const RECORDS = 6_000;
const BATCH = 200;
/**
 * The schedule: + a member joins, - the oldest in-process member leaves (close()), * a member joins
 * in a child process, k that child is SIGKILLed. Each step produces a share of the records.
 */
const SCHEDULE = ['+', '+', '*', '+', '-', '+', 'k', '-', '-', '+', '+', '-', '+', '-', '-', '+'] as const;
const SESSION_TIMEOUT_MS = 1_500;
const CHILD = join(import.meta.dirname, 'churn-member.ts');

let emulator: Emulator;
const violations: string[] = [];
/** Per member id, the member epochs its heartbeats were answered with (-1: it left). */
const memberEpochs = new Map<string, number[]>();
const groupEpochs: number[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    topics: [{ name: TOPIC, partitions: PARTITIONS }],
    groupConsumerHeartbeatIntervalMs: 50,
    // The killed member is fenced this long after its last heartbeat.
    groupConsumerSessionTimeoutMs: SESSION_TIMEOUT_MS,
  });
  emulator.hooks.observe('*', (e: Exchange) => {
    if (e.api.name === 'ConsumerGroupHeartbeat' && e.response && e.request.groupId === GROUP) {
      const r = e.response.body;
      if (r.errorCode === 0 && r.memberId) {
        const list = memberEpochs.get(r.memberId) ?? [];
        list.push(r.memberEpoch);
        memberEpochs.set(r.memberId, list);
      }
      // The coordinator's view: current assignments never overlap (revoke before reassign).
      const snap = consumerGroupsOf(emulator.cluster).snapshot(GROUP);
      if (snap) {
        groupEpochs.push(snap.groupEpoch);
        const owner = new Map<string, string>();
        for (const m of snap.members)
          for (const t of m.assigned)
            for (const p of t.partitions) {
              const key = `${t.topicId}:${p}`;
              const other = owner.get(key);
              if (other) violations.push(`coordinator: ${key} assigned to ${other} and ${m.memberId}`);
              owner.set(key, m.memberId);
            }
      }
    }
    poke();
  });
});

afterAll(async () => {
  await emulator?.stop();
});

interface Member {
  name: string;
  consumer?: Consumer;
  child?: ChildProcess;
  error?: unknown;
}

describe('a KIP-848 group under churn (kafkalab Consumer, groupProtocol consumer)', () => {
  it(`${SCHEDULE.length} joins and leaves while ${RECORDS} records are produced: no double ownership, epochs up, every record read, commits at the log end`, async () => {
    /** The clients' view: partition → the member whose listener last got it and has not given it up. */
    const owner = new Map<number, string>();
    const seen = new Set<number>();
    let deliveries = 0;
    const live: Member[] = [];
    let joined = 0;
    const children = new Set<ChildProcess>();

    const assignedTo = (name: string, ps: number[]) => {
      for (const p of ps) {
        const other = owner.get(p);
        if (other !== undefined && other !== name)
          violations.push(`client: ${name} got ${p} while ${other} owns it`);
        owner.set(p, name);
      }
      poke();
    };
    const gaveUp = (name: string, ps: number[]) => {
      for (const p of ps) if (owner.get(p) === name) owner.delete(p);
      poke();
    };
    const consumed = (value: number) => {
      deliveries++;
      seen.add(value);
      poke();
    };

    /** A member in its own process (test/client/churn-member.ts), reporting on stdout. */
    const startChild = (): Member => {
      const name = `m${++joined}`;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CHILD, emulator.bootstrap, GROUP, TOPIC, name],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      children.add(child);
      const m: Member = { name, child };
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const [what, arg = ''] = line.split(' ');
        const ps = arg === '' ? [] : arg.split(',').map(Number);
        if (what === 'assigned') assignedTo(name, ps);
        else if (what === 'revoked' || what === 'lost') gaveUp(name, ps);
        else if (what === 'record') consumed(Number(arg));
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') m.error = new Error(`${name} exited ${code}`);
        poke();
      });
      live.push(m);
      return m;
    };

    const start = (): Member => {
      const name = `m${++joined}`;
      const m: Member = { name, consumer: undefined as unknown as Consumer };
      const give = (ps: TopicPartition[]) =>
        gaveUp(
          name,
          ps.map((p) => p.partition),
        );
      m.consumer = new Consumer({
        bootstrap: emulator.bootstrap,
        clientId: name,
        groupId: GROUP,
        groupProtocol: 'consumer',
        autoOffsetReset: 'earliest',
        fetchMaxWaitMs: 50,
        autoCommitIntervalMs: 100,
        listener: {
          onPartitionsAssigned: (ps) =>
            assignedTo(
              name,
              ps.map((p) => p.partition),
            ),
          onPartitionsRevoked: give,
          onPartitionsLost: give,
        },
      });
      m.consumer.subscribe(TOPIC);
      m.consumer
        .run({
          eachMessage: (r) => consumed(Number(r.value!.toString())),
        })
        .catch((err) => {
          m.error = err;
          poke();
        });
      live.push(m);
      return m;
    };
    const failed = () => {
      for (const m of live) if (m.error !== undefined) throw m.error;
      return false;
    };
    const stable = () => {
      const snap = consumerGroupsOf(emulator.cluster).snapshot(GROUP);
      return snap?.state === 'Stable' && snap.members.length === live.length && owner.size === PARTITIONS;
    };
    const groupEpoch = () => consumerGroupsOf(emulator.cluster).snapshot(GROUP)?.groupEpoch ?? 0;

    // Each step's share of the records, produced while the group rebalances, each batch acked.
    const producer = new Producer({ bootstrap: emulator.bootstrap, clientId: 'churn-producer' });
    let acked = 0;
    const produceUpTo = async (end: number) => {
      while (acked < end) {
        const base = acked;
        const n = Math.min(BATCH, end - base);
        await producer.send({
          topic: TOPIC,
          messages: Array.from({ length: n }, (_, i) => ({
            value: Buffer.from(String(base + i)),
            key: null,
            partition: (base + i) % PARTITIONS,
          })),
        });
        acked += n;
        poke();
      }
    };
    const share = Math.ceil(RECORDS / (SCHEDULE.length + 1));

    try {
      start();
      await until('the first member owns every partition', () => failed() || stable(), 20_000);
      await produceUpTo(share);
      const epochsAtSteps = [groupEpoch()];
      for (const [i, step] of SCHEDULE.entries()) {
        let stepDone: Promise<unknown> = Promise.resolve();
        if (step === '+') start();
        else if (step === '*') startChild();
        else if (step === 'k') {
          const victim = live.find((m) => m.child)!;
          live.splice(live.indexOf(victim), 1);
          victim.child!.kill('SIGKILL');
          // Dead, it reads nothing more: what it owned waits for the coordinator to fence it.
          for (const [p, o] of owner) if (o === victim.name) owner.delete(p);
        } else {
          const leaving = live.splice(
            live.findIndex((m) => m.consumer),
            1,
          )[0]!;
          stepDone = leaving.consumer!.close({ timeoutMs: 10_000 });
        }
        // Records keep coming while the group moves.
        await Promise.all([stepDone, produceUpTo(Math.min(RECORDS, share * (i + 2)))]);
        await until(
          `the group stable after step ${i} '${step}' (${live.length} members)`,
          () => failed() || stable(),
          20_000,
        );
        await until(`the ${acked} records so far consumed`, () => failed() || seen.size === acked, 20_000);
        epochsAtSteps.push(groupEpoch());
      }
      await produceUpTo(RECORDS);
      await until(`all ${RECORDS} records consumed`, () => failed() || seen.size === RECORDS, 30_000);
      // Every join and every leave moved the group epoch on.
      for (let i = 1; i < epochsAtSteps.length; i++)
        expect(epochsAtSteps[i]!, `group epoch at step ${i}`).toBeGreaterThan(epochsAtSteps[i - 1]!);
    } finally {
      await producer.close();
      await Promise.all(live.map((m) => m.consumer?.close({ timeoutMs: 10_000 })));
      for (const c of children) c.kill('SIGKILL');
    }

    expect(acked).toBe(RECORDS);
    expect(violations).toEqual([]);
    expect(seen.size).toBe(RECORDS);
    expect(deliveries).toBeGreaterThanOrEqual(RECORDS);
    // Member epochs only go up while a member is in the group; a leave answers -1, last.
    expect(memberEpochs.size).toBe(joined);
    let killedWithoutLeave = 0;
    for (const [id, epochs] of memberEpochs) {
      const inGroup = epochs.filter((e) => e >= 0);
      for (let i = 1; i < inGroup.length; i++)
        expect(inGroup[i]!, `member ${id} epoch ${i}`).toBeGreaterThanOrEqual(inGroup[i - 1]!);
      // The killed member never said goodbye; every other one left with -1.
      if (epochs.at(-1) !== -1) killedWithoutLeave++;
    }
    expect(killedWithoutLeave).toBe(1);
    for (let i = 1; i < groupEpochs.length; i++)
      expect(groupEpochs[i]!).toBeGreaterThanOrEqual(groupEpochs[i - 1]!);
    // The last members closed with a commit on revoke: every partition committed at its log end.
    const topic = emulator.cluster.topics.get(TOPIC)!;
    for (let p = 0; p < PARTITIONS; p++) {
      expect(offsetsOf(emulator.cluster).get(GROUP, TOPIC, p)?.offset, `partition ${p}`).toBe(
        BigInt(topic.partitions[p]!.logEndOffset),
      );
    }
    const total = topic.partitions.reduce((n, l) => n + l.logEndOffset, 0);
    expect(total).toBe(RECORDS);
    console.log(
      `churn: ${joined} members joined (one SIGKILLed), ` +
        `group epoch ${groupEpochs.at(-1)}, ${deliveries} deliveries for ${RECORDS} records (${deliveries - RECORDS} again after a hand-over)`,
    );
  }, 240_000);
});
