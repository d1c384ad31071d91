/**
 * DescribeProducers (61) and WriteTxnMarkers (27) on the emulator over the wire, with kafkalab's
 * admin functions (describeProducers, abortTransaction): an idempotent and a transactional producer's
 * state per partition (epoch, last sequence, last timestamp, coordinator epoch, open transaction
 * start), how a COMMIT marker changes it, and an external ABORT marker ending an open transaction.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { abortTransaction, describeProducers } from '../../src/client/admin-transactions.js';
import { Cluster } from '../../src/client/cluster.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { AddPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { EndTxn } from '../../src/protocol/messages/26-end-txn.js';
import { DescribeProducers } from '../../src/protocol/messages/61-describe-producers.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { WireClient } from '../emulator/support/wire-client.js';

const TOPIC = 'dp';
const NOW = 1_700_000_000_000;
let emulator: Emulator;
let c: WireClient;
let cluster: Cluster;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    clock: new ManualClock(NOW),
    topics: [{ name: TOPIC, partitions: 2 }],
  });
  c = await WireClient.connect(emulator.port);
  cluster = new Cluster({ bootstrap: emulator.bootstrap });
});
afterAll(async () => {
  await cluster.close();
  c.close();
  await emulator.stop();
});

async function produce(
  transactionalId: string | null,
  producerId: bigint,
  producerEpoch: number,
  partition: number,
  baseSequence: number,
  timestamps: number[],
) {
  const records = encodeRecordBatch({
    records: timestamps.map((timestamp) => ({ key: null, value: Buffer.from('v'), timestamp })),
    isTransactional: transactionalId !== null,
    producerId,
    producerEpoch,
    baseSequence,
  });
  const r = await c.request(Produce, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: TOPIC, partitionData: [{ index: partition, records }] }],
  });
  return r.responses[0].partitionResponses[0];
}

async function lso(partition: number) {
  const r = await c.request(ListOffsets, 7, {
    replicaId: -1,
    isolationLevel: 1,
    topics: [
      { name: TOPIC, partitions: [{ partitionIndex: partition, timestamp: -1n, currentLeaderEpoch: -1 }] },
    ],
  });
  return r.topics[0].partitions[0].offset;
}

it('lists idempotent and transactional producers per partition; a COMMIT marker and an external ABORT change them', async () => {
  const idem = await c.request(InitProducerId, 4, {
    transactionalId: null,
    transactionTimeoutMs: 60_000,
    producerId: -1n,
    producerEpoch: -1,
  });
  expect((await produce(null, idem.producerId, 0, 0, 0, [NOW - 5, NOW - 3])).errorCode).toBe(0);

  const tx = await c.request(InitProducerId, 4, {
    transactionalId: 'dp-tx',
    transactionTimeoutMs: 60_000,
    producerId: -1n,
    producerEpoch: -1,
  });
  const add = async () =>
    c.request(AddPartitionsToTxn, 3, {
      transactions: [],
      v3AndBelowTransactionalId: 'dp-tx',
      v3AndBelowProducerId: tx.producerId,
      v3AndBelowProducerEpoch: tx.producerEpoch,
      v3AndBelowTopics: [{ name: TOPIC, partitions: [0, 1] }],
    });
  await add();
  expect(
    (await produce('dp-tx', tx.producerId, tx.producerEpoch, 0, 0, [NOW - 1, NOW - 2, NOW - 4])).errorCode,
  ).toBe(0);

  const [p0, p1] = await describeProducers(cluster, [
    { topic: TOPIC, partition: 0 },
    { topic: TOPIC, partition: 1 },
  ]);
  expect(p0.activeProducers).toEqual([
    {
      producerId: idem.producerId,
      producerEpoch: 0,
      lastSequence: 1,
      lastTimestamp: BigInt(NOW - 3),
      coordinatorEpoch: null,
      currentTransactionStartOffset: null,
    },
    {
      producerId: tx.producerId,
      producerEpoch: 0,
      lastSequence: 2,
      lastTimestamp: BigInt(NOW - 1), // the batch's max timestamp
      coordinatorEpoch: null,
      currentTransactionStartOffset: 2n,
    },
  ]);
  expect(p1.activeProducers).toEqual([]);

  // EndTxn commit: markers in both partitions; partition 1 gets a marker-only producer entry.
  const end = await c.request(EndTxn, 3, {
    transactionalId: 'dp-tx',
    producerId: tx.producerId,
    producerEpoch: tx.producerEpoch,
    committed: true,
  });
  expect(end.errorCode).toBe(0);
  const [q0, q1] = await describeProducers(cluster, [
    { topic: TOPIC, partition: 0 },
    { topic: TOPIC, partition: 1 },
  ]);
  expect(q0.activeProducers[1]).toEqual({
    producerId: tx.producerId,
    producerEpoch: 0,
    lastSequence: 2, // same epoch: the retained batches stay
    lastTimestamp: BigInt(NOW),
    coordinatorEpoch: 0,
    currentTransactionStartOffset: null,
  });
  expect(q1.activeProducers).toEqual([
    {
      producerId: tx.producerId,
      producerEpoch: 0,
      lastSequence: -1,
      lastTimestamp: BigInt(NOW),
      coordinatorEpoch: 0,
      currentTransactionStartOffset: null,
    },
  ]);

  // A second transaction left open, then ended in partition 0 from outside (kafka-transactions abort).
  await add();
  expect((await produce('dp-tx', tx.producerId, tx.producerEpoch, 0, 3, [NOW])).errorCode).toBe(0);
  expect(await lso(0)).toBe(6n);
  await abortTransaction(cluster, {
    topic: TOPIC,
    partition: 0,
    producerId: tx.producerId,
    producerEpoch: tx.producerEpoch,
    coordinatorEpoch: 0,
  });
  expect(await lso(0)).toBe(8n); // past the ABORT marker at 7
  const [r0] = await describeProducers(cluster, [{ topic: TOPIC, partition: 0 }]);
  expect(r0.activeProducers[1].currentTransactionStartOffset).toBeNull();

  // An older epoch or coordinator epoch is refused.
  await expect(
    abortTransaction(cluster, {
      topic: TOPIC,
      partition: 0,
      producerId: tx.producerId,
      producerEpoch: 0,
      coordinatorEpoch: -1,
    }),
  ).rejects.toMatchObject({ type: 'TRANSACTION_COORDINATOR_FENCED' });
});

it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist', async () => {
  const r = await c.request(DescribeProducers, 0, {
    topics: [
      { name: TOPIC, partitionIndexes: [7] },
      { name: 'nope', partitionIndexes: [0] },
    ],
  });
  expect(r.topics.map((t) => t.partitions.map((p) => p.errorCode))).toEqual([[3], [3]]);
});
