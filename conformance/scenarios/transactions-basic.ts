/**
 * Transactions, the client's flow (KIP-98, transactions V1: InitProducerId → AddPartitionsToTxn →
 * transactional Produce → EndTxn), by raw requests: what each isolation level reads while a
 * transaction is open, after it aborts and after it commits (the last stable offset in Fetch and
 * ListOffsets, the aborted-transactions list, the COMMIT/ABORT markers in the log); pending
 * transactional offsets (TxnOffsetCommit; OffsetFetch requireStable → UNSTABLE_OFFSET_COMMIT);
 * and the wrong steps: a transactional write to a partition not in the transaction (per Produce
 * version), EndTxn on a finished transaction, a timeout above transaction.max.timeout.ms, an
 * unknown partition, a zombie producer fenced by a re-init (PRODUCER_FENCED / INVALID_PRODUCER_EPOCH
 * per version). Kafka's sources: TransactionCoordinator, AddPartitionsToTxnManager, UnifiedLog (LSO).
 *
 * Kafka writes the markers after EndTxn has answered; every read that depends on them first waits
 * (not compared) for the last stable offset to move, as a client would poll.
 */
import assert from 'node:assert/strict';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { Fetch } from '../../src/protocol/messages/01-fetch.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { FindCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { AddPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { AddOffsetsToTxn } from '../../src/protocol/messages/25-add-offsets-to-txn.js';
import { EndTxn } from '../../src/protocol/messages/26-end-txn.js';
import { TxnOffsetCommit } from '../../src/protocol/messages/28-txn-offset-commit.js';
import { DescribeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { ListTransactions } from '../../src/protocol/messages/66-list-transactions.js';
import { decodeRecordBatches } from '../../src/protocol/records/index.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { waitForCoordinator } from './group-support.js';
import { batch, errorName, expectError, setUpTopic } from './support.js';

interface Producer {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
}

const TIMEOUT_MS = 60_000;

async function initProducer(
  ctx: ScenarioContext,
  label: string | null,
  transactionalId: string,
  version = 4,
  transactionTimeoutMs = TIMEOUT_MS,
) {
  return ctx.exchange(
    label,
    InitProducerId,
    { transactionalId, transactionTimeoutMs, producerId: -1n, producerEpoch: -1 },
    { version },
  );
}

/** InitProducerId until it succeeds (a fresh broker loads its transaction coordinator first). */
async function initUntilDone(
  ctx: ScenarioContext,
  transactionalId: string,
  transactionTimeoutMs = TIMEOUT_MS,
): Promise<Producer> {
  return ctx.until(`InitProducerId(${transactionalId}) to succeed`, async () => {
    const r = await initProducer(ctx, null, transactionalId, 4, transactionTimeoutMs);
    return r.errorCode === 0
      ? { transactionalId, producerId: r.producerId, producerEpoch: r.producerEpoch }
      : undefined;
  });
}

/**
 * AddPartitionsToTxn v3; the partition codes in partition order. Kafka lists the partitions of a
 * refused add in its error maps' hash order (it varies with the topic name), so the raw response
 * of a refused add is not compared (label null), only these codes.
 */
async function addPartitions(
  ctx: ScenarioContext,
  label: string | null,
  p: Producer,
  topic: string,
  partitions: number[],
) {
  const r = await ctx.exchange(
    label,
    AddPartitionsToTxn,
    {
      transactions: [],
      v3AndBelowTransactionalId: p.transactionalId,
      v3AndBelowProducerId: p.producerId,
      v3AndBelowProducerEpoch: p.producerEpoch,
      v3AndBelowTopics: [{ name: topic, partitions }],
    },
    { version: 3 },
  );
  return [...r.resultsByTopicV3AndBelow[0].resultsByPartition]
    .sort((a, b) => a.partitionIndex - b.partitionIndex)
    .map((x) => `${x.partitionIndex}: ${errorName(x.partitionErrorCode)}`);
}

async function endTxn(ctx: ScenarioContext, label: string, p: Producer, committed: boolean, version = 3) {
  const r = await ctx.exchange(
    label,
    EndTxn,
    {
      transactionalId: p.transactionalId,
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      committed,
    },
    { version },
  );
  return errorName(r.errorCode);
}

async function produceTxn(
  ctx: ScenarioContext,
  label: string,
  p: Producer,
  topic: string,
  partition: number,
  values: string[],
  baseSequence: number,
  version = 9,
) {
  const records = batch(values, {
    isTransactional: true,
    producerId: p.producerId,
    producerEpoch: p.producerEpoch,
    baseSequence,
  });
  const r = await ctx.exchange(
    label,
    Produce,
    {
      transactionalId: p.transactionalId,
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
    },
    { version },
  );
  return r.responses[0].partitionResponses[0];
}

async function fetchAt(
  ctx: ScenarioContext,
  label: string | null,
  topic: string,
  isolationLevel: number,
  fetchOffset = 0n,
) {
  const r = await ctx.exchange(
    label,
    Fetch,
    {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1_048_576,
      isolationLevel,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1_048_576,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    },
    { version: 12 },
  );
  return r.responses[0].partitions[0];
}

async function latest(ctx: ScenarioContext, label: string, topic: string, isolationLevel: number) {
  const r = await ctx.exchange(
    label,
    ListOffsets,
    {
      replicaId: -1,
      isolationLevel,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }],
      timeoutMs: 5000,
    },
    { version: 7 },
  );
  return r.topics[0].partitions[0];
}

/**
 * Everything one isolation level can read, by as many Fetch requests as it takes (a real broker may
 * stop a Fetch short of the high watermark at a segment position, so single answers are not
 * compared): per batch `offset:values` or `offset:COMMIT|ABORT`, and the union of the aborted
 * transactions' first offsets the answers listed.
 */
async function readLevel(ctx: ScenarioContext, topic: string, isolationLevel: number) {
  const batches: string[] = [];
  const aborted = new Set<string>();
  let next = 0n;
  for (let round = 0; round < 50; round++) {
    const f = await fetchAt(ctx, null, topic, isolationLevel, next);
    expectError(f.errorCode, 'NONE', `fetch ${topic} at ${next}`);
    for (const t of f.abortedTransactions ?? []) aborted.add(`${t.firstOffset}`);
    const end = isolationLevel === 1 ? f.lastStableOffset : f.highWatermark;
    if (next >= end) {
      return {
        highWatermark: `${f.highWatermark}`,
        lastStableOffset: `${f.lastStableOffset}`,
        batches,
        abortedFirstOffsets: [...aborted],
        abortedTransactionsField: f.abortedTransactions === null ? 'null' : 'list',
      };
    }
    const decoded = decodeRecordBatches(f.records ?? new Uint8Array()).batches;
    if (decoded.length === 0) throw new Error(`fetch at ${next} below ${end} returned no batch`);
    for (const d of decoded) {
      const last = d.baseOffset + BigInt(d.lastOffsetDelta);
      if (last < next) continue;
      const what = d.attributes.isControl
        ? d.records[0].key!.readInt16BE(2) === 1
          ? 'COMMIT'
          : 'ABORT'
        : d.records.map((r) => r.value?.toString()).join(',');
      batches.push(`${d.baseOffset}:${what}${d.attributes.isTransactional ? ' (txn)' : ''}`);
      next = last + 1n;
    }
  }
  throw new Error(`more than 50 fetches to read ${topic}`);
}

/** Both isolation levels: ListOffsets LATEST (compared) and everything a Fetch reads (checkpoints). */
async function readBoth(ctx: ScenarioContext, label: string, topic: string) {
  const uncommitted = await latest(ctx, `${label}: list-offsets read_uncommitted`, topic, 0);
  const committed = await latest(ctx, `${label}: list-offsets read_committed`, topic, 1);
  const u = await readLevel(ctx, topic, 0);
  ctx.checkpoint(`${label}: read_uncommitted reads`, u);
  const c = await readLevel(ctx, topic, 1);
  ctx.checkpoint(`${label}: read_committed reads`, c);
  return { hw: uncommitted.offset, lso: committed.offset, fetchLso: BigInt(c.lastStableOffset) };
}

/** Kafka writes markers after EndTxn answered: wait (not compared) until the LSO reaches `lso`. */
async function waitForLso(ctx: ScenarioContext, topic: string, lso: bigint) {
  await ctx.until(`${topic} LSO to reach ${lso}`, async () => {
    const seen = (await fetchAt(ctx, null, topic, 1)).lastStableOffset;
    if (seen === lso) return true;
    // Thrown, not returned: until() retries and, when it gives up, names the last LSO it saw.
    throw new Error(`last seen LSO ${seen}`);
  });
}

async function offsetFetch(
  ctx: ScenarioContext,
  label: string,
  groupId: string,
  topic: string,
  requireStable: boolean,
) {
  const r = await ctx.exchange(
    label,
    OffsetFetch,
    {
      groupId,
      topics: [{ name: topic, partitionIndexes: [0] }],
      requireStable,
    },
    { version: 7 },
  );
  return r.topics[0].partitions[0];
}

/**
 * DescribeTransactions of one id, as a checkpoint: the start time is a clock (only whether it is set
 * is compared) and the partitions are sorted (Kafka keeps them in a hash set).
 */
async function describeTxn(ctx: ScenarioContext, transactionalId: string) {
  const r = await ctx.exchange(
    null,
    DescribeTransactions,
    { transactionalIds: [transactionalId] },
    { version: 0 },
  );
  const t = r.transactionStates[0];
  return {
    error: errorName(t.errorCode),
    state: t.transactionState,
    timeoutMs: t.transactionTimeoutMs,
    producerEpoch: t.producerEpoch,
    start: t.transactionStartTimeMs > 0n ? 'set' : `${t.transactionStartTimeMs}`,
    partitions: t.topics.flatMap((x) => x.partitions.map((n) => `${x.topic}-${n}`)).sort(),
  };
}

/** OffsetFetch v7 requireStable, not compared: the partition's error code. */
async function offsetFetchProbe(ctx: ScenarioContext, groupId: string, topic: string) {
  const r = await ctx.exchange(
    null,
    OffsetFetch,
    { groupId, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: true },
    { version: 7 },
  );
  return r.topics[0].partitions[0].errorCode;
}

export const transactionsBasic: Scenario = {
  name: 'transactions-basic',
  source:
    'KIP-98, KIP-447; TransactionCoordinator, TransactionMetadata, AddPartitionsToTxnManager, UnifiedLog.lastStableOffset',
  description:
    'open/abort/commit visibility at both isolation levels, LSO in Fetch and ListOffsets, pending TxnOffsetCommit offsets, wrong steps, a fenced zombie',
  timeoutMs: 90_000,
  async run(ctx) {
    const topic = ctx.name('txn');
    await setUpTopic(ctx, topic, 1);
    const txnId = ctx.name('txn-id');
    // A fresh Kafka creates __transaction_state on the first FindCoordinator of a transactional id
    // and answers COORDINATOR_NOT_AVAILABLE meanwhile; clients retry (not compared).
    await ctx.until('a transaction coordinator', async () => {
      const r = await ctx.exchange(
        null,
        FindCoordinator,
        { keyType: 1, coordinatorKeys: [txnId] },
        { version: 4 },
      );
      return r.coordinators[0].errorCode === 0 ? true : undefined;
    });
    await initUntilDone(ctx, txnId);
    // The first success gave epoch 0; a re-init bumps it (compared).
    const reinit = await initProducer(ctx, 're-init bumps the epoch', txnId);
    expectError(reinit.errorCode, 'NONE', 'InitProducerId again');
    assert.equal(reinit.producerEpoch, 1);
    const p: Producer = {
      transactionalId: txnId,
      producerId: reinit.producerId,
      producerEpoch: reinit.producerEpoch,
    };

    const tooLong = await ctx.exchange(
      'timeout above transaction.max.timeout.ms',
      InitProducerId,
      { transactionalId: txnId, transactionTimeoutMs: 900_001, producerId: -1n, producerEpoch: -1 },
      { version: 4 },
    );
    expectError(tooLong.errorCode, 'INVALID_TRANSACTION_TIMEOUT', 'InitProducerId with a 900001 ms timeout');
    ctx.checkpoint('end before any transaction', await endTxn(ctx, 'end-empty', p, true));

    // A plain record first (offset 0), then transaction 1 (offsets 1-2), left open.
    const plain = await ctx.exchange(
      'plain produce',
      Produce,
      {
        transactionalId: null,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [{ name: topic, partitionData: [{ index: 0, records: batch(['plain']) }] }],
      },
      { version: 9 },
    );
    expectError(plain.responses[0].partitionResponses[0].errorCode, 'NONE', 'plain produce');
    const notAdded9 = await produceTxn(
      ctx,
      'produce to a partition not added (v9)',
      p,
      topic,
      0,
      ['x'],
      0,
      9,
    );
    expectError(
      notAdded9.errorCode,
      'INVALID_TXN_STATE',
      'transactional produce before AddPartitionsToTxn (v9)',
    );
    const notAdded11 = await produceTxn(
      ctx,
      'produce to a partition not added (v11)',
      p,
      topic,
      0,
      ['x'],
      0,
      11,
    );
    ctx.checkpoint('not added, v11', errorName(notAdded11.errorCode));
    ctx.checkpoint('add unknown partition', await addPartitions(ctx, null, p, topic, [0, 7]));
    ctx.checkpoint('add', await addPartitions(ctx, 'add-1', p, topic, [0]));
    ctx.checkpoint('describe while open', await describeTxn(ctx, txnId));
    await ctx.exchange(
      'describe an unknown id',
      DescribeTransactions,
      { transactionalIds: [ctx.name('no-such-txn')] },
      { version: 0 },
    );
    await ctx.exchange(
      'list ongoing by producer id',
      ListTransactions,
      { stateFilters: ['Ongoing', 'NoSuchState'], producerIdFilters: [p.producerId], durationFilter: -1n },
      { version: 1 },
    );
    const t1 = await produceTxn(ctx, 'produce txn 1', p, topic, 0, ['t1-a', 't1-b'], 0);
    expectError(t1.errorCode, 'NONE', 'transactional produce');
    assert.equal(t1.baseOffset, 1n);
    const open = await readBoth(ctx, 'open', topic);
    assert.deepEqual(
      [open.hw, open.lso, open.fetchLso],
      [3n, 1n, 1n],
      'the LSO holds at the open transaction',
    );

    ctx.checkpoint('abort', await endTxn(ctx, 'abort-1', p, false));
    await waitForLso(ctx, topic, 4n);
    const aborted = await readBoth(ctx, 'aborted', topic);
    assert.deepEqual([aborted.hw, aborted.lso], [4n, 4n], 'ABORT marker at 3');
    ctx.checkpoint('abort again', await endTxn(ctx, 'abort-again', p, false));
    ctx.checkpoint('commit after abort', await endTxn(ctx, 'commit-after-abort', p, true));

    // Transaction 2 commits records and an offset for a group.
    const groupId = ctx.name('txn-group');
    await waitForCoordinator(ctx, groupId);
    ctx.checkpoint('add 2', await addPartitions(ctx, 'add-2', p, topic, [0]));
    const t2 = await produceTxn(ctx, 'produce txn 2', p, topic, 0, ['t2-a'], 2);
    expectError(t2.errorCode, 'NONE', 'transactional produce 2');
    const txnOffsetsBody = {
      transactionalId: txnId,
      groupId,
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: topic,
          partitions: [
            { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: 'm' },
          ],
        },
      ],
    };
    const early = await ctx.exchange(
      'txn-offset-commit before add-offsets',
      TxnOffsetCommit,
      txnOffsetsBody,
      { version: 3 },
    );
    ctx.checkpoint('txn offsets before AddOffsetsToTxn', errorName(early.topics[0].partitions[0].errorCode));
    const addOffsets = await ctx.exchange(
      'add-offsets',
      AddOffsetsToTxn,
      { transactionalId: txnId, producerId: p.producerId, producerEpoch: p.producerEpoch, groupId },
      { version: 3 },
    );
    expectError(addOffsets.errorCode, 'NONE', 'AddOffsetsToTxn');
    ctx.checkpoint('describe with a group', await describeTxn(ctx, txnId));
    const txnOffsets = await ctx.exchange('txn-offset-commit', TxnOffsetCommit, txnOffsetsBody, {
      version: 3,
    });
    expectError(txnOffsets.topics[0].partitions[0].errorCode, 'NONE', 'TxnOffsetCommit');
    const pendingStable = await offsetFetch(
      ctx,
      'offset-fetch requireStable while pending',
      groupId,
      topic,
      true,
    );
    ctx.checkpoint('pending, requireStable', errorName(pendingStable.errorCode));
    const pendingPlain = await offsetFetch(ctx, 'offset-fetch while pending', groupId, topic, false);
    assert.equal(pendingPlain.committedOffset, -1n, 'pending offsets are invisible');
    ctx.checkpoint('commit', await endTxn(ctx, 'commit-2', p, true));
    await waitForLso(ctx, topic, 6n);
    await ctx.until('the transaction offsets to be committed', async () =>
      (await offsetFetchProbe(ctx, groupId, topic)) === 0 ? true : undefined,
    );
    const after = await offsetFetch(ctx, 'offset-fetch after commit (compared)', groupId, topic, true);
    assert.equal(after.committedOffset, 5n);
    const committed = await readBoth(ctx, 'committed', topic);
    assert.deepEqual([committed.hw, committed.lso], [6n, 6n], 'COMMIT marker at 5');
    ctx.checkpoint('commit again', await endTxn(ctx, 'commit-again', p, true));
    ctx.checkpoint('describe after commit', await describeTxn(ctx, txnId));
    await ctx.exchange(
      'list completed by producer id',
      ListTransactions,
      { stateFilters: ['Ongoing'], producerIdFilters: [p.producerId], durationFilter: -1n },
      { version: 1 },
    );

    // A zombie: transaction 3 open when another producer initialises the same id.
    ctx.checkpoint('add 3', await addPartitions(ctx, 'add-3', p, topic, [0]));
    expectError(
      (await produceTxn(ctx, 'produce txn 3', p, topic, 0, ['zombie'], 3)).errorCode,
      'NONE',
      'produce 3',
    );
    const fencing = await initProducer(ctx, 'init while a transaction is open', txnId);
    ctx.checkpoint('init while open', errorName(fencing.errorCode));
    const next = await initUntilDone(ctx, txnId);
    ctx.checkpoint('epoch after fencing', next.producerEpoch);
    ctx.checkpoint('describe after fencing', await describeTxn(ctx, txnId));
    await waitForLso(ctx, topic, 8n);
    await readBoth(ctx, 'fenced', topic);
    ctx.checkpoint('zombie EndTxn v3', await endTxn(ctx, 'zombie-end-v3', p, true, 3));
    ctx.checkpoint('zombie EndTxn v1', await endTxn(ctx, 'zombie-end-v1', p, true, 1));
    const zombieInit = await ctx.exchange(
      'zombie InitProducerId v3 with its old epoch',
      InitProducerId,
      {
        transactionalId: txnId,
        transactionTimeoutMs: TIMEOUT_MS,
        producerId: p.producerId,
        producerEpoch: p.producerEpoch,
      },
      { version: 3 },
    );
    ctx.checkpoint('zombie re-init v3', errorName(zombieInit.errorCode));
    const zombieProduce = await produceTxn(ctx, 'zombie produce', p, topic, 0, ['late'], 4);
    ctx.checkpoint('zombie produce: error', errorName(zombieProduce.errorCode));

    // transaction.timeout.ms enforced: a transaction left open longer is aborted by the coordinator
    // and its producer fenced. Kafka looks every 10 s (transaction.abort.timed.out.transaction.
    // cleanup.interval.ms), so the wait allows 30 s.
    const slowId = ctx.name('txn-slow');
    const slow = await initUntilDone(ctx, slowId, 1000);
    ctx.checkpoint('add (slow)', await addPartitions(ctx, 'add-slow', slow, topic, [0]));
    expectError(
      (await produceTxn(ctx, 'produce (slow)', slow, topic, 0, ['slow'], 0)).errorCode,
      'NONE',
      'slow',
    );
    await ctx.until(
      'the coordinator to abort the timed-out transaction',
      async () => ((await describeTxn(ctx, slowId)).state === 'CompleteAbort' ? true : undefined),
      30_000,
    );
    ctx.checkpoint('describe after the timeout', await describeTxn(ctx, slowId));
    await waitForLso(ctx, topic, 10n);
    await readBoth(ctx, 'timed out', topic);
    ctx.checkpoint('EndTxn after the timeout', await endTxn(ctx, 'end-after-timeout', slow, true, 3));
    const lateWrite = await produceTxn(ctx, 'produce after the timeout', slow, topic, 0, ['late'], 1);
    ctx.checkpoint('produce after the timeout: error', errorName(lateWrite.errorCode));
  },
};
