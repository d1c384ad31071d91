// AddOffsetsToTxn (API key 25): a transactional producer tells its transaction coordinator that the
// transaction will commit consumer offsets for a group (KIP-98), so that the coordinator writes the
// transaction's marker to that group's __consumer_offsets partition too. The offsets themselves then
// go to the group coordinator with TxnOffsetCommit.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 may answer PRODUCER_FENCED
// (KIP-588); v3 goes flexible; v4 may answer TRANSACTION_ABORTABLE (KIP-890). With transactions V2
// (KIP-890 part 2) a producer skips this call: TxnOffsetCommit v5 adds the group implicitly.
import { api, field, type MessageValue } from '../schema/declare.js';

export const AddOffsetsToTxn = api({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: {
      transactionalId: field.string('0+'),
      producerId: field.int64('0+'),
      producerEpoch: field.int16('0+'),
      groupId: field.string('0+'),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
    },
  },
});

export type AddOffsetsToTxnRequest = MessageValue<typeof AddOffsetsToTxn.request>;
export type AddOffsetsToTxnResponse = MessageValue<typeof AddOffsetsToTxn.response>;
