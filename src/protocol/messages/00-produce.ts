// Produce (API key 0): a producer hands record batches to partition leaders and learns the offset
// each batch was written at (or why it was not).
//
// Why the versions exist: v1 and v2 add throttle time and then the broker's append timestamp to the
// response. v3 carries the transactional id (exactly-once, KIP-98) and is the first to send the v2
// record batch format. v4 only tells the client to expect KAFKA_STORAGE_ERROR (JBOD, KIP-112); v5
// returns the log start offset so idempotent producers can tell a truly lost sequence from one whose
// log was truncated; v7 allows zstd batches (KIP-110); v8 reports which records of a batch were
// rejected and why (KIP-467). v9 switches to the flexible encoding (KIP-482). v10 lets the response
// point a NOT_LEADER_OR_FOLLOWER partition at its new leader with tagged fields (KIP-951), and v11
// permits the TRANSACTION_ABORTABLE error (KIP-890).
//
// From Kafka 4.0/4.1 (declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot):
// v12 has v11's bytes; it tells the broker that a transactional producer uses transactions V2
// (KIP-890 part 2), where producing to a partition adds it to the transaction implicitly (no
// AddPartitionsToTxn first). v13 names topics by id instead of name (KIP-516) in both directions and
// may answer UNKNOWN_TOPIC_ID. 4.1.1 therefore marks `name` ignorable with versions 0-12: at v0-12 the
// field is always on the wire, so that only means a name set on a v13 request is dropped rather than
// refused, like a topicId set on a v0-12 one. Kafka 4.0 removed v0-2 (KIP-896; still advertised for
// librdkafka's sake, KAFKA-18659); kafka-clients 3.9.1 still carries them, and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const Produce = api({
  apiKey: 0,
  name: 'Produce',
  request: {
    validVersions: '0-13',
    flexibleVersions: '9+',
    fields: {
      transactionalId: field.string('3+', { nullableVersions: '3+', default: null }),
      // 0 = no acknowledgement (the broker sends no response at all), 1 = leader only, -1 = full ISR.
      acks: field.int16('0+'),
      timeoutMs: field.int32('0+'),
      topicData: field.array(
        '0+',
        struct('TopicProduceData', {
          name: field.string('0-12', { ignorable: true }),
          topicId: field.uuid('13+', { ignorable: true }),
          partitionData: field.array(
            '0+',
            struct('PartitionProduceData', {
              index: field.int32('0+'),
              records: field.records('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-13',
    flexibleVersions: '9+',
    fields: {
      responses: field.array(
        '0+',
        struct('TopicProduceResponse', {
          name: field.string('0-12', { ignorable: true }),
          topicId: field.uuid('13+', { ignorable: true }),
          partitionResponses: field.array(
            '0+',
            struct('PartitionProduceResponse', {
              index: field.int32('0+'),
              errorCode: field.int16('0+'),
              baseOffset: field.int64('0+'),
              // -1 unless the topic uses LogAppendTime.
              logAppendTimeMs: field.int64('2+', { default: -1n, ignorable: true }),
              logStartOffset: field.int64('5+', { default: -1n, ignorable: true }),
              recordErrors: field.array(
                '8+',
                struct('BatchIndexAndErrorMessage', {
                  batchIndex: field.int32('8+'),
                  batchIndexErrorMessage: field.string('8+', { default: null, nullableVersions: '8+' }),
                }),
                { ignorable: true },
              ),
              errorMessage: field.string('8+', { default: null, nullableVersions: '8+', ignorable: true }),
              currentLeader: field.struct(
                '10+',
                struct('LeaderIdAndEpoch', {
                  leaderId: field.int32('10+', { default: -1 }),
                  leaderEpoch: field.int32('10+', { default: -1 }),
                }),
                { taggedVersions: '10+', tag: 0 },
              ),
            }),
          ),
        }),
      ),
      throttleTimeMs: field.int32('1+', { ignorable: true, default: 0 }),
      nodeEndpoints: field.array(
        '10+',
        struct('NodeEndpoint', {
          nodeId: field.int32('10+'),
          host: field.string('10+'),
          port: field.int32('10+'),
          rack: field.string('10+', { nullableVersions: '10+', default: null }),
        }),
        { taggedVersions: '10+', tag: 0 },
      ),
    },
  },
});

export type ProduceRequest = MessageValue<typeof Produce.request>;
export type ProduceResponse = MessageValue<typeof Produce.response>;
