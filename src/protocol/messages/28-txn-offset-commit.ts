// TxnOffsetCommit (API key 28): a transactional producer commits consumer offsets to the group
// coordinator as part of its transaction (KIP-98): they become visible only when the transaction
// commits, which is what makes consume-transform-produce exactly once.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 stores the leader epoch with
// the offset (KIP-320); v3 adds the consumer's generation, member id and instance id, so that the
// group coordinator can fence a producer whose consumer was rebalanced away (KIP-447); v4 may answer
// TRANSACTION_ABORTABLE (KIP-890). v5 (Kafka 4.0; declared from kafka-clients 4.1.1, not in the
// late-2024 spec snapshot) has v4's bytes: it signals transactions V2 (KIP-890 part 2), where this
// request also adds the group to the transaction, replacing AddOffsetsToTxn.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const TxnOffsetCommit = api({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      transactionalId: field.string('0+'),
      groupId: field.string('0+'),
      producerId: field.int64('0+'),
      producerEpoch: field.int16('0+'),
      generationId: field.int32('3+', { default: -1 }),
      memberId: field.string('3+', { default: '' }),
      groupInstanceId: field.string('3+', { nullableVersions: '3+', default: null }),
      topics: field.array(
        '0+',
        struct('TxnOffsetCommitRequestTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('TxnOffsetCommitRequestPartition', {
              partitionIndex: field.int32('0+'),
              committedOffset: field.int64('0+'),
              committedLeaderEpoch: field.int32('2+', { default: -1, ignorable: true }),
              committedMetadata: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      topics: field.array(
        '0+',
        struct('TxnOffsetCommitResponseTopic', {
          name: field.string('0+'),
          partitions: field.array(
            '0+',
            struct('TxnOffsetCommitResponsePartition', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type TxnOffsetCommitRequest = MessageValue<typeof TxnOffsetCommit.request>;
export type TxnOffsetCommitResponse = MessageValue<typeof TxnOffsetCommit.response>;
