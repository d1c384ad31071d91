// Issue 16: what a follower that stops fetching does to its partition (cluster/replication.ts). A
// paused or killed follower in the ISR holds the high watermark where it stopped: consumers see no
// further, and an acks=all Produce waits — until the leader drops it from the ISR (behind the log
// end and not caught up for replica.lag.time.max.ms, checked every half of it), or the controller
// fences the broker (broker.session.timeout.ms), both on the cluster's ManualClock, or timeoutMs
// passes (REQUEST_TIMED_OUT). Below min.insync.replicas the high watermark stands still (KIP-966,
// Kafka 4.1.1): acks=all is refused (NOT_ENOUGH_REPLICAS), a parked one times out. A follower back
// rejoins the ISR after its fetch step (the clock's next move). acks=1 is answered at once.
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import type { Connection } from '../../../src/client/connection.js';
import { brokerOverrides } from '../../../src/emulator/broker-properties.js';
import { ManualClock } from '../../../src/emulator/clock.js';
import { controllerOf } from '../../../src/emulator/cluster/controller.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { Metadata } from '../../../src/protocol/messages/03-metadata.js';
import { ApiVersions } from '../../../src/protocol/messages/18-api-versions.js';
import { DescribeTopicPartitions } from '../../../src/protocol/messages/75-describe-topic-partitions.js';
import { encodeRecordBatch } from '../../../src/protocol/records/batch-encoder.js';
import { runCli } from '../../support/cli.js';
import { closeAll, connectionsInto } from './support.js';

let emulator: Emulator | undefined;
const closers: (() => unknown)[] = [];

afterEach(async () => {
  await closeAll(closers);
  await emulator?.stop();
  emulator = undefined;
});

const connectTo = connectionsInto(closers);

async function setup(
  configs: Record<string, string> = {},
  replicationFactor = 3,
  replicaLagTimeMaxMs?: number,
) {
  // Now-ish, so the records' CreateTime is within log.message.timestamp.after.max.ms of it.
  const clock = new ManualClock(Date.now());
  emulator = await startEmulator({
    brokers: 3,
    port: 0,
    clock,
    ...(replicaLagTimeMaxMs ? { replicaLagTimeMaxMs } : {}),
  });
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  closers.push(() => admin.close());
  await admin.createTopics({ topics: [{ topic: 'rep', numPartitions: 1, replicationFactor, configs }] });
  const address = emulator.addresses[0] as string;
  // Each Produce on its own connection: a parked acks=all answer holds back later ones on the same
  // connection (answers go in request order), and `leader` must stay free to look.
  return { e: emulator, clock, leader: connectTo(address), producer: () => connectTo(address) };
}

function produce(c: Connection, acks: number, timeoutMs = 30_000) {
  let settled = false;
  const answer = c
    .request(
      Produce,
      {
        transactionalId: null,
        acks,
        timeoutMs,
        topicData: [
          {
            name: 'rep',
            partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value: 'x' }] }) }],
          },
        ],
      } as never,
      { version: 11 },
    )
    .then((r) => {
      settled = true;
      const p = r.responses[0]?.partitionResponses[0];
      return [p?.errorCode, p?.baseOffset];
    });
  return { answer, settled: () => settled };
}

async function highWatermark(c: Connection): Promise<bigint | undefined> {
  const r = await c.request(
    Fetch,
    {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 'rep', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    } as never,
    { version: 12 },
  );
  return r.responses[0]?.partitions[0]?.highWatermark;
}

/** Partition 0 of "rep" in Metadata v12 and DescribeTopicPartitions (leader, epoch, ISR, ELR). */
async function described(c: Connection) {
  const md = await c.request(Metadata, { topics: [{ name: 'rep' }] } as never, { version: 12 });
  const dtp = await c.request(
    DescribeTopicPartitions,
    { topics: [{ name: 'rep' }], responsePartitionLimit: 10 } as never,
    {
      version: 0,
    },
  );
  const m = md.topics[0]?.partitions[0];
  const d = dtp.topics[0]?.partitions[0];
  return {
    leader: m?.leaderId,
    epoch: m?.leaderEpoch,
    isr: m?.isrNodes,
    dtpIsr: d?.isrNodes,
    elr: d?.eligibleLeaderReplicas,
  };
}

function partitionEpoch(e: Emulator): number | undefined {
  const topic = e.cluster.topics.get('rep');
  return topic ? controllerOf(e.cluster).partition(topic, 0)?.partitionEpoch : undefined;
}

/** Two round trips to the leader after `p` was sent: if `p` is still unanswered then, it is waiting. */
async function stillWaiting(c: Connection, p: { settled(): boolean }): Promise<boolean> {
  await c.request(ApiVersions, {} as never);
  await highWatermark(c);
  return !p.settled();
}

it('a paused follower holds the high watermark and acks=all until it is fenced', async () => {
  const { e, clock, leader, producer } = await setup();
  expect(await produce(producer(), -1).answer).toEqual([0, 0n]);
  await e.pauseBroker(2);
  const waiting = produce(producer(), -1);
  expect(await stillWaiting(leader, waiting)).toBe(true);
  expect(await produce(producer(), 1).answer).toEqual([0, 2n]);
  expect(await highWatermark(leader)).toBe(1n);
  clock.advance(8999);
  expect(await stillWaiting(leader, waiting)).toBe(true);
  clock.advance(1); // broker 2 fenced: ISR [0, 1], both at the log end
  expect(await waiting.answer).toEqual([0, 1n]);
  expect(await highWatermark(leader)).toBe(3n);
  await e.resumeBroker(2);
  expect(await produce(producer(), -1).answer).toEqual([0, 3n]);
});

it('acks=all times out with REQUEST_TIMED_OUT (the record stays in the log, its offset in the answer)', async () => {
  const { e, clock, leader, producer } = await setup();
  await e.killBroker(1);
  const waiting = produce(producer(), -1, 1000);
  expect(await stillWaiting(leader, waiting)).toBe(true);
  clock.advance(1000);
  expect(await waiting.answer).toEqual([7, 0n]); // the offset it was appended at, as Kafka answers
  expect(e.cluster.topics.get('rep')?.partitions[0]?.logEndOffset).toBe(1);
  expect(await highWatermark(leader)).toBe(0n);
  clock.advance(8000); // fenced at 9000 ms: the high watermark catches up
  expect(await highWatermark(leader)).toBe(1n);
});

it('below min.insync.replicas after fencing the high watermark stands still: a parked acks=all times out', async () => {
  // Kafka 4.1.1 (KIP-966): maybeIncrementLeaderHW does nothing while isUnderMinIsr, so the answer is
  // REQUEST_TIMED_OUT, not NOT_ENOUGH_REPLICAS_AFTER_APPEND (that needs the high watermark to get there).
  const { e, clock, leader, producer } = await setup({ 'min.insync.replicas': '2' }, 2);
  await e.pauseBroker(1);
  const waiting = produce(producer(), -1);
  expect(await stillWaiting(leader, waiting)).toBe(true);
  clock.advance(9000); // fenced: ISR [0]
  expect(await stillWaiting(leader, waiting)).toBe(true);
  expect(await highWatermark(leader)).toBe(0n);
  // Now the ISR is [0]: refused before the append.
  expect(await produce(producer(), -1).answer).toEqual([19, -1n]);
  clock.advance(21_000);
  expect(await waiting.answer).toEqual([7, 0n]);
});

describe('ISR shrink after replica.lag.time.max.ms (Partition.maybeShrinkIsr)', () => {
  it('a paused follower behind the log end leaves the ISR; acks=all then completes with the leader alone', async () => {
    const { e, clock, leader, producer } = await setup({}, 2, 2000);
    const events: string[] = [];
    closers.push(e.onBrokerEvent((line) => events.push(line)));
    expect(await produce(producer(), -1).answer).toEqual([0, 0n]);
    expect(await e.pauseBroker(1)).toMatch(/^broker 1 paused/);
    // At the leader's log end a silent follower is caught up (ReplicaState.isCaughtUp): it stays.
    clock.advance(5000);
    expect(await described(leader)).toEqual({ leader: 0, epoch: 0, isr: [0, 1], dtpIsr: [0, 1], elr: [] });
    const epochBefore = partitionEpoch(e) as number;
    const waiting = produce(producer(), -1);
    expect(await stillWaiting(leader, waiting)).toBe(true);
    expect(await highWatermark(leader)).toBe(1n);
    // Last caught up 5 s ago, behind now: out at the next isr-expiration check (every 1000 ms).
    clock.advance(1000);
    expect(await waiting.answer).toEqual([0, 1n]);
    expect(await described(leader)).toEqual({ leader: 0, epoch: 0, isr: [0], dtpIsr: [0], elr: [] });
    expect(partitionEpoch(e)).toBe(epochBefore + 1); // the partition epoch moves, the leader epoch does not
    expect(await highWatermark(leader)).toBe(2n);
    expect(await produce(producer(), -1).answer).toEqual([0, 2n]);
    expect(await highWatermark(leader)).toBe(3n);

    // Back: not in the ISR until its replica has fetched (the clock's next move), then added.
    await e.resumeBroker(1);
    expect((await described(leader)).isr).toEqual([0]);
    clock.advance(0);
    expect(await described(leader)).toEqual({ leader: 0, epoch: 0, isr: [0, 1], dtpIsr: [0, 1], elr: [] });
    expect(partitionEpoch(e)).toBe(epochBefore + 2);
    // What `kafkalab emulator` prints as they happen.
    expect(events).toEqual([
      'ISR of rep-0 shrunk: 1 out of sync for replica.lag.time.max.ms (2000 ms); ISR now [0]',
      'ISR of rep-0 expanded: 1 caught up; ISR now [0, 1]',
    ]);
  });

  it('between replica.lag.time.max.ms and 1.5 times it, never before (set by --override)', async () => {
    const { replicaLagTimeMaxMs } = brokerOverrides(['replica.lag.time.max.ms=2000']);
    expect(() => brokerOverrides(['replica.lag.time.max.ms=0'])).toThrow(/replica\.lag\.time\.max\.ms/);
    const { e, clock, leader, producer } = await setup({}, 3, replicaLagTimeMaxMs);
    await e.pauseBroker(2);
    const waiting = produce(producer(), -1);
    expect(await stillWaiting(leader, waiting)).toBe(true);
    clock.advance(2000); // not more than 2000 ms since it was caught up: still in sync
    expect((await described(leader)).isr).toEqual([0, 1, 2]);
    clock.advance(1000);
    expect(await waiting.answer).toEqual([0, 0n]);
    expect((await described(leader)).isr).toEqual([0, 1]);
  });

  it('RF 2, min.insync.replicas 2: the shrink leaves the ISR below it — NOT_ENOUGH_REPLICAS, ELR, then expand', async () => {
    const { e, clock, leader, producer } = await setup({ 'min.insync.replicas': '2' }, 2, 2000);
    expect(await produce(producer(), -1).answer).toEqual([0, 0n]);
    await e.pauseBroker(1);
    const waiting = produce(producer(), -1, 10_000);
    expect(await stillWaiting(leader, waiting)).toBe(true);
    clock.advance(3000);
    // ISR [0] below min.insync.replicas: broker 1 an eligible leader replica (KIP-966), HW stands still.
    expect(await described(leader)).toEqual({ leader: 0, epoch: 0, isr: [0], dtpIsr: [0], elr: [1] });
    const cli = await runCli(['topics', '--bootstrap-server', e.bootstrap, '--describe', '--topic', 'rep']);
    expect(cli.stdout).toContain('\tLeader: 0\tReplicas: 0,1\tIsr: 0\tElr: 1\tLastKnownElr: \n');
    expect(await stillWaiting(leader, waiting)).toBe(true);
    expect(await produce(producer(), -1).answer).toEqual([19, -1n]);
    expect(await produce(producer(), 1).answer).toEqual([0, 2n]);
    expect(await highWatermark(leader)).toBe(1n);
    // Resumed before the fencing (9000 ms): it fetches, rejoins, the ELR empties, the HW moves on,
    // and the parked produce completes.
    await e.resumeBroker(1);
    clock.advance(0);
    expect(await waiting.answer).toEqual([0, 1n]);
    expect(await described(leader)).toEqual({ leader: 0, epoch: 0, isr: [0, 1], dtpIsr: [0, 1], elr: [] });
    expect(await highWatermark(leader)).toBe(3n);
    expect(await produce(producer(), -1).answer).toEqual([0, 3n]);
  });

  it('a new leader counts its in-sync followers as caught up from its election', async () => {
    const { e, clock } = await setup({}, 3, 2000);
    await e.pauseBroker(2);
    clock.advance(1500);
    expect(await e.stopBroker(0)).toContain('rep-0 0→1');
    const at1 = e.addresses[1] as string;
    const waiting = produce(connectTo(at1), -1);
    const leader = connectTo(at1);
    expect(await stillWaiting(leader, waiting)).toBe(true);
    clock.advance(1500); // 3000 ms since the pause, 1500 since broker 1 leads: in sync still
    expect(await stillWaiting(leader, waiting)).toBe(true);
    expect((await described(leader)).isr).toEqual([1, 2]);
    clock.advance(2000);
    expect(await waiting.answer).toEqual([0, 0n]);
    expect(await described(leader)).toEqual({ leader: 1, epoch: 1, isr: [1], dtpIsr: [1], elr: [] });
  });

  it('a stopped broker restarted is back in the ISR only after its fetch step', async () => {
    const { e, clock, leader, producer } = await setup({}, 3, 2000);
    await e.stopBroker(2);
    expect(await produce(producer(), -1).answer).toEqual([0, 0n]);
    expect(await e.startBroker(2)).toMatch(/its replicas rejoin the ISR once caught up$/);
    expect((await described(leader)).isr).toEqual([0, 1]);
    clock.advance(0);
    expect((await described(leader)).isr).toEqual([0, 1, 2]);
  });
});
