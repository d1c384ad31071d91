/**
 * The transaction coordinator as a state module on a ManualClock (issue 13, step 1): Kafka's state
 * machine (TransactionCoordinator / TransactionMetadata, transactions V1), the error of each wrong
 * step, fencing by epoch, the coordinator's timeout abort, the markers it writes and the last stable
 * offset they move.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/emulator/clock.js';
import { PartitionLog } from '../../src/emulator/state/partition-log.js';
import {
  TxnErrors as E,
  GROUP_METADATA_TOPIC,
  groupPartitionFor,
  type PendingOffset,
  TransactionCoordinator,
  type TxnCoordinatorConfig,
  type TxnTransition,
} from '../../src/emulator/state/transactions/index.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/index.js';

function setup(config: Partial<TxnCoordinatorConfig> = {}) {
  const clock = new ManualClock();
  const logs = new Map<string, PartitionLog>();
  for (const p of [0, 1]) logs.set(`t-${p}`, new PartitionLog('t', p));
  let nextId = 5000;
  const committed: { groupId: string; offsets: PendingOffset[] }[] = [];
  const txns = new TransactionCoordinator({
    clock,
    config,
    allocateProducerId: () => nextId++,
    partitionLog: (topic, partition) => logs.get(`${topic}-${partition}`),
    commitOffsets: (groupId, offsets) => committed.push({ groupId, offsets: [...offsets] }),
  });
  const transitions: TxnTransition[] = [];
  txns.onTransition = (t) => transitions.push(t);
  const log = (p: number) => logs.get(`t-${p}`)!;
  return { clock, txns, log, committed, transitions };
}

/** What the Produce handler does for an accepted transactional batch. */
function produceTxn(log: PartitionLog, producerId: number, epoch: number, values: string[]) {
  log.beginTransaction(producerId, log.logEndOffset);
  return log.append({
    bytes: encodeRecordBatch({
      records: values.map((v) => ({ key: null, value: Buffer.from(v), timestamp: 1 })),
      isTransactional: true,
      producerId: BigInt(producerId),
      producerEpoch: epoch,
      baseSequence: 0,
    }),
    recordCount: values.length,
    maxTimestamp: 1,
  });
}

function producePlain(log: PartitionLog, value: string) {
  return log.append({
    bytes: encodeRecordBatch({ records: [{ key: null, value: Buffer.from(value), timestamp: 1 }] }),
    recordCount: 1,
    maxTimestamp: 1,
  });
}

/** The control records of a log: [offset, COMMIT/ABORT, producer id, epoch, coordinator epoch]. */
function markers(log: PartitionLog) {
  return log.batches.flatMap((b) => {
    const batch = decodeRecordBatches(b.bytes).batches[0];
    if (!batch.attributes.isControl) return [];
    expect(batch.attributes.isTransactional).toBe(true);
    expect(batch.records).toHaveLength(1);
    const { key, value } = batch.records[0];
    expect(key!.readInt16BE(0)).toBe(0); // key version
    expect(value!.readInt16BE(0)).toBe(0); // value version
    return [
      [
        Number(batch.baseOffset),
        key!.readInt16BE(2) === 1 ? 'COMMIT' : 'ABORT',
        Number(batch.producerId),
        batch.producerEpoch,
        value!.readInt32BE(2),
      ],
    ];
  });
}

const ID = 'txn-a';
const init = (txns: TransactionCoordinator, timeout = 60_000) =>
  txns.initProducerId({ transactionalId: ID, transactionTimeoutMs: timeout });

describe('InitProducerId with a transactional id', () => {
  it('gives a new id epoch 0, and a re-init the same id with the epoch bumped', () => {
    const { txns } = setup();
    expect(init(txns)).toEqual({ errorCode: 0, producerId: 5000, producerEpoch: 0 });
    expect(init(txns)).toEqual({ errorCode: 0, producerId: 5000, producerEpoch: 1 });
    expect(txns.describe(ID)?.state).toBe('Empty');
  });

  it('refuses an empty id (INVALID_REQUEST) and a timeout outside (0, transaction.max.timeout.ms]', () => {
    const { txns } = setup();
    expect(txns.initProducerId({ transactionalId: '', transactionTimeoutMs: 1000 }).errorCode).toBe(
      E.INVALID_REQUEST,
    );
    expect(init(txns, 900_001).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT);
    expect(init(txns, 0).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT);
    expect(init(txns, 900_000).errorCode).toBe(0);
    expect(
      setup({ maxTimeoutMs: 5000 }).txns.initProducerId({ transactionalId: ID, transactionTimeoutMs: 5001 }),
    ).toMatchObject({ errorCode: E.INVALID_TRANSACTION_TIMEOUT });
  });

  it('KIP-360: the current id/epoch bumps, a retry of that bump is answered again, a stale one is fenced', () => {
    const { txns } = setup();
    init(txns); // epoch 0
    const bump = (producerId: number, producerEpoch: number) =>
      txns.initProducerId({
        transactionalId: ID,
        transactionTimeoutMs: 1000,
        expected: { producerId, producerEpoch },
      });
    expect(bump(5000, 0)).toEqual({ errorCode: 0, producerId: 5000, producerEpoch: 1 });
    expect(bump(5000, 0)).toEqual({ errorCode: 0, producerId: 5000, producerEpoch: 1 }); // retry
    expect(bump(4999, 1).errorCode).toBe(E.PRODUCER_FENCED);
    init(txns); // another producer: epoch 2, last epoch forgotten
    expect(bump(5000, 0).errorCode).toBe(E.PRODUCER_FENCED);
  });

  it('while a transaction is open: fences its producer, aborts it, answers CONCURRENT_TRANSACTIONS; the retry bumps again', () => {
    const { txns, log } = setup();
    init(txns);
    const old = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    expect(txns.addPartitions(old, [{ topic: 't', partition: 0 }])).toBe(0);
    produceTxn(log(0), 5000, 0, ['a', 'b']);
    expect(init(txns).errorCode).toBe(E.CONCURRENT_TRANSACTIONS);
    expect(markers(log(0))).toEqual([[2, 'ABORT', 5000, 1, 0]]);
    expect(log(0).abortedTransactions).toEqual([{ producerId: 5000, firstOffset: 0, lastOffset: 2 }]);
    expect(txns.describe(ID)).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(init(txns)).toEqual({ errorCode: 0, producerId: 5000, producerEpoch: 2 });
    // The zombie: every request with its epoch is fenced.
    expect(txns.addPartitions(old, [{ topic: 't', partition: 1 }])).toBe(E.PRODUCER_FENCED);
    expect(txns.endTxn({ ...old, committed: true }).errorCode).toBe(E.PRODUCER_FENCED);
    expect(txns.verifyProduce(ID, 5000, 0, 't', 0)).toBe(E.PRODUCER_FENCED);
  });
});

describe('a transaction, step by step', () => {
  it('AddPartitions begins it; EndTxn commit writes a COMMIT marker into each partition and completes', () => {
    const { txns, log, transitions } = setup();
    init(txns);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    expect(
      txns.addPartitions(p, [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 1 },
      ]),
    ).toBe(0);
    expect(txns.describe(ID)).toMatchObject({ state: 'Ongoing', transactionStartTimeMs: 1_700_000_000_000 });
    produceTxn(log(0), 5000, 0, ['x']);
    expect(txns.endTxn({ ...p, committed: true })).toEqual({
      errorCode: 0,
      producerId: 5000,
      producerEpoch: 0,
    });
    expect(markers(log(0))).toEqual([[1, 'COMMIT', 5000, 0, 0]]);
    expect(markers(log(1))).toEqual([[0, 'COMMIT', 5000, 0, 0]]);
    expect(log(0).abortedTransactions).toEqual([]);
    expect(txns.describe(ID)).toMatchObject({ state: 'CompleteCommit', partitions: [] });
    expect(transitions.map((t) => t.to)).toEqual([
      'Empty',
      'Empty',
      'Ongoing',
      'PrepareCommit',
      'CompleteCommit',
    ]);
  });

  it('answers each wrong step with Kafka’s error', () => {
    const { txns } = setup();
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    const tp = [{ topic: 't', partition: 0 }];
    // Before InitProducerId the id is unknown.
    expect(txns.addPartitions(p, tp)).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    expect(txns.addOffsets(p, 'g')).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    init(txns);
    expect(txns.addPartitions({ ...p, producerId: 1 }, tp)).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    expect(txns.addPartitions({ ...p, producerEpoch: 3 }, tp)).toBe(E.PRODUCER_FENCED);
    expect(txns.addPartitions({ ...p, transactionalId: '' }, tp)).toBe(E.INVALID_REQUEST);
    // Nothing to end yet.
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(E.INVALID_TXN_STATE);
    expect(txns.endTxn({ ...p, committed: false }).errorCode).toBe(E.INVALID_TXN_STATE);
    txns.addPartitions(p, tp);
    expect(txns.endTxn({ ...p, producerEpoch: 1, committed: true }).errorCode).toBe(E.PRODUCER_FENCED);
    expect(txns.endTxn({ ...p, committed: false }).errorCode).toBe(0);
    // A retry of the same end succeeds; the opposite end is an invalid transition.
    expect(txns.endTxn({ ...p, committed: false }).errorCode).toBe(0);
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(E.INVALID_TXN_STATE);
    txns.addPartitions(p, tp);
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(0);
    expect(txns.endTxn({ ...p, committed: false }).errorCode).toBe(E.INVALID_TXN_STATE);
    expect(txns.describe('nope')).toBeUndefined();
  });

  it('Produce verification: only added partitions, only the current epoch', () => {
    const { txns } = setup();
    expect(txns.verifyProduce(ID, 5000, 0, 't', 0)).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    init(txns);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    expect(txns.verifyProduce(ID, 5000, 0, 't', 0)).toBe(E.TRANSACTION_ABORTABLE);
    txns.addPartitions(p, [{ topic: 't', partition: 0 }]);
    expect(txns.verifyProduce(ID, 5000, 0, 't', 0)).toBe(0);
    expect(txns.verifyProduce(null, 5000, 0, 't', 0)).toBe(0);
    expect(txns.verifyProduce(ID, 5000, 0, 't', 1)).toBe(E.TRANSACTION_ABORTABLE);
    expect(txns.verifyProduce(ID, 5000, 1, 't', 0)).toBe(E.PRODUCER_FENCED);
    txns.endTxn({ ...p, committed: true });
    // The next transaction must add its partitions again.
    expect(txns.verifyProduce(ID, 5000, 0, 't', 0)).toBe(E.TRANSACTION_ABORTABLE);
  });
});

describe('markers being written (markerDelayMs)', () => {
  it('PrepareCommit lasts until the markers are written; meanwhile CONCURRENT_TRANSACTIONS', () => {
    const { txns, clock, log } = setup({ markerDelayMs: 20 });
    init(txns);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    txns.addPartitions(p, [{ topic: 't', partition: 0 }]);
    produceTxn(log(0), 5000, 0, ['x']);
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(0);
    expect(txns.describe(ID)?.state).toBe('PrepareCommit');
    expect(log(0).lastStableOffset).toBe(0);
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(E.CONCURRENT_TRANSACTIONS);
    expect(txns.endTxn({ ...p, committed: false }).errorCode).toBe(E.INVALID_TXN_STATE);
    expect(txns.addPartitions(p, [{ topic: 't', partition: 1 }])).toBe(E.CONCURRENT_TRANSACTIONS);
    expect(init(txns).errorCode).toBe(E.CONCURRENT_TRANSACTIONS);
    expect(txns.verifyProduce(ID, 5000, 0, 't', 0)).toBe(E.CONCURRENT_TRANSACTIONS);
    clock.advance(19);
    expect(txns.describe(ID)?.state).toBe('PrepareCommit');
    clock.advance(1);
    expect(txns.describe(ID)?.state).toBe('CompleteCommit');
    expect(log(0).lastStableOffset).toBe(2);
    expect(init(txns)).toMatchObject({ errorCode: 0, producerEpoch: 1 });
  });
});

describe('transaction.timeout.ms', () => {
  it('a transaction open longer than its timeout is aborted by the coordinator and its producer fenced', () => {
    const { txns, clock, log, transitions } = setup();
    init(txns, 10_000);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    clock.advance(5000); // the timeout counts from the transaction's start, not from InitProducerId
    txns.addPartitions(p, [{ topic: 't', partition: 0 }]);
    produceTxn(log(0), 5000, 0, ['late']);
    clock.advance(9_999);
    expect(txns.describe(ID)?.state).toBe('Ongoing');
    clock.advance(1);
    expect(txns.describe(ID)).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(markers(log(0))).toEqual([[1, 'ABORT', 5000, 1, 0]]);
    expect(log(0).lastStableOffset).toBe(2);
    expect(transitions.slice(-3).map((t) => t.to)).toEqual([
      'PrepareEpochFence',
      'PrepareAbort',
      'CompleteAbort',
    ]);
    expect(transitions.at(-3)?.reason).toContain('timed out after 10000 ms');
    // The producer learns it was fenced on its next request.
    expect(txns.endTxn({ ...p, committed: true }).errorCode).toBe(E.PRODUCER_FENCED);
    expect(txns.addPartitions(p, [{ topic: 't', partition: 0 }])).toBe(E.PRODUCER_FENCED);
    expect(init(txns)).toMatchObject({ errorCode: 0, producerEpoch: 2 });
  });

  it('a transaction that ends in time is not touched by its timer', () => {
    const { txns, clock, log } = setup();
    init(txns, 1000);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    txns.addPartitions(p, [{ topic: 't', partition: 0 }]);
    clock.advance(999);
    txns.endTxn({ ...p, committed: true });
    txns.addPartitions(p, [{ topic: 't', partition: 0 }]); // the next one starts at 999
    clock.advance(1);
    expect(txns.describe(ID)).toMatchObject({ state: 'Ongoing', producerEpoch: 0 });
    clock.advance(998);
    expect(txns.describe(ID)).toMatchObject({ state: 'Ongoing', producerEpoch: 0 });
    clock.advance(1);
    expect(txns.describe(ID)).toMatchObject({ state: 'CompleteAbort', producerEpoch: 1 });
    expect(markers(log(0)).map((m) => m[1])).toEqual(['COMMIT', 'ABORT']);
    // No transaction timer left: only the coordinator's hourly transactional-id expiry check.
    expect(clock.scheduled).toBe(1);
  });
});

describe('offsets in a transaction', () => {
  it('AddOffsetsToTxn adds the group’s __consumer_offsets partition; commit commits the pending offsets', () => {
    const { txns, committed } = setup();
    init(txns);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    expect(txns.verifyOffsetCommit(p, 'g')).toBe(E.TRANSACTION_ABORTABLE);
    expect(txns.addOffsets(p, 'g')).toBe(0);
    expect(txns.describe(ID)?.partitions).toEqual([
      { topic: GROUP_METADATA_TOPIC, partition: groupPartitionFor('g', 50) },
    ]);
    expect(txns.verifyOffsetCommit(p, 'g')).toBe(0);
    const offset: PendingOffset = { topic: 't', partition: 1, offset: 42n, leaderEpoch: -1, metadata: '' };
    txns.addPendingOffsets(ID, 'g', [offset]);
    expect(txns.hasPendingOffset('g', 't', 1)).toBe(true);
    expect(txns.hasPendingOffset('g', 't', 0)).toBe(false);
    expect(txns.hasPendingOffset('other', 't', 1)).toBe(false);
    expect(committed).toEqual([]);
    txns.endTxn({ ...p, committed: true });
    expect(committed).toEqual([{ groupId: 'g', offsets: [offset] }]);
    expect(txns.hasPendingOffset('g', 't', 1)).toBe(false);
  });

  it('abort drops them', () => {
    const { txns, committed } = setup();
    init(txns);
    const p = { transactionalId: ID, producerId: 5000, producerEpoch: 0 };
    txns.addOffsets(p, 'g');
    txns.addPendingOffsets(ID, 'g', [
      { topic: 't', partition: 0, offset: 7n, leaderEpoch: -1, metadata: '' },
    ]);
    txns.endTxn({ ...p, committed: false });
    expect(committed).toEqual([]);
    expect(txns.hasPendingOffset('g', 't', 0)).toBe(false);
  });

  it('groupPartitionFor is Java’s Utils.abs(groupId.hashCode()) % partitions', () => {
    // Figures from jshell: "my-group".hashCode() = -1906497762 (negative: Utils.abs gives 1906497762,
    // not the sign-bit mask's 240985886), "console-consumer-1".hashCode() = 35782224.
    expect(groupPartitionFor('my-group', 50)).toBe(12);
    expect(groupPartitionFor('console-consumer-1', 50)).toBe(24);
    expect(groupPartitionFor('', 50)).toBe(0);
  });
});

describe('the last stable offset', () => {
  it('stops at the first offset of the earliest open transaction and moves past its marker', () => {
    const { txns, log } = setup();
    const a = txns.initProducerId({ transactionalId: 'a', transactionTimeoutMs: 60_000 });
    const b = txns.initProducerId({ transactionalId: 'b', transactionTimeoutMs: 60_000 });
    const pa = { transactionalId: 'a', producerId: a.producerId, producerEpoch: 0 };
    const pb = { transactionalId: 'b', producerId: b.producerId, producerEpoch: 0 };
    producePlain(log(0), 'p0'); // offset 0
    expect(log(0).lastStableOffset).toBe(1);
    txns.addPartitions(pa, [{ topic: 't', partition: 0 }]);
    txns.addPartitions(pb, [{ topic: 't', partition: 0 }]);
    produceTxn(log(0), a.producerId, 0, ['a1', 'a2']); // 1-2
    produceTxn(log(0), b.producerId, 0, ['b1']); // 3
    produceTxn(log(0), a.producerId, 0, ['a3']); // 4
    producePlain(log(0), 'p5'); // 5
    expect(log(0).highWatermark).toBe(6);
    expect(log(0).lastStableOffset).toBe(1);
    txns.endTxn({ ...pa, committed: false }); // ABORT at 6; b still open from 3
    expect(log(0).lastStableOffset).toBe(3);
    txns.endTxn({ ...pb, committed: true }); // COMMIT at 7
    expect(log(0).lastStableOffset).toBe(8);
    expect(log(0).abortedTransactions).toEqual([{ producerId: a.producerId, firstOffset: 1, lastOffset: 6 }]);
    expect(log(0).abortedTransactionsIn(0, 1)).toEqual([]);
    expect(log(0).abortedTransactionsIn(0, 2)).toHaveLength(1);
    expect(log(0).abortedTransactionsIn(7, 8)).toEqual([]);
    // A read up to the LSO stops before the open transaction's first batch.
    expect(
      log(0)
        .read(0, 1 << 20, true, 3)
        .batches.map((x) => x.baseOffset),
    ).toEqual([0, 1]);
  });
});
