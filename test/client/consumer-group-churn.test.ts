// Churn in a KIP-848 consumer group (issue 14) against the emulator: the shared run
// (support/churn-run.ts — joins, graceful leaves, one member SIGKILLed, records produced throughout;
// no double ownership, group epoch up at every step, every record read, commits at the log end),
// plus what only the emulator lets a test see, at every ConsumerGroupHeartbeat it answers:
//  - the coordinator's current assignments never overlap (revoke before reassign);
//  - each member's epochs only go up, a leave answers -1 last, and only the killed member never left;
//  - the group epoch never goes down.
// The same run against Kafka 4.1.1: consumer-group-churn-real-kafka.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { poke } from './consumer-support.js';
import { CHURN_SCHEDULE, runChurn } from './support/churn-run.js';

const TOPIC = 'kip848-churn';
const GROUP = 'kip848-churn-g';
const PARTITIONS = 8;
const RECORDS = 20_000;
const SESSION_TIMEOUT_MS = 1_500;

let emulator: Emulator;
const violations: string[] = [];
/** Per member id, the member epochs its heartbeats were answered with (-1: it left). */
const memberEpochs = new Map<string, number[]>();
const groupEpochs: number[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
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

describe('a KIP-848 group under churn (kafkalab Consumer, groupProtocol consumer), emulator', () => {
  it(`${CHURN_SCHEDULE.length} joins and leaves while ${RECORDS} records are produced: no double ownership, epochs up, every record read, commits at the log end`, async () => {
    const result = await runChurn({
      bootstrap: emulator.bootstrap,
      topic: TOPIC,
      group: GROUP,
      partitions: PARTITIONS,
      records: RECORDS,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      stepTimeoutMs: 20_000,
    });
    expect(result.acked).toBe(RECORDS);
    expect(result.violations).toEqual([]);
    expect(violations).toEqual([]);
    expect(result.seen).toBe(RECORDS);
    expect(result.deliveries).toBeGreaterThanOrEqual(RECORDS);
    // Every join and every leave moved the group epoch on.
    for (let i = 1; i < result.epochsAtSteps.length; i++)
      expect(result.epochsAtSteps[i]!, `group epoch at step ${i}`).toBeGreaterThan(
        result.epochsAtSteps[i - 1]!,
      );
    // Member epochs only go up while a member is in the group; a leave answers -1, last.
    expect(memberEpochs.size).toBe(result.joined);
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
    for (let p = 0; p < PARTITIONS; p++)
      expect(result.committed.get(p), `partition ${p}`).toBe(result.logEnd.get(p));
    expect([...result.logEnd.values()].reduce((n, e) => n + e, 0n)).toBe(BigInt(RECORDS));
    console.log(
      `churn (emulator): ${result.joined} members joined (one SIGKILLed), group epoch ${groupEpochs.at(-1)} once the last members left, ` +
        `${result.deliveries} deliveries for ${RECORDS} records (${result.deliveries - RECORDS} again after a hand-over); group epoch at each step ${result.epochsAtSteps.join(' ')}`,
    );
  }, 240_000);
});
