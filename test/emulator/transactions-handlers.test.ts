/**
 * The transaction handlers over the wire, by exact versions: what each version answers where Kafka
 * translates codes (PRODUCER_FENCED → INVALID_PRODUCER_EPOCH before KIP-588's versions; the Produce
 * path's translation of the coordinator's verification), the v4+ batched AddPartitionsToTxn,
 * ListOffsets/Fetch at both isolation levels, and OffsetFetch requireStable. The commit/abort flow
 * itself is compared with Apache Kafka in conformance/scenarios/transactions-basic.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { transactionsOf } from '../../src/emulator/state/transactions/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { AddPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { AddOffsetsToTxn } from '../../src/protocol/messages/25-add-offsets-to-txn.js';
import { EndTxn } from '../../src/protocol/messages/26-end-txn.js';
import { TxnOffsetCommit } from '../../src/protocol/messages/28-txn-offset-commit.js';
import { DescribeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { ListTransactions } from '../../src/protocol/messages/66-list-transactions.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { WireClient } from './support/wire-client.js';

const TOPIC = 'txn-wire';
let emulator: Emulator;
let c: WireClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: TOPIC, partitions: 2 }] });
  c = await WireClient.connect(emulator.port);
});

afterAll(async () => {
  c.close();
  await emulator.stop();
});

async function init(transactionalId: string, version = 4, expected = { producerId: -1n, producerEpoch: -1 }) {
  return c.request(InitProducerId, version, { transactionalId, transactionTimeoutMs: 60_000, ...expected });
}

async function addV3(
  id: string,
  producerId: bigint,
  producerEpoch: number,
  partitions: number[],
  version = 3,
) {
  const r = await c.request(AddPartitionsToTxn, version, {
    transactions: [],
    v3AndBelowTransactionalId: id,
    v3AndBelowProducerId: producerId,
    v3AndBelowProducerEpoch: producerEpoch,
    v3AndBelowTopics: [{ name: TOPIC, partitions }],
  });
  return r.resultsByTopicV3AndBelow[0].resultsByPartition.map((p) => p.partitionErrorCode);
}

async function produceTxn(
  id: string,
  producerId: bigint,
  producerEpoch: number,
  partition: number,
  version: number,
) {
  const records = encodeRecordBatch({
    records: [{ key: null, value: Buffer.from('v'), timestamp: Date.now() }],
    isTransactional: true,
    producerId,
    producerEpoch,
    baseSequence: 0,
  });
  const r = await c.request(Produce, version, {
    transactionalId: id,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: TOPIC, partitionData: [{ index: partition, records }] }],
  });
  return r.responses[0].partitionResponses[0];
}

async function latest(isolationLevel: number, partition = 0) {
  const r = await c.request(ListOffsets, 7, {
    replicaId: -1,
    isolationLevel,
    topics: [
      { name: TOPIC, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -1n }] },
    ],
    timeoutMs: 1000,
  });
  return r.topics[0].partitions[0].offset;
}

async function fetch(isolationLevel: number, partition = 0) {
  const r = await c.request(Fetch, 12, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: TOPIC,
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset: 0n,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  });
  return r.responses[0].partitions[0];
}

describe('transaction handlers over the wire', () => {
  it('ApiVersions advertises the transaction APIs served, EndTxn up to v5 (transactions V2, test/emulator/transactions-v2.test.ts)', async () => {
    const v = await c.request(ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
    const range = (k: number) => v.apiKeys.find((a) => a.apiKey === k);
    expect(range(24)).toMatchObject({ minVersion: 0, maxVersion: 5 });
    expect(range(25)).toMatchObject({ minVersion: 0, maxVersion: 4 });
    expect(range(26)).toMatchObject({ minVersion: 0, maxVersion: 5 });
    expect(range(28)).toMatchObject({ minVersion: 0, maxVersion: 5 });
  });

  it('PRODUCER_FENCED (90) from v4/v2 on, INVALID_PRODUCER_EPOCH (47) before', async () => {
    const first = await init('fence-versions');
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    await init('fence-versions'); // epoch 1: the first producer is a zombie now
    const stale = { producerId: first.producerId, producerEpoch: 0 };
    // KIP-360 bump with a stale epoch.
    expect((await init('fence-versions', 4, stale)).errorCode).toBe(90);
    expect((await init('fence-versions', 3, stale)).errorCode).toBe(47);
    expect(await addV3('fence-versions', first.producerId, 0, [0], 2)).toEqual([90]);
    expect(await addV3('fence-versions', first.producerId, 0, [0], 1)).toEqual([47]);
    const end = (version: number) =>
      c.request(EndTxn, version, {
        transactionalId: 'fence-versions',
        producerId: first.producerId,
        producerEpoch: 0,
        committed: true,
      });
    expect((await end(2)).errorCode).toBe(90);
    expect((await end(1)).errorCode).toBe(47);
    const offsets = (version: number) =>
      c.request(AddOffsetsToTxn, version, {
        transactionalId: 'fence-versions',
        producerId: first.producerId,
        producerEpoch: 0,
        groupId: 'g',
      });
    expect((await offsets(2)).errorCode).toBe(90);
    expect((await offsets(1)).errorCode).toBe(47);
    // Only one of producer id / epoch set is a malformed KIP-360 request.
    expect((await init('fence-versions', 4, { producerId: 5n, producerEpoch: -1 })).errorCode).toBe(42);
  });

  it('a transactional Produce to a partition not in the transaction: 48 up to v10, 120 on v11; a stale epoch 47', async () => {
    const p = await init('produce-check');
    expect((await produceTxn('produce-check', p.producerId, 0, 0, 9)).errorCode).toBe(48);
    expect((await produceTxn('produce-check', p.producerId, 0, 0, 10)).errorMessage).toBe(
      'Partition was not added to the transaction',
    );
    expect((await produceTxn('produce-check', p.producerId, 0, 0, 11)).errorCode).toBe(120);
    expect(await addV3('produce-check', p.producerId, 0, [0])).toEqual([0]);
    expect((await produceTxn('produce-check', p.producerId, 1, 0, 9)).errorCode).toBe(47);
    expect((await produceTxn('produce-check', 424242n, 0, 0, 9)).errorCode).toBe(49);
    const ok = await produceTxn('produce-check', p.producerId, 0, 0, 9);
    expect(ok).toMatchObject({ errorCode: 0 });
    // A plain idempotent batch from the same producer while its transaction is open here.
    const plain = await c.request(Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [
        {
          name: TOPIC,
          partitionData: [
            {
              index: 0,
              records: encodeRecordBatch({
                records: [{ key: null, value: Buffer.from('p'), timestamp: Date.now() }],
                producerId: p.producerId,
                producerEpoch: 0,
                baseSequence: 1,
              }),
            },
          ],
        },
      ],
    });
    expect(plain.responses[0].partitionResponses[0].errorCode).toBe(48);
    // Open: read_committed stops at the transaction's first offset.
    const at = ok.baseOffset;
    expect(await latest(0)).toBe(at + 1n);
    expect(await latest(1)).toBe(at);
    const committedFetch = await fetch(1);
    expect(committedFetch).toMatchObject({
      highWatermark: at + 1n,
      lastStableOffset: at,
      abortedTransactions: [],
    });
    expect((await fetch(0)).abortedTransactions).toBeNull();
    const end = await c.request(EndTxn, 3, {
      transactionalId: 'produce-check',
      producerId: p.producerId,
      producerEpoch: 0,
      committed: false,
    });
    expect(end.errorCode).toBe(0);
    expect(await latest(1)).toBe(at + 2n);
    expect((await fetch(1)).abortedTransactions).toEqual([{ producerId: p.producerId, firstOffset: at }]);
  });

  it('AddPartitionsToTxn v4+: batched, verifyOnly checks without adding', async () => {
    const p = await init('batched');
    const r = await c.request(AddPartitionsToTxn, 4, {
      transactions: [
        {
          transactionalId: 'batched',
          producerId: p.producerId,
          producerEpoch: 0,
          verifyOnly: false,
          topics: [{ name: TOPIC, partitions: [1] }],
        },
        {
          transactionalId: 'batched',
          producerId: p.producerId,
          producerEpoch: 0,
          verifyOnly: true,
          topics: [{ name: TOPIC, partitions: [0, 1] }],
        },
        {
          transactionalId: 'unknown',
          producerId: 1n,
          producerEpoch: 0,
          verifyOnly: true,
          topics: [{ name: TOPIC, partitions: [0] }],
        },
      ],
      v3AndBelowTransactionalId: '',
      v3AndBelowProducerId: 0n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [],
    });
    expect(r.errorCode).toBe(0);
    const codes = r.resultsByTransaction.map((t) =>
      t.topicResults[0].resultsByPartition.map((x) => x.partitionErrorCode),
    );
    expect(codes).toEqual([[0], [120, 0], [49]]);
  });

  it('TxnOffsetCommit offsets are pending: requireStable answers UNSTABLE_OFFSET_COMMIT until the commit', async () => {
    const p = await init('offsets');
    const body = {
      transactionalId: 'offsets',
      groupId: 'txn-group',
      producerId: p.producerId,
      producerEpoch: 0,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: TOPIC,
          partitions: [
            { partitionIndex: 1, committedOffset: 9n, committedLeaderEpoch: -1, committedMetadata: 'md' },
          ],
        },
        {
          name: 'no-such-topic',
          partitions: [
            { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    };
    const codes = (r: { topics: { partitions: { errorCode: number }[] }[] }) =>
      r.topics.map((t) => t.partitions[0].errorCode);
    expect(codes(await c.request(TxnOffsetCommit, 3, body))).toEqual([48, 3]);
    // v5 is transactions V2's (KIP-890 part 2): no AddOffsetsToTxn is sent, the commit itself adds the
    // group's offsets partition (Kafka 4.1's txnOffsetCommitRequestVersionToTransactionSupportedOperation:
    // version > 4 → ADD_PARTITION). Another transactional id, so that 'offsets' below stays un-added.
    const v2 = await init('offsets-v2');
    expect(
      codes(
        await c.request(TxnOffsetCommit, 5, {
          ...body,
          transactionalId: 'offsets-v2',
          producerId: v2.producerId,
        }),
      ),
    ).toEqual([0, 3]);
    expect(transactionsOf(emulator.cluster).describe('offsets-v2')?.state).toBe('Ongoing');
    // Aborted: its pending offset goes, and holds no requireStable fetch below.
    const endV2 = await c.request(EndTxn, 5, {
      transactionalId: 'offsets-v2',
      producerId: v2.producerId,
      producerEpoch: 0,
      committed: false,
    });
    expect(endV2.errorCode).toBe(0);
    const add = await c.request(AddOffsetsToTxn, 3, {
      transactionalId: 'offsets',
      producerId: p.producerId,
      producerEpoch: 0,
      groupId: 'txn-group',
    });
    expect(add.errorCode).toBe(0);
    expect(codes(await c.request(TxnOffsetCommit, 3, { ...body, producerEpoch: 7 }))).toEqual([47, 3]);
    expect(codes(await c.request(TxnOffsetCommit, 3, body))).toEqual([0, 3]);
    const fetchOffsets = async (requireStable: boolean) =>
      (
        await c.request(OffsetFetch, 7, {
          groupId: 'txn-group',
          topics: [{ name: TOPIC, partitionIndexes: [1] }],
          requireStable,
        })
      ).topics[0].partitions[0];
    expect(await fetchOffsets(true)).toMatchObject({ errorCode: 88, committedOffset: -1n });
    expect(await fetchOffsets(false)).toMatchObject({ errorCode: 0, committedOffset: -1n });
    const end = await c.request(EndTxn, 3, {
      transactionalId: 'offsets',
      producerId: p.producerId,
      producerEpoch: 0,
      committed: true,
    });
    expect(end.errorCode).toBe(0);
    expect(await fetchOffsets(true)).toMatchObject({ errorCode: 0, committedOffset: 9n, metadata: 'md' });
  });

  it('the transaction coordinator starts on FindCoordinator for a transactional id: __transaction_state is listed, internal', async () => {
    const names = async () =>
      (
        await c.request(Metadata, 12, {
          topics: null,
          allowAutoTopicCreation: false,
          includeTopicAuthorizedOperations: false,
        })
      ).topics;
    expect((await names()).map((t) => t.name)).not.toContain('__transaction_state');
    const found = await c.request(FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['any-txn'] });
    expect(found.coordinators[0]).toMatchObject({ errorCode: 0, nodeId: 0 });
    const txnLog = (await names()).find((t) => t.name === '__transaction_state');
    expect(txnLog).toMatchObject({ isInternal: true, errorCode: 0 });
    expect(txnLog?.partitions).toHaveLength(50);
    expect(emulator.cluster.topics.get('__transaction_state')?.configs.get('cleanup.policy')).toBe('compact');
  });
});

describe('DescribeTransactions, ListTransactions', () => {
  it('describe: state, epoch, timeout, start and partitions; unknown and empty ids', async () => {
    const p = await init('described');
    expect(await addV3('described', p.producerId, 0, [1, 0])).toEqual([0, 0]);
    const added = await c.request(AddOffsetsToTxn, 3, {
      transactionalId: 'described',
      producerId: p.producerId,
      producerEpoch: 0,
      groupId: 'g',
    });
    expect(added.errorCode).toBe(0);
    const r = await c.request(DescribeTransactions, 0, { transactionalIds: ['described', 'nope', ''] });
    const [d, nope, empty] = r.transactionStates;
    expect(d).toMatchObject({
      errorCode: 0,
      transactionState: 'Ongoing',
      transactionTimeoutMs: 60_000,
      producerId: p.producerId,
      producerEpoch: 0,
      topics: [
        { topic: TOPIC, partitions: [1, 0] },
        // offsets.topic.num.partitions 50: "g".hashCode() = 103, 103 % 50 = 3
        { topic: '__consumer_offsets', partitions: [3] },
      ],
    });
    expect(d.transactionStartTimeMs).toBeGreaterThan(0n);
    expect(nope).toMatchObject({ errorCode: 105, transactionalId: 'nope', transactionState: '' });
    expect(empty.errorCode).toBe(42);
  });

  it('list: state, producer id, duration and pattern filters; unknown state names echoed', async () => {
    const open = await init('list-open');
    await addV3('list-open', open.producerId, 0, [0]);
    const idle = await init('list-idle');
    const list = async (
      version: number,
      body: Partial<{
        stateFilters: string[];
        producerIdFilters: bigint[];
        durationFilter: bigint;
        transactionalIdPattern: string | null;
      }>,
    ) => {
      const r = await c.request(ListTransactions, version, {
        stateFilters: [],
        producerIdFilters: [],
        durationFilter: -1n,
        transactionalIdPattern: null,
        ...body,
      });
      return {
        ...r,
        ids: r.transactionStates
          .map((t) => t.transactionalId)
          .filter((id) => id.startsWith('list-'))
          .sort(),
      };
    };
    expect((await list(0, {})).ids).toEqual(['list-idle', 'list-open']);
    const ongoing = await list(0, { stateFilters: ['Ongoing', 'Bogus'] });
    expect(ongoing.ids).toEqual(['list-open']);
    expect(ongoing.unknownStateFilters).toEqual(['Bogus']);
    expect((await list(0, { producerIdFilters: [idle.producerId] })).ids).toEqual(['list-idle']);
    expect((await list(0, { producerIdFilters: [idle.producerId] })).transactionStates[0]).toMatchObject({
      producerId: idle.producerId,
      transactionState: 'Empty',
    });
    // Started just now: not older than an hour; an id with no transaction (start -1) is, by Kafka's arithmetic.
    expect((await list(1, { durationFilter: 3_600_000n })).ids).toEqual(['list-idle']);
    expect((await list(2, { transactionalIdPattern: 'list-o.*' })).ids).toEqual(['list-open']);
    expect((await list(2, { transactionalIdPattern: 'list' })).ids).toEqual([]);
    expect((await list(2, { transactionalIdPattern: '(' })).errorCode).toBe(128);
  });
});

describe('transaction.max.timeout.ms', () => {
  it('is the broker setting transactionMaxTimeoutMs', async () => {
    const small = await startEmulator({ port: 0, transactionMaxTimeoutMs: 5000 });
    const w = await WireClient.connect(small.port);
    try {
      const ask = (transactionTimeoutMs: number) =>
        w.request(InitProducerId, 4, {
          transactionalId: 't',
          transactionTimeoutMs,
          producerId: -1n,
          producerEpoch: -1,
        });
      expect((await ask(5001)).errorCode).toBe(50);
      expect((await ask(5000)).errorCode).toBe(0);
    } finally {
      w.close();
      await small.stop();
    }
  });
});
