/**
 * Transactions V2 (KIP-890 part 2) over the wire: Produce v12 adds a partition to the transaction
 * by itself (and opens the transaction), EndTxn v5 bumps the producer epoch at every end and
 * returns it, a retry with the previous epoch gets the same answer, and the previous epoch is a
 * zombie's: its late batch is refused without any InitProducerId.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { Produce } from '../../src/protocol/messages/00-produce.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { EndTxn } from '../../src/protocol/messages/26-end-txn.js';
import { DescribeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { encodeRecordBatch } from '../../src/protocol/records/index.js';
import { WireClient } from './support/wire-client.js';

const TOPIC = 'txn-v2';
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

async function init(transactionalId: string) {
  return c.request(InitProducerId, 5, {
    transactionalId,
    transactionTimeoutMs: 60_000,
    producerId: -1n,
    producerEpoch: -1,
  });
}

async function produce(
  id: string,
  producerId: bigint,
  epoch: number,
  partition: number,
  seq: number,
  version = 12,
) {
  const records = encodeRecordBatch({
    records: [{ key: null, value: Buffer.from(`e${epoch}s${seq}`), timestamp: Date.now() }],
    isTransactional: true,
    producerId,
    producerEpoch: epoch,
    baseSequence: seq,
  });
  const r = await c.request(Produce, version, {
    transactionalId: id,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: TOPIC, partitionData: [{ index: partition, records }] }],
  });
  return r.responses[0].partitionResponses[0];
}

function end(id: string, producerId: bigint, producerEpoch: number, committed: boolean, version = 5) {
  return c.request(EndTxn, version, { transactionalId: id, producerId, producerEpoch, committed });
}

async function describeTxn(id: string) {
  const r = await c.request(DescribeTransactions, 0, { transactionalIds: [id] });
  return r.transactionStates[0];
}

describe('transactions V2 (KIP-890 part 2)', () => {
  it('advertises Produce v12 and EndTxn v5', async () => {
    const v = await c.request(ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
    const max = (k: number) => v.apiKeys.find((a) => a.apiKey === k)?.maxVersion;
    expect(max(Produce.apiKey)).toBe(12);
    expect(max(EndTxn.apiKey)).toBe(5);
  });

  it('Produce v12 adds the partition and opens the transaction; v11 still refuses it', async () => {
    const p = await init('v2-implicit');
    expect(p.errorCode).toBe(0);
    expect((await produce('v2-implicit', p.producerId, 0, 1, 0, 11)).errorCode).toBe(120);
    expect((await describeTxn('v2-implicit')).transactionState).toBe('Empty');
    const first = await produce('v2-implicit', p.producerId, 0, 0, 0);
    expect(first.errorCode).toBe(0);
    const open = await describeTxn('v2-implicit');
    expect(open.transactionState).toBe('Ongoing');
    expect(open.topics).toEqual([{ topic: TOPIC, partitions: [0] }]);
    expect((await produce('v2-implicit', p.producerId, 0, 1, 0)).errorCode).toBe(0);
    const both = await describeTxn('v2-implicit');
    expect(both.topics.flatMap((t) => t.partitions).sort()).toEqual([0, 1]);
    // A stale epoch is refused as a Produce refuses it: INVALID_PRODUCER_EPOCH (47).
    expect((await produce('v2-implicit', p.producerId, 5, 1, 0)).errorCode).toBe(47);
  });

  it('EndTxn v5 bumps the epoch, a retry at the old epoch gets the same answer, the zombie is fenced', async () => {
    const id = 'v2-bump';
    const p = await init(id);
    const e0 = p.producerEpoch;
    expect((await produce(id, p.producerId, e0, 0, 0)).errorCode).toBe(0);
    const committed = await end(id, p.producerId, e0, true);
    expect(committed).toMatchObject({ errorCode: 0, producerId: p.producerId, producerEpoch: e0 + 1 });
    expect((await describeTxn(id)).transactionState).toBe('CompleteCommit');
    expect((await describeTxn(id)).producerEpoch).toBe(e0 + 1);
    // The retry of the same end (its answer was lost): the same answer, no second bump.
    expect(await end(id, p.producerId, e0, true)).toMatchObject({ errorCode: 0, producerEpoch: e0 + 1 });
    // The old epoch asking for the other result is not a retry: fenced.
    expect((await end(id, p.producerId, e0, false)).errorCode).toBe(90);
    // A zombie batch at the old epoch, to a partition that saw the new epoch's marker: refused.
    expect((await produce(id, p.producerId, e0, 0, 1)).errorCode).toBe(47);
    // The next transaction runs at the new epoch with sequences from 0.
    expect((await produce(id, p.producerId, e0 + 1, 0, 0)).errorCode).toBe(0);
    const aborted = await end(id, p.producerId, e0 + 1, false);
    expect(aborted).toMatchObject({ errorCode: 0, producerEpoch: e0 + 2 });
    expect(await end(id, p.producerId, e0 + 1, false)).toMatchObject({ errorCode: 0, producerEpoch: e0 + 2 });
    // Two epochs behind is no retry either.
    expect((await end(id, p.producerId, e0, false)).errorCode).toBe(90);
  });

  it('EndTxn v4 keeps the V1 flow: no bump', async () => {
    const id = 'v1-flow';
    const p = await init(id);
    expect((await produce(id, p.producerId, 0, 0, 0)).errorCode).toBe(0);
    expect(await end(id, p.producerId, 0, true, 4)).toMatchObject({ errorCode: 0 });
    expect((await describeTxn(id)).producerEpoch).toBe(0);
  });
});
