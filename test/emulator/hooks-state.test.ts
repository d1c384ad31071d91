/**
 * hooks.observeState: the coordinators' state changes as they happen, without a trace — a classic
 * group's states as a consumer joins, a transaction's states with the markers that end it — and a
 * removed listener hears nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer, Producer } from '../../src/client/index.js';
import { type Emulator, type StateChange, startEmulator } from '../../src/emulator/index.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator?.stop());

describe('hooks.observeState', () => {
  it('tells a transaction as its states, with the markers that ended it', async () => {
    const seen: StateChange[] = [];
    const listener = emulator.hooks.observeState((c) => seen.push(c));
    const p = new Producer({ bootstrap: emulator.bootstrap, transactionalId: 'hooked-tx' });
    await p.initTransactions();
    p.beginTransaction();
    await p.send({ topic: 'hooked', messages: [{ value: 'a' }, { value: 'b' }] });
    await p.commitTransaction();
    await p.close();
    listener.remove();

    const txn = seen.flatMap((c) => (c.kind === 'transaction' ? [c.change] : []));
    expect(txn.every((t) => t.transactionalId === 'hooked-tx')).toBe(true);
    // A new id, InitProducerId's epoch 0, then the transaction itself.
    expect(txn.map((t) => `${t.from}→${t.to} epoch ${t.producerEpoch}`)).toEqual([
      'null→Empty epoch -1',
      'Empty→Empty epoch 0',
      'Empty→Ongoing epoch 0',
      'Ongoing→PrepareCommit epoch 0',
      'PrepareCommit→CompleteCommit epoch 0',
    ]);
    expect(txn[2]!.partitions).toEqual([{ topic: 'hooked', partition: 0 }]);
    const done = txn[txn.length - 1]!;
    // The COMMIT marker follows the two records: offset 2, the last stable offset past it.
    expect(done.markers).toEqual([
      { topic: 'hooked', partition: 0, offset: 2, coordinatorEpoch: 0, lastStableOffset: 3 },
    ]);

    // Removed: another transaction is not heard.
    const before = seen.length;
    const q = new Producer({ bootstrap: emulator.bootstrap, transactionalId: 'unheard-tx' });
    await q.initTransactions();
    await q.close();
    expect(seen.length).toBe(before);
  });

  it('tells a classic group as its states while a consumer joins and leaves', async () => {
    const seen: StateChange[] = [];
    const listener = emulator.hooks.observeState((c) => seen.push(c));
    const producer = new Producer({ bootstrap: emulator.bootstrap });
    await producer.send({ topic: 'hooked-group', messages: [{ value: 'x' }] });
    await producer.close();
    const consumer = new Consumer({
      bootstrap: emulator.bootstrap,
      groupId: 'hooked-g',
      autoOffsetReset: 'earliest',
    });
    await consumer.subscribe(['hooked-group']);
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => resolve() }).catch(reject);
    });
    await consumer.close();
    listener.remove();
    const group = seen.flatMap((c) =>
      c.kind === 'group' && c.change.groupId === 'hooked-g' ? [c.change] : [],
    );
    expect(group.map((g) => `${g.from}→${g.to}`)).toEqual([
      'Empty→PreparingRebalance',
      'PreparingRebalance→CompletingRebalance',
      'CompletingRebalance→Stable',
      'Stable→PreparingRebalance',
      'PreparingRebalance→Empty',
    ]);
    expect(group[2]!.generationId).toBe(1);
    expect(group[2]!.memberIds).toHaveLength(1);
  });
});
