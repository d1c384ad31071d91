// InitProducerId (API key 22): gets a producer id and epoch from the transaction coordinator (for a
// transactional id) or from any broker (idempotent producer), so that batches can be deduplicated.
// Versions: v1 answers before throttling; v2 is the first flexible version; v3 lets a producer send
// its current id and epoch to resume after INVALID_PRODUCER_EPOCH (KIP-360); v4 may answer
// PRODUCER_FENCED (KIP-588); v5 may answer TRANSACTION_ABORTABLE (KIP-890).
// Kafka 4.1.1 has a v6 for two-phase commit with an external transaction manager (KIP-939:
// enable2Pc, keepPreparedTxn, and the ongoing transaction's id and epoch in the response), but still
// marks it latestVersionUnstable (its brokers do not offer it unless unstable.api.versions.enable),
// so it is not declared here.
import { api, field, type MessageValue } from '../schema/declare.js';

export const InitProducerId = api({
  apiKey: 22,
  name: 'InitProducerId',
  request: {
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: {
      // null for an idempotent-only producer.
      transactionalId: field.string('0+', { nullableVersions: '0+' }),
      transactionTimeoutMs: field.int32('0+'),
      producerId: field.int64('3+', { default: -1n }),
      producerEpoch: field.int16('3+', { default: -1 }),
    },
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+', { ignorable: true }),
      errorCode: field.int16('0+'),
      producerId: field.int64('0+', { default: -1n }),
      producerEpoch: field.int16('0+'),
    },
  },
});

export type InitProducerIdRequest = MessageValue<typeof InitProducerId.request>;
export type InitProducerIdResponse = MessageValue<typeof InitProducerId.response>;
