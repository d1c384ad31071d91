// Issue 16, step 4: group and transaction requests to a broker that does not coordinate their id
// answer NOT_COORDINATOR (16), as Kafka's coordinator runtime does for a partition it does not own.
// With 3 brokers and RF 3, "g1" hashes to __consumer_offsets-42 (led by 0), "g2" to 43 (led by 1),
// "t2" to __transaction_state-46 (led by 1). When broker 0 stops, partition 42's leadership moves to
// 1, and so does g1's coordinator — with its committed offsets (the state is the cluster's).
import { afterEach, expect, it } from 'vitest';
import { Connection } from '../../../src/client/connection.js';
import { type Emulator, startEmulator } from '../../../src/emulator/index.js';
import { OffsetCommit } from '../../../src/protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../../../src/protocol/messages/09-offset-fetch.js';
import { FindCoordinator } from '../../../src/protocol/messages/10-find-coordinator.js';
import { JoinGroup } from '../../../src/protocol/messages/11-join-group.js';
import { Heartbeat } from '../../../src/protocol/messages/12-heartbeat.js';
import { DescribeGroups } from '../../../src/protocol/messages/15-describe-groups.js';
import { ListGroups } from '../../../src/protocol/messages/16-list-groups.js';
import { InitProducerId } from '../../../src/protocol/messages/22-init-producer-id.js';
import { EndTxn } from '../../../src/protocol/messages/26-end-txn.js';
import { ListTransactions } from '../../../src/protocol/messages/66-list-transactions.js';

let emulator: Emulator | undefined;
const conns: Connection[] = [];

afterEach(async () => {
  for (const c of conns.splice(0)) await c.close();
  await emulator?.stop();
  emulator = undefined;
});

function connectTo(address: string): Connection {
  const [host, port] = address.split(':');
  const c = new Connection({ host: host as string, port: Number(port) });
  conns.push(c);
  return c;
}

async function coordinator(c: Connection, keyType: number, key: string): Promise<number> {
  const r = await c.request(FindCoordinator, { keyType, coordinatorKeys: [key] } as never, { version: 4 });
  return r.coordinators[0]?.nodeId ?? -2;
}

const commit = (c: Connection, groupId: string, offset: bigint) =>
  c.request(
    OffsetCommit,
    {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }],
        },
      ],
    } as never,
    { version: 8 },
  );

const fetchOffsets = (c: Connection, groups: string[]) =>
  c.request(
    OffsetFetch,
    { groups: groups.map((groupId) => ({ groupId, topics: null })), requireStable: false } as never,
    { version: 8 },
  );

it('answers NOT_COORDINATOR away from the coordinator, and the coordinator moves with its partition', async () => {
  emulator = await startEmulator({ brokers: 3, port: 0, topics: [{ name: 'orders', partitions: 1 }] });
  const [a0, a1] = emulator.addresses as [string, string, string];
  const b0 = connectTo(a0);
  const b1 = connectTo(a1);
  expect([
    await coordinator(b0, 0, 'g1'),
    await coordinator(b0, 0, 'g2'),
    await coordinator(b1, 1, 't2'),
  ]).toEqual([0, 1, 1]);

  const heartbeat = (c: Connection) =>
    c.request(Heartbeat, { groupId: 'g1', generationId: 1, memberId: 'm', groupInstanceId: null } as never, {
      version: 4,
    });
  expect((await heartbeat(b1)).errorCode).toBe(16);
  expect((await heartbeat(b0)).errorCode).toBe(25); // the coordinator: UNKNOWN_MEMBER_ID, no such member

  const join = await b1.request(
    JoinGroup,
    {
      groupId: 'g1',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
      reason: null,
    } as never,
    { version: 9 },
  );
  expect([join.errorCode, join.generationId, join.memberId, join.members]).toEqual([16, -1, '', []]);

  expect((await commit(b1, 'g1', 5n)).topics[0]?.partitions[0]?.errorCode).toBe(16);
  expect((await commit(b0, 'g1', 5n)).topics[0]?.partitions[0]?.errorCode).toBe(0);
  // Several groups in one request: each answered by whether this broker coordinates it, in order.
  const both = await fetchOffsets(b1, ['g1', 'g2']);
  expect(both.groups.map((g) => [g.groupId, g.errorCode])).toEqual([
    ['g1', 16],
    ['g2', 0],
  ]);
  const described = await b0.request(
    DescribeGroups,
    { groups: ['g2', 'g1'], includeAuthorizedOperations: false } as never,
    {
      version: 5,
    },
  );
  expect(described.groups.map((g) => [g.groupId, g.errorCode])).toEqual([
    ['g2', 16],
    ['g1', 0],
  ]);

  // Transactions: t2 is coordinated by broker 1. An idempotent producer (no id) may ask anyone.
  const init = (c: Connection, transactionalId: string | null) =>
    c.request(
      InitProducerId,
      { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 } as never,
      { version: 4 },
    );
  expect((await init(b0, 't2')).errorCode).toBe(16);
  expect((await init(b0, null)).errorCode).toBe(0);
  const t2 = await init(b1, 't2');
  expect(t2.errorCode).toBe(0);
  const end = await b0.request(
    EndTxn,
    {
      transactionalId: 't2',
      producerId: t2.producerId,
      producerEpoch: t2.producerEpoch,
      committed: true,
    } as never,
    { version: 3 },
  );
  expect(end.errorCode).toBe(16);

  // Each broker lists the groups and transactions it coordinates: g1 on 0, g2 on 1; t2 on 1.
  expect((await commit(b1, 'g2', 7n)).topics[0]?.partitions[0]?.errorCode).toBe(0);
  const listed = async (c: Connection) => ({
    groups: (
      await c.request(ListGroups, { statesFilter: [], typesFilter: [] } as never, { version: 4 })
    ).groups.map((g) => g.groupId),
    txns: (
      await c.request(ListTransactions, { stateFilters: [], producerIdFilters: [] } as never, { version: 0 })
    ).transactionStates.map((t) => t.transactionalId),
  });
  expect(await listed(b0)).toEqual({ groups: ['g1'], txns: [] });
  expect(await listed(b1)).toEqual({ groups: ['g2'], txns: ['t2'] });

  // Broker 0 stops: __consumer_offsets-42 is led by 1 now, and so is g1, offsets and all.
  await emulator.stopBroker(0);
  expect(await coordinator(b1, 0, 'g1')).toBe(1);
  const moved = await fetchOffsets(b1, ['g1']);
  expect(moved.groups.map((g) => [g.errorCode, g.topics[0]?.partitions[0]?.committedOffset])).toEqual([
    [0, 5n],
  ]);
  expect((await heartbeat(b1)).errorCode).toBe(25);
});
