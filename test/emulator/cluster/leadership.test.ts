// Issue 16: only a partition's leader serves Produce, Fetch and ListOffsets. Topic "led" has three
// RF-1 partitions placed 0, 1, 2 (leaders round robin), so partition 0 is led by broker 0 only.
// Broker 1 answers NOT_LEADER_OR_FOLLOWER (6) and, in Produce v10+ / Fetch v16+, KIP-951's
// currentLeader and the leader's NodeEndpoint (Fetch: from v16, as Kafka); broker 0 serves the same
// requests.
import { afterEach, expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import type { Connection } from '../../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../../src/protocol/messages/02-list-offsets.js';
import { encodeRecordBatch } from '../../../src/protocol/records/batch-encoder.js';
import { closeAll, connectionsInto } from './support.js';

let emulator: Emulator | undefined;
const closers: (() => unknown)[] = [];

afterEach(async () => {
  await closeAll(closers);
  await emulator?.stop();
  emulator = undefined;
});

const connect = connectionsInto(closers);

it('Produce, Fetch and ListOffsets to a non-leader answer NOT_LEADER_OR_FOLLOWER with the leader', async () => {
  emulator = await startEmulator({ brokers: 3, port: 0 });
  const admin = new Admin({ bootstrap: emulator.bootstrap });
  closers.push(() => admin.close());
  await admin.createTopics({ topics: [{ topic: 'led', numPartitions: 3, replicationFactor: 1 }] });
  const [a0, a1] = emulator.addresses as [string, string];
  const [port0] = [Number(a0.split(':')[1])];
  const leader = connect(a0);
  const other = connect(a1);

  const produce = (c: Connection) =>
    c.request(
      Produce,
      {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [
          {
            name: 'led',
            partitionData: [{ index: 0, records: encodeRecordBatch({ records: [{ value: 'x' }] }) }],
          },
        ],
      } as never,
      { version: 11 },
    );
  const refused = await produce(other);
  const p = refused.responses[0]?.partitionResponses[0];
  expect([p?.errorCode, p?.currentLeader]).toEqual([6, { leaderId: 0, leaderEpoch: 0 }]);
  expect(refused.nodeEndpoints?.map((e) => [e.nodeId, e.port])).toEqual([[0, port0]]);
  expect((await produce(leader)).responses[0]?.partitionResponses[0]?.errorCode).toBe(0);

  const fetch = (c: Connection, version = 12) =>
    c.request(
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
            topic: 'led',
            topicId: emulator?.cluster.topics.get('led')?.id,
            partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      } as never,
      { version },
    );
  // Kafka names the current leader in a Fetch answer from v16 on (KafkaApis.handleFetchRequest).
  const v12 = await fetch(other);
  expect(v12.responses[0]?.partitions[0]?.errorCode).toBe(6);
  expect(v12.responses[0]?.partitions[0]?.currentLeader?.leaderId ?? -1).toBe(-1);
  const v16 = await fetch(other, 16);
  const notServed = v16.responses[0]?.partitions[0];
  expect([notServed?.errorCode, notServed?.currentLeader]).toEqual([6, { leaderId: 0, leaderEpoch: 0 }]);
  expect(v16.nodeEndpoints?.map((e) => [e.nodeId, e.port])).toEqual([[0, port0]]);
  const served = (await fetch(leader)).responses[0]?.partitions[0];
  expect([served?.errorCode, served?.highWatermark]).toEqual([0, 1n]);

  const listOffsets = (c: Connection) =>
    c.request(
      ListOffsets,
      {
        replicaId: -1,
        isolationLevel: 0,
        topics: [
          { name: 'led', partitions: [{ partitionIndex: 0, timestamp: -1n, currentLeaderEpoch: -1 }] },
        ],
      } as never,
      { version: 7 },
    );
  expect((await listOffsets(other)).topics[0]?.partitions[0]?.errorCode).toBe(6);
  const latest = (await listOffsets(leader)).topics[0]?.partitions[0];
  expect([latest?.errorCode, latest?.offset]).toEqual([0, 1n]);
});
