// Issue 16: what a follower that stops fetching does to its partition (cluster/replication.ts). A
// paused or killed follower in the ISR holds the high watermark where it stopped: consumers see no
// further, and an acks=all Produce waits — until the controller fences the broker (after
// broker.session.timeout.ms on the cluster's ManualClock) and drops it from the ISR, or timeoutMs
// passes (REQUEST_TIMED_OUT), or the ISR that acknowledges is below min.insync.replicas
// (NOT_ENOUGH_REPLICAS_AFTER_APPEND). acks=1 is answered at once.
import { afterEach, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import type { Connection } from '../../../src/client/connection.js';
import { ManualClock } from '../../../src/emulator/clock.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { ApiVersions } from '../../../src/protocol/messages/18-api-versions.js';
import { encodeRecordBatch } from '../../../src/protocol/records/batch-encoder.js';
import { closeAll, connectionsInto } from './support.js';

let emulator: Emulator | undefined;
const closers: (() => unknown)[] = [];

afterEach(async () => {
  await closeAll(closers);
  await emulator?.stop();
  emulator = undefined;
});

const connectTo = connectionsInto(closers);

async function setup(configs: Record<string, string> = {}, replicationFactor = 3) {
  // Now-ish, so the records' CreateTime is within log.message.timestamp.after.max.ms of it.
  const clock = new ManualClock(Date.now());
  emulator = await startEmulator({ brokers: 3, port: 0, clock });
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

it('acks=all times out with REQUEST_TIMED_OUT (the record stays in the log)', async () => {
  const { e, clock, leader, producer } = await setup();
  await e.killBroker(1);
  const waiting = produce(producer(), -1, 1000);
  expect(await stillWaiting(leader, waiting)).toBe(true);
  clock.advance(1000);
  expect(await waiting.answer).toEqual([7, -1n]);
  expect(e.cluster.topics.get('rep')?.partitions[0]?.logEndOffset).toBe(1);
  expect(await highWatermark(leader)).toBe(0n);
  clock.advance(8000); // fenced at 9000 ms: the high watermark catches up
  expect(await highWatermark(leader)).toBe(1n);
});

it('NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR that acknowledges is below min.insync.replicas', async () => {
  const { e, clock, leader, producer } = await setup({ 'min.insync.replicas': '2' }, 2);
  await e.pauseBroker(1);
  const waiting = produce(producer(), -1);
  expect(await stillWaiting(leader, waiting)).toBe(true);
  clock.advance(9000);
  expect(await waiting.answer).toEqual([20, -1n]);
  // Now the ISR is [0]: refused before the append.
  expect(await produce(producer(), -1).answer).toEqual([19, -1n]);
});
