/**
 * ListTransactions: v0-2
 *
 * Behaviour:
 * - Every transactional id the coordinator knows, with its producer id and state name, filtered
 *   (TransactionStateManager.listTransactionStates): stateFilters by state name — names that are no
 *   state are echoed in unknownStateFilters and match nothing; producerIdFilters by producer id;
 *   empty filters match everything.
 *
 * Version notes:
 * - v1 (KIP-994) durationFilter ≥ 0 keeps the transactions whose start is more than that many ms ago,
 *   by Kafka's arithmetic (now - txnStartTimestamp > duration), which also keeps ids with no open
 *   transaction (start -1).
 * - v2 (KIP-1152) transactionalIdPattern: the whole id must match (Java's Matcher.matches); an invalid
 *   pattern → INVALID_REGULAR_EXPRESSION (128). JavaScript regular expressions stand in for Java's;
 *   they agree on the common syntax.
 */
import { ListTransactions } from '../../protocol/messages/66-list-transactions.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { authorize } from '../security/authorize.js';
import { TXN_STATES, transactionsOf } from '../state/transactions/index.js';

const INVALID_REGULAR_EXPRESSION = 128;

export default defineHandler({
  api: ListTransactions,
  versions: declaredVersions(ListTransactions),
  handle(request, ctx) {
    const known = new Set<string>(TXN_STATES);
    const unknownStateFilters = request.stateFilters.filter((s) => !known.has(s));
    const states = new Set(request.stateFilters);
    const producerIds = new Set(request.producerIdFilters.map((id) => Number(id)));
    const duration = ctx.version >= 1 ? Number(request.durationFilter) : -1;
    let pattern: RegExp | undefined;
    const source = ctx.version >= 2 ? request.transactionalIdPattern : null;
    if (source !== null && source !== '') {
      try {
        pattern = new RegExp(`^(?:${source})$`);
      } catch {
        return {
          throttleTimeMs: 0,
          errorCode: INVALID_REGULAR_EXPRESSION,
          unknownStateFilters,
          transactionStates: [],
        };
      }
    }
    const now = ctx.now();
    const transactionStates = transactionsOf(ctx.cluster)
      .list()
      .filter(
        (t) =>
          t.state !== 'Dead' &&
          (producerIds.size === 0 || producerIds.has(t.producerId)) &&
          (states.size === 0 || states.has(t.state)) &&
          !(duration >= 0 && now - t.transactionStartTimeMs <= duration) &&
          (!pattern || pattern.test(t.transactionalId)) &&
          // ACLs (KafkaApis.handleListTransactionsRequest): only ids the principal may DESCRIBE.
          authorize(ctx, 'DESCRIBE', 'TRANSACTIONAL_ID', t.transactionalId),
      )
      .map((t) => ({
        transactionalId: t.transactionalId,
        producerId: BigInt(t.producerId),
        transactionState: t.state,
      }));
    return { throttleTimeMs: 0, errorCode: 0, unknownStateFilters, transactionStates };
  },
});
