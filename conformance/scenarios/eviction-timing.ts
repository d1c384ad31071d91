/**
 * Eviction and rebalance timing with a real client: two kafkajs 2.2.4 consumers in separate
 * processes share a 4-partition topic (session.timeout.ms 6000, heartbeat 1000 ms); one is killed
 * with SIGKILL right after a heartbeat (no LeaveGroup). Kafka's coordinator removes it when its
 * session timer fires, 6000 ms after that heartbeat, and the rebalance completes as soon as the
 * survivor — told REBALANCE_IN_PROGRESS on its next heartbeat, ≤ 1 s later — has rejoined
 * (GroupMetadataManager: heartbeat expiry → maybeCompleteJoinPhase). So the survivor owns all four
 * partitions 6.0-7.0 s after the kill (Kafka 4.1.1 measured 6.5 s here, 6.7 s in issue 11); the
 * window checked on both targets is 5.8-7.7 s: not before the session ends, within Kafka's figure
 * + 1 s. (With kafkajs's default maxWaitTimeInMs of 5000 it heartbeats only between fetches of an
 * idle topic, every ~5 s, and the same kill takes ~10.1 s on both targets; eviction-member.cjs.) Real time: a real broker has no clock a
 * test can step (the emulator's ManualClock test is test/emulator/groups-eviction-timing.test.ts).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../runner/types.js';
import { waitForCoordinator } from './group-support.js';
import { setUpTopic } from './support.js';

const MEMBER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'eviction-member.cjs');
const SESSION_MS = 6000;
const WINDOW_MS = { min: SESSION_MS - 200, max: 7700 };

interface MemberEvent {
  name: string;
  t: number;
  join?: boolean;
  heartbeat?: boolean;
  partitions?: number[];
}

export const evictionTiming: Scenario = {
  name: 'eviction-timing',
  source: 'GroupMetadataManager heartbeat expiry and maybeCompleteJoinPhase; kafkajs 2.2.4 consumers',
  description:
    'a kafkajs member killed with SIGKILL: the survivor owns all 4 partitions 5.8-7.7 s later (session 6 s + one heartbeat)',
  timeoutMs: 90_000,
  async run(ctx) {
    const topic = ctx.name('evict');
    const groupId = ctx.name('evict-group');
    await setUpTopic(ctx, topic, 4);
    await waitForCoordinator(ctx, groupId);

    const events: MemberEvent[] = [];
    const children: ChildProcess[] = [];
    const start = (name: string) => {
      const child = spawn(process.execPath, [MEMBER_SCRIPT, ctx.target.bootstrap, groupId, topic, name], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line)));
      children.push(child);
      return child;
    };
    const latestJoin = (name: string, after = 0) =>
      events.filter((e) => e.name === name && e.join && e.t >= after).at(-1);
    try {
      start('survivor');
      const victim = start('victim');
      await ctx.until(
        'both members to own two partitions each',
        async () =>
          latestJoin('survivor')?.partitions?.length === 2 && latestJoin('victim')?.partitions?.length === 2
            ? true
            : undefined,
        60_000,
      );
      // Kill right after one of the victim's heartbeats, from the line handler itself (a polling wait
      // could add up to 500 ms), and measure from that heartbeat: the broker's session timer started
      // when it answered it, so the survivor's reassignment is due SESSION_MS after it.
      const lastHeartbeat = await new Promise<MemberEvent>((resolve, reject) => {
        const seen = events.length;
        const giveUp = setTimeout(() => {
          clearInterval(check);
          reject(new Error('the victim sent no heartbeat within 15 s'));
        }, 15_000);
        const check = setInterval(() => {
          const beat = events.slice(seen).find((e) => e.name === 'victim' && e.heartbeat);
          if (beat) {
            clearInterval(check);
            clearTimeout(giveUp);
            victim.kill('SIGKILL');
            resolve(beat);
          }
        }, 5);
      });
      const killedAt = lastHeartbeat.t;
      const taken = await ctx.until(
        'the survivor to own all four partitions',
        async () => {
          const j = latestJoin('survivor', killedAt);
          return j?.partitions?.length === 4 ? j : undefined;
        },
        30_000,
      );
      const elapsed = taken.t - killedAt;
      ctx.log(`survivor owns all 4 partitions ${elapsed} ms after the victim's last heartbeat`);
      ctx.checkpoint('survivor-after-kill', {
        partitions: taken.partitions,
        withinWindow: elapsed >= WINDOW_MS.min && elapsed <= WINDOW_MS.max,
      });
      assert.ok(
        elapsed >= WINDOW_MS.min && elapsed <= WINDOW_MS.max,
        `reassigned ${elapsed} ms after the victim's last heartbeat, outside ${WINDOW_MS.min}-${WINDOW_MS.max} ms`,
      );
    } finally {
      for (const c of children) {
        c.stdin?.end();
        c.kill('SIGKILL');
      }
    }
  },
};
