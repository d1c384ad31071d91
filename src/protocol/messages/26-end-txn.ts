// EndTxn (API key 26): a transactional producer asks its coordinator to commit (committed = true) or
// abort the ongoing transaction (KIP-98); the coordinator then writes the markers with
// WriteTxnMarkers.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 may answer PRODUCER_FENCED
// (KIP-588); v3 goes flexible; v4 may answer TRANSACTION_ABORTABLE (KIP-890). v5 is transactions V2
// (KIP-890 part 2): the coordinator bumps the producer epoch at the end of every transaction, so the
// response carries the producer id and the new epoch the producer must use next.
import { api, field, type MessageValue } from '../schema/declare.js';

export const EndTxn = api({
  apiKey: 26,
  name: 'EndTxn',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      transactionalId: field.string('0+'),
      producerId: field.int64('0+'),
      producerEpoch: field.int16('0+'),
      committed: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      producerId: field.int64('5+', { default: -1n, ignorable: true }),
      producerEpoch: field.int16('5+', { default: -1, ignorable: true }),
    },
  },
});

export type EndTxnRequest = MessageValue<typeof EndTxn.request>;
export type EndTxnResponse = MessageValue<typeof EndTxn.response>;
