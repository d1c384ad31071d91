/**
 * KIP-848 made visible: the emulator's --trace prints each state change of a consumer-protocol member
 * (its epoch, what it owns, what it must revoke, its target) among the heartbeats that caused it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer } from '../../src/client/consumer/consumer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { poke, until } from '../support/until.js';

const LINE =
  /^consumer group "([^"]+)" member=(\S+) (?:epoch=(\d+) (\w+) assigned=\[([^\]]*)\] revoking=\[([^\]]*)\] target=\[([^\]]*)\] groupEpoch=(\d+) targetEpoch=(\d+)|(LEFT|FENCED) groupEpoch=(\d+)) \((.+)\)$/;

interface Line {
  member: string;
  epoch?: number;
  state: string;
  assigned: string[];
  revoking: string[];
  target: string[];
  groupEpoch: number;
  reason: string;
}

const list = (s: string | undefined) => (s ? s.split(',') : []);

function parse(lines: string[], group: string): Line[] {
  return lines
    .map((l) => LINE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === group)
    .map((m) => ({
      member: m[2],
      epoch: m[3] === undefined ? undefined : Number(m[3]),
      state: m[4] ?? m[10],
      assigned: list(m[5]),
      revoking: list(m[6]),
      target: list(m[7]),
      groupEpoch: Number(m[8] ?? m[11]),
      reason: m[12],
    }));
}

describe('KIP-848 member state changes in the emulator trace', () => {
  let emulator: Emulator;
  const lines: string[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      topics: [{ name: 'cg-trace', partitions: 3 }],
      groupConsumerHeartbeatIntervalMs: 100,
      trace: (l) => {
        lines.push(l);
        poke();
      },
    });
  });
  afterAll(() => emulator.stop());

  it('join, a second member (revoke before assign), a leave', async () => {
    const start = () => {
      const c = new Consumer({ bootstrap: emulator.bootstrap, groupId: 'cgt', groupProtocol: 'consumer' });
      c.subscribe('cg-trace');
      void c.run({ eachMessage: () => undefined }).catch(() => undefined);
      return c;
    };
    const first = start();
    await until('the first member is stable', () => parse(lines, 'cgt').some((l) => l.state === 'STABLE'));
    const second = start();
    await until(
      'both members are stable at epoch 2',
      () => parse(lines, 'cgt').filter((l) => l.state === 'STABLE' && l.epoch === 2).length === 2,
    );
    await second.close();
    await until('the first member has everything again', () =>
      parse(lines, 'cgt').some((l) => l.state === 'STABLE' && l.epoch === 3),
    );
    await first.close();
    await until(
      'the first member left',
      () => parse(lines, 'cgt').filter((l) => l.state === 'LEFT').length === 2,
    );
    const all = ['cg-trace-0', 'cg-trace-1', 'cg-trace-2'];
    const seen = parse(lines, 'cgt');
    const a = seen[0].member;
    const b = seen.find((l) => l.member !== a)!.member;
    const moved = seen.find((l) => l.state === 'UNREVOKED_PARTITIONS')!.revoking;
    expect(moved).toHaveLength(1);
    const kept = all.filter((p) => !moved.includes(p));
    expect(
      seen.map((l) => [
        l.member === a ? 'a' : 'b',
        l.epoch,
        l.state,
        l.assigned,
        l.revoking,
        l.target,
        l.groupEpoch,
      ]),
    ).toEqual([
      ['a', 1, 'STABLE', all, [], all, 1],
      // The newcomer has the new epoch at once but waits for what the first member still owns.
      ['b', 2, 'UNRELEASED_PARTITIONS', [], [], moved, 2],
      // The first member is told to give one partition up; it keeps its epoch until it has.
      ['a', 1, 'UNREVOKED_PARTITIONS', kept, moved, kept, 2],
      ['a', 2, 'STABLE', kept, [], kept, 2],
      ['b', 2, 'STABLE', moved, [], moved, 2],
      ['b', undefined, 'LEFT', [], [], [], 3],
      // Nothing to revoke for the one that stays: it just gets more.
      ['a', 3, 'STABLE', all, [], all, 3],
      ['a', undefined, 'LEFT', [], [], [], 4],
    ]);
    expect(b).not.toBe(a);
    // The why, in words: what the member is waiting for.
    expect(seen.map((l) => l.reason)).toEqual([
      'heartbeat',
      `heartbeat; waits for ${moved[0]}, still owned by another member`,
      `heartbeat; must revoke ${moved[0]} before it gets epoch 2`,
      'heartbeat',
      'heartbeat',
      'left the group',
      'heartbeat',
      'left the group',
    ]);
  });
});
