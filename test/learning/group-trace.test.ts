/**
 * Groups made visible: the emulator's --trace prints every state change of a classic group with its
 * generation, leader and members, among the exchanges that caused it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer } from '../../src/client/consumer/consumer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { spawnEmulator } from '../emulator/support/spawn-emulator.js';
import { runCli } from '../support/cli.js';

const TRANSITION = /^group "([^"]+)" (\w+) → (\w+) generation=(-?\d+) leader=(\S+) members=\[([^\]]*)\]$/;

interface Transition {
  group: string;
  from: string;
  to: string;
  generation: number;
  leader: string;
  members: string[];
}

function transitions(lines: string[], group: string): Transition[] {
  return lines
    .map((l) => TRANSITION.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === group)
    .map((m) => ({
      group: m[1],
      from: m[2],
      to: m[3],
      generation: Number(m[4]),
      leader: m[5],
      members: m[6] === '' ? [] : m[6].split(','),
    }));
}

/** Resolves once `consumer` owns `n` partitions (it keeps polling in run()). */
function owning(consumer: Consumer, n: number, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (consumer.assignment().length === n) return resolve();
      if (Date.now() > deadline) return reject(new Error(`no assignment of ${n} within ${timeoutMs} ms`));
      setTimeout(check, 20);
    };
    check();
  });
}

describe('group state changes in the emulator trace', () => {
  let emulator: Emulator;
  const lines: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      topics: [{ name: 'g-topic', partitions: 2 }],
      trace: (l) => lines.push(l),
    });
  });
  afterAll(() => emulator.stop());

  it('shows Empty → PreparingRebalance → CompletingRebalance → Stable, then a second member and a leave', async () => {
    const a = new Consumer({ bootstrap: emulator.bootstrap, groupId: 'g1', clientId: 'a' });
    a.subscribe('g-topic');
    const runA = a.run({ eachMessage: () => undefined });
    await owning(a, 2);
    const first = transitions(lines, 'g1');
    expect(first.map((t) => `${t.from}→${t.to}`)).toEqual([
      'Empty→PreparingRebalance',
      'PreparingRebalance→CompletingRebalance',
      'CompletingRebalance→Stable',
    ]);
    const memberA = a.groupMetadata().memberId;
    expect(first[1]).toMatchObject({ generation: 1, leader: memberA, members: [memberA] });
    expect(first[2]).toMatchObject({ generation: 1, leader: memberA, members: [memberA] });

    const b = new Consumer({ bootstrap: emulator.bootstrap, groupId: 'g1', clientId: 'b' });
    b.subscribe('g-topic');
    const runB = b.run({ eachMessage: () => undefined });
    await Promise.all([owning(a, 1), owning(b, 1)]);
    const memberB = b.groupMetadata().memberId;
    const second = transitions(lines, 'g1').slice(3);
    expect(second.map((t) => `${t.from}→${t.to}`)).toEqual([
      'Stable→PreparingRebalance',
      'PreparingRebalance→CompletingRebalance',
      'CompletingRebalance→Stable',
    ]);
    // The first member stays leader; the generation moves on once per completed join phase.
    expect(second[1]).toMatchObject({ generation: 2, leader: memberA });
    expect(new Set(second[2].members)).toEqual(new Set([memberA, memberB]));

    await b.close();
    await a.close();
    await Promise.all([runA, runB]);
    const last = transitions(lines, 'g1').at(-1)!;
    expect(last).toMatchObject({ to: 'Empty', members: [] });
    // Printed among the exchanges: the join that caused the first rebalance comes right around it.
    const firstIndex = lines.findIndex((l) => l.startsWith('group "g1" Empty → PreparingRebalance'));
    expect(lines.slice(firstIndex, firstIndex + 6).some((l) => / JoinGroup v\d+ /.test(l))).toBe(true);
  });
});

describe('kafkalab emulator --trace with console consumers in a group (built bin)', () => {
  it('prints the rebalance of a console consumer joining', async () => {
    const em = await spawnEmulator(['--port', '0', '--trace', '--topic', 'seen:2']);
    try {
      const bs = `127.0.0.1:${em.port}`;
      const produced = await runCli(['produce', '--topic', 'seen', '--bootstrap-server', bs], {
        stdin: 'one\ntwo\n',
      });
      expect(produced.code).toBe(0);
      const consumed = await runCli([
        'consume',
        '--topic',
        'seen',
        '--group',
        'watchers',
        '--from-beginning',
        '--max-messages',
        '2',
        '--bootstrap-server',
        bs,
      ]);
      expect(consumed.stdout.split('\n').filter(Boolean).sort()).toEqual(['one', 'two']);
      const traced = transitions(em.stdout().split('\n'), 'watchers');
      expect(traced.map((t) => t.to)).toEqual([
        'PreparingRebalance',
        'CompletingRebalance',
        'Stable',
        'PreparingRebalance',
        'Empty',
      ]);
      expect(traced[2].members).toHaveLength(1);
      expect(traced[2].leader).toBe(traced[2].members[0]);
    } finally {
      await em.stop();
    }
  });
});
