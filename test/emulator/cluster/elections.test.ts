// Issue 16: ElectLeaders (preferred and unclean, Kafka's per-partition errors) and
// OffsetForLeaderEpoch from the leader-epoch cache, after leader changes made by stopping brokers.
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import type { Connection } from '../../../src/client/connection.js';
import { LeaderEpochCache } from '../../../src/emulator/cluster/leader-epochs.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../../src/protocol/messages/02-list-offsets.js';
import { Metadata } from '../../../src/protocol/messages/03-metadata.js';
import { OffsetForLeaderEpoch } from '../../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { ElectLeaders } from '../../../src/protocol/messages/43-elect-leaders.js';
import { decodeRecordBatches } from '../../../src/protocol/records/batch-decoder.js';
import { encodeRecordBatch } from '../../../src/protocol/records/batch-encoder.js';
import { closeAll, connectionsInto, isrComplete } from './support.js';

let emulator: Emulator | undefined;
const closers: (() => unknown)[] = [];

afterEach(async () => {
  await closeAll(closers);
  await emulator?.stop();
  emulator = undefined;
});

const connectTo = connectionsInto(closers);

async function cluster(topics: { topic: string; numPartitions: number; replicationFactor: number }[]) {
  emulator = await startEmulator({ brokers: 3, port: 0 });
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  closers.push(() => admin.close());
  await admin.createTopics({ topics });
  return emulator;
}

async function leaders(e: Emulator, topic: string) {
  const md = await connectTo(e.addresses[2] as string).request(
    Metadata,
    { topics: [{ name: topic }] } as never,
    {
      version: 12,
    },
  );
  return md.topics[0]?.partitions.map((p) => [p.leaderId, p.leaderEpoch, p.isrNodes]);
}

function elect(
  e: Emulator,
  electionType: number,
  topicPartitions: { topic: string; partitions: number[] }[] | null,
  version = 2,
) {
  return connectTo(e.addresses[2] as string).request(
    ElectLeaders,
    { electionType, topicPartitions, timeoutMs: 1000 } as never,
    { version },
  );
}

describe('ElectLeaders', () => {
  it('preferred: moves leadership back to the first replica, with Kafka per-partition errors', async () => {
    const e = await cluster([{ topic: 'e', numPartitions: 3, replicationFactor: 3 }]);
    await e.stopBroker(0);
    await e.startBroker(0);
    expect(await leaders(e, 'e')).toEqual([
      [1, 1, [1, 2, 0]],
      [1, 0, [1, 2, 0]],
      [2, 0, [2, 1, 0]],
    ]);
    const r = await elect(e, 0, [
      { topic: 'e', partitions: [0, 1, 9] },
      { topic: 'nope', partitions: [0] },
    ]);
    expect(r.errorCode).toBe(0);
    expect(r.replicaElectionResults).toEqual([
      {
        topic: 'e',
        partitionResult: [
          { partitionId: 0, errorCode: 0, errorMessage: null },
          { partitionId: 1, errorCode: 84, errorMessage: 'Leader election not needed for topic partition.' },
          { partitionId: 9, errorCode: 3, errorMessage: 'No such partition as e-9' },
        ],
      },
      {
        topic: 'nope',
        partitionResult: [{ partitionId: 0, errorCode: 3, errorMessage: 'No such topic as nope' }],
      },
    ]);
    expect((await leaders(e, 'e'))?.[0]).toEqual([0, 2, [1, 2, 0]]);
    // The preferred replica down and the current leader alive: nothing to elect.
    await e.stopBroker(0);
    expect((await elect(e, 0, [{ topic: 'e', partitions: [0] }], 0)).replicaElectionResults).toEqual([
      {
        topic: 'e',
        partitionResult: [
          { partitionId: 0, errorCode: 80, errorMessage: 'The preferred leader was not available.' },
        ],
      },
    ]);
  });

  it('all partitions (null): only those an election concerns are answered', async () => {
    const e = await cluster([{ topic: 'e', numPartitions: 3, replicationFactor: 3 }]);
    await e.stopBroker(2);
    await e.startBroker(2);
    const r = await elect(e, 0, null);
    expect(r.replicaElectionResults.find((t) => t.topic === 'e')).toEqual({
      topic: 'e',
      partitionResult: [{ partitionId: 2, errorCode: 0, errorMessage: null }],
    });
    expect((await leaders(e, 'e'))?.map((p) => p[0])).toEqual([0, 1, 2]);
  });

  it('unclean: a leaderless partition takes a live replica outside the ISR; not needed with a leader', async () => {
    const e = await cluster([{ topic: 'u', numPartitions: 1, replicationFactor: 2 }]);
    await e.stopBroker(1);
    await e.stopBroker(0);
    expect((await elect(e, 1, [{ topic: 'u', partitions: [0] }])).replicaElectionResults).toEqual([
      {
        topic: 'u',
        partitionResult: [
          {
            partitionId: 0,
            errorCode: 83,
            errorMessage: 'Eligible topic partition leaders are not available.',
          },
        ],
      },
    ]);
    await e.startBroker(1);
    expect(await leaders(e, 'u')).toEqual([[-1, 1, []]]);
    // A preferred election cannot help: 0 is down, 1 is not in the ISR.
    expect(
      (await elect(e, 0, [{ topic: 'u', partitions: [0] }])).replicaElectionResults[0]?.partitionResult,
    ).toEqual([{ partitionId: 0, errorCode: 80, errorMessage: 'The preferred leader was not available.' }]);
    expect(
      (await elect(e, 1, [{ topic: 'u', partitions: [0] }])).replicaElectionResults[0]?.partitionResult,
    ).toEqual([{ partitionId: 0, errorCode: 0, errorMessage: null }]);
    expect(await leaders(e, 'u')).toEqual([[1, 2, [1]]]);
    expect(
      (await elect(e, 1, [{ topic: 'u', partitions: [0] }])).replicaElectionResults[0]?.partitionResult,
    ).toEqual([
      { partitionId: 0, errorCode: 84, errorMessage: 'Leader election not needed for topic partition.' },
    ]);
  });
});

function produce(c: Connection, topic: string, values: string[], acks = -1) {
  return c.request(
    Produce,
    {
      transactionalId: null,
      acks,
      timeoutMs: 5000,
      topicData: [
        {
          name: topic,
          partitionData: [
            { index: 0, records: encodeRecordBatch({ records: values.map((value) => ({ value })) }) },
          ],
        },
      ],
    } as never,
    { version: 11 },
  );
}

function epochRequest(
  c: Connection,
  topic: string,
  asks: { currentLeaderEpoch?: number; leaderEpoch: number }[],
  version = 4,
) {
  return c.request(
    OffsetForLeaderEpoch,
    {
      replicaId: -1,
      topics: [
        {
          topic,
          partitions: asks.map((a) => ({
            partition: 0,
            currentLeaderEpoch: a.currentLeaderEpoch ?? -1,
            leaderEpoch: a.leaderEpoch,
          })),
        },
      ],
    } as never,
    { version },
  );
}

describe('OffsetForLeaderEpoch', () => {
  it('answers where each leader epoch ended, from the leader only, fencing stale and future epochs', async () => {
    const e = await cluster([
      { topic: 'ep', numPartitions: 1, replicationFactor: 3 },
      { topic: 'one', numPartitions: 1, replicationFactor: 1 },
    ]);
    const [a0, a1, a2] = e.addresses as [string, string, string];
    // Epoch 0 led by 0: offsets 0-2. Epoch 1 led by 1: 3-4. Epoch 2 led by 0 again: 5.
    expect(
      (await produce(connectTo(a0), 'ep', ['a', 'b', 'c'])).responses[0]?.partitionResponses[0]?.errorCode,
    ).toBe(0);
    await e.stopBroker(0);
    expect(
      (await produce(connectTo(a1), 'ep', ['d', 'e'])).responses[0]?.partitionResponses[0]?.baseOffset,
    ).toBe(3n);
    await e.startBroker(0);
    await isrComplete(e, 'ep'); // not a clean leader before it is back in the ISR
    await e.stopBroker(1);
    expect(await leaders(e, 'ep')).toEqual([[0, 2, [2, 0]]]);
    const leader = connectTo(a0);
    expect((await produce(leader, 'ep', ['f'])).responses[0]?.partitionResponses[0]?.baseOffset).toBe(5n);

    const answered = await epochRequest(leader, 'ep', [
      { currentLeaderEpoch: 2, leaderEpoch: 0 },
      { currentLeaderEpoch: 2, leaderEpoch: 1 },
      { currentLeaderEpoch: 2, leaderEpoch: 2 },
      { currentLeaderEpoch: 2, leaderEpoch: 3 },
      { currentLeaderEpoch: -1, leaderEpoch: -1 },
      { currentLeaderEpoch: 1, leaderEpoch: 1 },
      { currentLeaderEpoch: 3, leaderEpoch: 1 },
    ]);
    expect(answered.topics[0]?.partitions.map((p) => [p.errorCode, p.leaderEpoch, p.endOffset])).toEqual([
      [0, 0, 3n],
      [0, 1, 5n],
      [0, 2, 6n],
      [0, -1, -1n],
      [0, -1, -1n],
      [74, -1, -1n],
      [75, -1, -1n],
    ]);
    // A follower checks the epoch first, then says it does not lead; a broker with no replica, and
    // an unknown topic.
    const follower = await epochRequest(connectTo(a2), 'ep', [
      { currentLeaderEpoch: 2, leaderEpoch: 1 },
      { currentLeaderEpoch: 1, leaderEpoch: 1 },
    ]);
    expect(follower.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([6, 74]);
    expect(
      (await epochRequest(connectTo(a2), 'one', [{ leaderEpoch: 0 }])).topics[0]?.partitions[0]?.errorCode,
    ).toBe(6);
    expect(
      (await epochRequest(leader, 'nope', [{ leaderEpoch: 0 }])).topics[0]?.partitions[0]?.errorCode,
    ).toBe(3);
    // The batches carry the epoch they were written in, and ListOffsets names it.
    const fetched = await leader.request(
      Fetch,
      {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: 'ep',
            partitions: [
              { partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20, currentLeaderEpoch: 2 },
            ],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      } as never,
      { version: 12 },
    );
    const records = fetched.responses[0]?.partitions[0]?.records as Buffer;
    expect(decodeRecordBatches(records).batches.map((b) => [b.baseOffset, b.partitionLeaderEpoch])).toEqual([
      [0n, 0],
      [3n, 1],
      [5n, 2],
    ]);
    const latest = await leader.request(
      ListOffsets,
      {
        replicaId: -1,
        isolationLevel: 0,
        topics: [
          {
            name: 'ep',
            partitions: [
              { partitionIndex: 0, timestamp: -1n, currentLeaderEpoch: 2 },
              { partitionIndex: 0, timestamp: -2n, currentLeaderEpoch: 1 },
            ],
          },
        ],
      } as never,
      { version: 7 },
    );
    expect(latest.topics[0]?.partitions.map((p) => [p.errorCode, p.offset, p.leaderEpoch])).toEqual([
      [0, 6n, 2],
      [74, -1n, -1],
    ]);
  });
});

describe('min.insync.replicas', () => {
  it('acks=all is refused with NOT_ENOUGH_REPLICAS while the ISR is below it; acks=1 still appends', async () => {
    emulator = await startEmulator({ brokers: 3, port: 0 });
    const e = emulator;
    const admin = new Admin({ bootstrap: e.bootstrap });
    closers.push(() => admin.close());
    await admin.createTopics({
      topics: [
        { topic: 'min2', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      ],
    });
    const leader = connectTo(e.addresses[0] as string);
    const answer = async (acks: number) => {
      const p = (await produce(leader, 'min2', ['x'], acks)).responses[0]?.partitionResponses[0];
      return [p?.errorCode, p?.baseOffset, p?.errorMessage];
    };
    expect(await answer(-1)).toEqual([0, 0n, null]);
    await e.stopBroker(1);
    expect(await answer(-1)).toEqual([0, 1n, null]); // ISR [0, 2]: still 2
    await e.stopBroker(2);
    expect(await answer(-1)).toEqual([19, -1n, null]);
    expect(await answer(1)).toEqual([0, 2n, null]);
    expect(e.cluster.topics.get('min2')?.partitions[0]?.logEndOffset).toBe(3);
    await e.startBroker(2);
    await isrComplete(e, 'min2'); // broker 2's replica has fetched: ISR [0, 2]
    expect(await answer(-1)).toEqual([0, 3n, null]);
  });
});

describe('LeaderEpochCache', () => {
  it('an epoch with nothing written gives way to the next one at the same offset', () => {
    const cache = new LeaderEpochCache();
    cache.assign(0, 0);
    cache.assign(1, 0);
    cache.assign(2, 4);
    cache.assign(2, 7);
    expect(cache.epochs).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 4 },
    ]);
    expect(cache.endOffsetFor(0, 9)).toEqual({ epoch: 0, endOffset: 0 });
    expect(cache.endOffsetFor(1, 9)).toEqual({ epoch: 1, endOffset: 4 });
    expect(cache.endOffsetFor(2, 9)).toEqual({ epoch: 2, endOffset: 9 });
    expect(cache.endOffsetFor(5, 9)).toEqual({ epoch: -1, endOffset: -1 });
    expect([cache.epochForOffset(3), cache.epochForOffset(4)]).toEqual([1, 2]);
  });
});
