/**
 * transactional.id.expiration.ms (TransactionStateManager.removeExpiredTransactionalIds): a
 * transactional id with no transaction open is forgotten once its last change is that old, looked
 * for every transaction.remove.expired.transaction.cleanup.interval.ms on the cluster's clock; an
 * open transaction keeps its id however long it lasts. The old producer then gets
 * INVALID_PRODUCER_ID_MAPPING, DescribeTransactions TRANSACTIONAL_ID_NOT_FOUND, and the next
 * InitProducerId starts the id afresh with a new producer id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { brokerOverrides } from '../../src/emulator/broker-properties.js';
import { ManualClock } from '../../src/emulator/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  TxnErrors as E,
  TransactionCoordinator,
  type TxnTransition,
} from '../../src/emulator/state/transactions/index.js';
import { InitProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { DescribeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { WireClient } from './support/wire-client.js';

const DAY = 86_400_000;

function coordinator(clock: ManualClock) {
  let next = 7000;
  const txns = new TransactionCoordinator({
    clock,
    // A transaction.max.timeout.ms beyond the expiration, so that a transaction can stay open past it.
    config: {
      transactionalIdExpirationMs: 7 * DAY,
      removeExpiredIntervalMs: 3_600_000,
      maxTimeoutMs: 30 * DAY,
    },
    allocateProducerId: () => next++,
    partitionLog: () => undefined,
    commitOffsets: () => {},
  });
  const transitions: TxnTransition[] = [];
  txns.onTransition = (t) => transitions.push(t);
  return { txns, transitions };
}

const init = (txns: TransactionCoordinator, transactionalId: string, transactionTimeoutMs = 60_000) =>
  txns.initProducerId({ transactionalId, transactionTimeoutMs });

describe('transactional.id.expiration.ms', () => {
  it('forgets an idle id at the first check past the expiration, not before; keeps an open one', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { txns, transitions } = coordinator(clock);
    const idle = init(txns, 'idle');
    const open = init(txns, 'open', 10 * DAY);
    expect(txns.addPartitions({ transactionalId: 'open', ...open }, [{ topic: 't', partition: 0 }])).toBe(
      E.NONE,
    );

    // 7 days less a minute: the checks every hour found nothing old enough.
    clock.advance(7 * DAY - 60_000);
    expect(txns.describe('idle')?.state).toBe('Empty');
    // The next hourly check after the 7 days: forgotten (Dead), its producer id unmapped.
    clock.advance(3_600_000);
    expect(txns.describe('idle')).toBeUndefined();
    expect(transitions.at(-1)).toMatchObject({ transactionalId: 'idle', from: 'Empty', to: 'Dead' });
    expect(txns.addPartitions({ transactionalId: 'idle', ...idle }, [{ topic: 't', partition: 0 }])).toBe(
      E.INVALID_PRODUCER_ID_MAPPING,
    );
    // The transaction open for 7 days (its timeout is 10) keeps its id.
    expect(txns.describe('open')?.state).toBe('Ongoing');

    // Re-initialised, the id starts afresh: a new producer id, epoch 0.
    const again = init(txns, 'idle');
    expect(again.errorCode).toBe(E.NONE);
    expect(again.producerId).not.toBe(idle.producerId);
    expect(again.producerEpoch).toBe(0);
  });

  it('over the wire, settings as --override names them: DescribeTransactions answers TRANSACTIONAL_ID_NOT_FOUND once expired', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    emulator = await startEmulator({
      port: 0,
      clock,
      // As `kafkalab emulator --override` reads them.
      ...brokerOverrides([
        'transactional.id.expiration.ms=60000',
        'transaction.remove.expired.transaction.cleanup.interval.ms=10000',
      ]),
    });
    const c = await WireClient.connect(emulator.port);
    try {
      const p = await c.request(InitProducerId, 4, {
        transactionalId: 'short-lived',
        transactionTimeoutMs: 30_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      expect(p.errorCode).toBe(0);
      const describe = async () =>
        (await c.request(DescribeTransactions, 0, { transactionalIds: ['short-lived'] }))
          .transactionStates[0]!;
      clock.advance(59_999);
      expect((await describe()).transactionState).toBe('Empty');
      clock.advance(10_000);
      expect((await describe()).errorCode).toBe(E.TRANSACTIONAL_ID_NOT_FOUND);
    } finally {
      c.close();
    }
  });
});

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});
