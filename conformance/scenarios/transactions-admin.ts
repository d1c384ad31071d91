/**
 * Transactions as kafka-transactions.sh sees them (KIP-664): DescribeProducers of a partition with
 * a transactional producer whose transaction is open, then the tool's abort
 * (WriteTxnMarkers ABORT at the leader, coordinator epoch 0 before any marker) and DescribeProducers
 * again: the open transaction gone, the marker's coordinator epoch recorded, the retained sequence
 * kept (same epoch). Kafka's sources: UnifiedLog.activeProducers, ProducerAppendInfo.appendEndTxnMarker,
 * TransactionsCommand.AbortTransactionCommand. Producer ids and timestamps are not compared.
 */
import { abortTransaction, describeProducers } from '../../src/client/admin-transactions.js';
import type { Scenario } from '../runner/types.js';
import { setUpTopic } from './support.js';

export const transactionsAdmin: Scenario = {
  name: 'transactions-admin',
  source: 'KIP-664 (kafka-transactions.sh describe-producers / abort); UnifiedLog.activeProducers',
  description: 'DescribeProducers shows an open transaction; an external WriteTxnMarkers ABORT ends it',
  async run(ctx) {
    const topic = ctx.name('txn-admin');
    await setUpTopic(ctx, topic, 1);
    const producer = await ctx.producer({ transactionalId: ctx.name('txn-admin-id') });
    await producer.initTransactions();
    producer.beginTransaction();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.flush();
    const cluster = ctx.cluster();
    const view = async () => {
      const [s] = await describeProducers(cluster, [{ topic, partition: 0 }]);
      return s.activeProducers.map((p) => ({
        producerEpoch: p.producerEpoch,
        lastSequence: p.lastSequence,
        coordinatorEpoch: p.coordinatorEpoch,
        currentTransactionStartOffset: p.currentTransactionStartOffset?.toString() ?? null,
      }));
    };
    ctx.checkpoint('producers-open', await view());
    const [s] = await describeProducers(cluster, [{ topic, partition: 0 }]);
    const p = s.activeProducers[0];
    await abortTransaction(cluster, {
      topic,
      partition: 0,
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      coordinatorEpoch: p.coordinatorEpoch ?? 0,
    });
    ctx.checkpoint('producers-after-abort', await view());
    await producer.abortTransaction().catch(() => undefined);
  },
};
