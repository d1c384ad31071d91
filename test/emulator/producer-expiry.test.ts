/**
 * producer.id.expiration.ms (ProducerStateManager.removeExpiredProducers, checked every
 * producer.id.expiration.check.interval.ms on the cluster's clock): a partition forgets an idle
 * idempotent producer's state — DescribeProducers stops listing it and its next batch is taken at any
 * sequence, as a new producer's — but keeps a producer with a transaction open in it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Producer } from '../../src/client/index.js';
import { brokerOverrides } from '../../src/emulator/broker-properties.js';
import { ManualClock } from '../../src/emulator/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe('producer.id.expiration.ms', () => {
  it('forgets an idle producer at the first check past the expiration; keeps one with a transaction open', async () => {
    // The client stamps records with the wall clock, so the broker's clock starts there too.
    const clock = new ManualClock(Date.now());
    emulator = await startEmulator({
      port: 0,
      clock,
      topics: [{ name: 'expiring', partitions: 1 }],
      ...brokerOverrides([
        'producer.id.expiration.ms=60000',
        'producer.id.expiration.check.interval.ms=10000',
      ]),
    });
    const state = () => emulator!.cluster.producerIds.producersOf('expiring', 0).map((p) => p.producerId);

    const idle = new Producer({ bootstrap: emulator.bootstrap, idempotent: true });
    await idle.send({ topic: 'expiring', messages: [{ value: 'one' }] });
    const txn = new Producer({
      bootstrap: emulator.bootstrap,
      transactionalId: 'open-txn',
      transactionTimeoutMs: 900_000,
    });
    await txn.initTransactions();
    txn.beginTransaction();
    await txn.send({ topic: 'expiring', messages: [{ value: 'open' }] });
    const both = state();
    expect(both).toHaveLength(2);

    // Under a minute idle: the checks every 10 s keep both.
    clock.advance(50_000);
    expect(state()).toEqual(both);
    // Past the minute, at the next check: the idle producer is gone, the one in a transaction stays.
    clock.advance(20_000);
    const txnProducerId = emulator.cluster.topics
      .get('expiring')!
      .partitions[0]!.ongoingTransactions.keys()
      .next().value as number;
    expect(state()).toEqual([txnProducerId]);

    // The forgotten producer's next batch (sequence 1) is taken as a new producer's would be.
    const sent = await idle.send({ topic: 'expiring', messages: [{ value: 'two' }] });
    expect(sent[0]?.offset).toBe(2n);
    expect(state()).toHaveLength(2);
    await idle.close();
    await txn.abortTransaction();
    await txn.close();
  });
});
