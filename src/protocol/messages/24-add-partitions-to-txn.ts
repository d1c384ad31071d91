// AddPartitionsToTxn (API key 24): registers partitions with the transaction coordinator before a
// transactional producer writes to them (KIP-98), so that the coordinator knows where to write the
// COMMIT/ABORT markers when the transaction ends.
//
// The API has two shapes. v0-3 is the client's: one transactional id, its producer id/epoch and its
// topics, at the top level (the v3AndBelow* fields). v4+ is the broker's (KIP-890 part 1): a
// partition leader asks the coordinator, for a batch of transactions at once, whether each partition
// is already part of its transaction (verifyOnly) before it appends a transactional batch, so that a
// late or duplicate write cannot land outside any transaction ("hanging transactions"). Clients keep
// using v3 and below.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 may answer PRODUCER_FENCED
// (KIP-588); v3 goes flexible; v4 is the batched broker form above, with a top-level error code in
// the response; v5 may answer TRANSACTION_ABORTABLE (KIP-890).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

const AddPartitionsToTxnTopic = struct('AddPartitionsToTxnTopic', {
  name: field.string('0+'),
  partitions: field.array('0+', types.int32),
});

const AddPartitionsToTxnPartitionResult = struct('AddPartitionsToTxnPartitionResult', {
  partitionIndex: field.int32('0+'),
  partitionErrorCode: field.int16('0+'),
});

const AddPartitionsToTxnTopicResult = struct('AddPartitionsToTxnTopicResult', {
  name: field.string('0+'),
  resultsByPartition: field.array('0+', AddPartitionsToTxnPartitionResult),
});

export const AddPartitionsToTxn = api({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      transactions: field.array(
        '4+',
        struct('AddPartitionsToTxnTransaction', {
          transactionalId: field.string('4+'),
          producerId: field.int64('4+'),
          producerEpoch: field.int16('4+'),
          // true: only check that the partitions are in the transaction, add nothing.
          verifyOnly: field.bool('4+', { default: false }),
          topics: field.array('4+', AddPartitionsToTxnTopic),
        }),
      ),
      v3AndBelowTransactionalId: field.string('0-3'),
      v3AndBelowProducerId: field.int64('0-3'),
      v3AndBelowProducerEpoch: field.int16('0-3'),
      v3AndBelowTopics: field.array('0-3', AddPartitionsToTxnTopic),
    },
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('4+', { ignorable: true }),
      resultsByTransaction: field.array(
        '4+',
        struct('AddPartitionsToTxnResult', {
          transactionalId: field.string('4+'),
          topicResults: field.array('4+', AddPartitionsToTxnTopicResult),
        }),
      ),
      resultsByTopicV3AndBelow: field.array('0-3', AddPartitionsToTxnTopicResult),
    },
  },
});

export type AddPartitionsToTxnRequest = MessageValue<typeof AddPartitionsToTxn.request>;
export type AddPartitionsToTxnResponse = MessageValue<typeof AddPartitionsToTxn.response>;
