// Fetch (API key 1): consumers and follower replicas read record batches from partition leaders.
// The broker may hold the request up to maxWaitMs until minBytes are available (long polling).
//
// Why the versions exist: v1 adds throttle time; v2 and v4 mark which message formats the client
// can read (v1 format, then the v2 batches of KIP-98); v3 adds a request-wide byte limit and makes
// partition order meaningful (KIP-74); v4 adds the isolation level and the aborted-transaction list
// for read_committed consumers; v5 exposes the log start offset (KIP-107); v7 introduces incremental
// fetch sessions, sending only partitions that changed (KIP-227); v9 fences stale leaders with the
// current leader epoch (KIP-320); v10 allows zstd (KIP-110); v11 adds rack-aware fetching from a
// preferred read replica (KIP-392). v12 goes flexible and adds divergence detection via
// lastFetchedEpoch, leader discovery and snapshot ids for KRaft (KIP-595). v13 names topics by id
// instead of name (KIP-516); v14 can return OFFSET_MOVED_TO_TIERED_STORAGE (KIP-405); v15 moves the
// follower's id into a tagged ReplicaState with its broker epoch (KIP-903); v16 returns endpoints of
// new leaders (KIP-951); v17 lets followers send their log directory id (KIP-853).
//
// From Kafka 4.1 (declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot): v18 lets a
// fetching replica tell the leader the high watermark it knows, in a tagged highWatermark per
// partition (KIP-1166, so that a KRaft leader can answer a waiting follower as soon as the high
// watermark moves); a consumer's v18 request and every v18 response have v17's bytes. Kafka 4.0
// removed v0-3 (KIP-896); kafka-clients 3.9.1 still carries them, and so do we.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const Fetch = api({
  apiKey: 1,
  name: 'Fetch',
  request: {
    validVersions: '0-18',
    flexibleVersions: '12+',
    fields: {
      clusterId: field.string('12+', {
        nullableVersions: '12+',
        default: null,
        taggedVersions: '12+',
        tag: 0,
        ignorable: true,
      }),
      // -1 for consumers; a follower's broker id. From v15 it travels in replicaState instead.
      replicaId: field.int32('0-14', { default: -1 }),
      replicaState: field.struct(
        '15+',
        struct('ReplicaState', {
          replicaId: field.int32('15+', { default: -1 }),
          replicaEpoch: field.int64('15+', { default: -1n }),
        }),
        { taggedVersions: '15+', tag: 1 },
      ),
      maxWaitMs: field.int32('0+'),
      minBytes: field.int32('0+'),
      maxBytes: field.int32('3+', { default: 0x7fffffff, ignorable: true }),
      // 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED.
      isolationLevel: field.int8('4+', { default: 0, ignorable: true }),
      sessionId: field.int32('7+', { default: 0, ignorable: true }),
      sessionEpoch: field.int32('7+', { default: -1, ignorable: true }),
      topics: field.array(
        '0+',
        struct('FetchTopic', {
          topic: field.string('0-12', { ignorable: true }),
          topicId: field.uuid('13+', { ignorable: true }),
          partitions: field.array(
            '0+',
            struct('FetchPartition', {
              partition: field.int32('0+'),
              currentLeaderEpoch: field.int32('9+', { default: -1, ignorable: true }),
              fetchOffset: field.int64('0+'),
              lastFetchedEpoch: field.int32('12+', { default: -1, ignorable: false }),
              // Only followers fill this in.
              logStartOffset: field.int64('5+', { default: -1n, ignorable: true }),
              partitionMaxBytes: field.int32('0+'),
              replicaDirectoryId: field.uuid('17+', { taggedVersions: '17+', tag: 0, ignorable: true }),
              // Followers only: -1 when unknown; int64 max (the default) means "not supported".
              highWatermark: field.int64('18+', {
                default: 9223372036854775807n,
                taggedVersions: '18+',
                tag: 1,
                ignorable: true,
              }),
            }),
          ),
        }),
      ),
      forgottenTopicsData: field.array(
        '7+',
        struct('ForgottenTopic', {
          topic: field.string('7-12', { ignorable: true }),
          topicId: field.uuid('13+', { ignorable: true }),
          partitions: field.array('7+', types.int32),
        }),
        { ignorable: false },
      ),
      rackId: field.string('11+', { default: '', ignorable: true }),
    },
  },
  response: {
    validVersions: '0-18',
    flexibleVersions: '12+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      errorCode: field.int16('7+', { ignorable: true }),
      sessionId: field.int32('7+', { default: 0, ignorable: false }),
      responses: field.array(
        '0+',
        struct('FetchableTopicResponse', {
          topic: field.string('0-12', { ignorable: true }),
          topicId: field.uuid('13+', { ignorable: true }),
          partitions: field.array(
            '0+',
            struct('PartitionData', {
              partitionIndex: field.int32('0+'),
              errorCode: field.int16('0+'),
              highWatermark: field.int64('0+'),
              lastStableOffset: field.int64('4+', { default: -1n, ignorable: true }),
              logStartOffset: field.int64('5+', { default: -1n, ignorable: true }),
              divergingEpoch: field.struct(
                '12+',
                struct('EpochEndOffset', {
                  epoch: field.int32('12+', { default: -1 }),
                  endOffset: field.int64('12+', { default: -1n }),
                }),
                { taggedVersions: '12+', tag: 0 },
              ),
              currentLeader: field.struct(
                '12+',
                struct('LeaderIdAndEpoch', {
                  leaderId: field.int32('12+', { default: -1 }),
                  leaderEpoch: field.int32('12+', { default: -1 }),
                }),
                { taggedVersions: '12+', tag: 1 },
              ),
              snapshotId: field.struct(
                '12+',
                struct('SnapshotId', {
                  endOffset: field.int64('0+', { default: -1n }),
                  epoch: field.int32('0+', { default: -1 }),
                }),
                { taggedVersions: '12+', tag: 2 },
              ),
              abortedTransactions: field.array(
                '4+',
                struct('AbortedTransaction', {
                  producerId: field.int64('4+'),
                  firstOffset: field.int64('4+'),
                }),
                { nullableVersions: '4+', ignorable: true },
              ),
              preferredReadReplica: field.int32('11+', { default: -1, ignorable: false }),
              // May end with a partial batch: the broker slices the log by bytes.
              records: field.records('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
      nodeEndpoints: field.array(
        '16+',
        struct('NodeEndpoint', {
          nodeId: field.int32('16+'),
          host: field.string('16+'),
          port: field.int32('16+'),
          rack: field.string('16+', { nullableVersions: '16+', default: null }),
        }),
        { taggedVersions: '16+', tag: 0 },
      ),
    },
  },
});

export type FetchRequest = MessageValue<typeof Fetch.request>;
export type FetchResponse = MessageValue<typeof Fetch.response>;
