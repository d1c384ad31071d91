/**
 * DescribeTransactions: v0
 *
 * Behaviour:
 * - Per transactional id, the coordinator's view (state/transactions): state name as Kafka spells it
 *   (Empty, Ongoing, PrepareCommit, CompleteAbort, …), producer id and epoch, transaction.timeout.ms,
 *   when the open transaction began (-1 when none), and its partitions by topic — including the
 *   group's __consumer_offsets partition after AddOffsetsToTxn; none once it completed.
 * - Unknown id → TRANSACTIONAL_ID_NOT_FOUND (105); '' → INVALID_REQUEST (42); the other fields then
 *   keep their defaults, as Kafka leaves them (TransactionCoordinator.handleDescribeTransactions).
 *
 * Version notes:
 * - v0 only (KIP-664, what kafka-transactions.sh describe sends).
 */
import { DescribeTransactions } from '../../protocol/messages/65-describe-transactions.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize, TRANSACTIONAL_ID_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { TxnErrors as E, transactionsOf } from '../state/transactions/index.js';

export default defineHandler({
  api: DescribeTransactions,
  versions: declaredVersions(DescribeTransactions),
  handle(request, ctx) {
    const txns = transactionsOf(ctx.cluster);
    return {
      throttleTimeMs: 0,
      transactionStates: request.transactionalIds.map((transactionalId) => {
        const none = {
          transactionalId,
          transactionState: '',
          transactionTimeoutMs: 0,
          transactionStartTimeMs: 0n,
          producerId: 0n,
          producerEpoch: 0,
          topics: [],
        };
        if (transactionalId === '') return { ...none, errorCode: E.INVALID_REQUEST };
        // ACLs (KafkaApis.handleDescribeTransactionsRequest): DESCRIBE on the transactional id.
        if (!authorize(ctx, 'DESCRIBE', 'TRANSACTIONAL_ID', transactionalId))
          return { ...none, errorCode: TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
        const d = txns.describe(transactionalId);
        if (!d) return { ...none, errorCode: E.TRANSACTIONAL_ID_NOT_FOUND };
        const byTopic = new Map<string, number[]>();
        for (const tp of d.partitions) {
          const list = byTopic.get(tp.topic);
          if (list) list.push(tp.partition);
          else byTopic.set(tp.topic, [tp.partition]);
        }
        return {
          errorCode: 0,
          transactionalId,
          transactionState: d.state,
          transactionTimeoutMs: d.transactionTimeoutMs,
          transactionStartTimeMs: BigInt(d.transactionStartTimeMs),
          producerId: BigInt(d.producerId),
          producerEpoch: d.producerEpoch,
          topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
        };
      }),
    };
  },
});
