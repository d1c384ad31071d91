// Golden frames for Fetch, worked out by hand from the protocol rules (classic int16/int32 lengths;
// compact N+1 varints, tag buffers and tagged fields in flexible versions). Records are opaque bytes
// at this layer, so short made-up payloads stand in for record batches.
import { describe, expect, it } from 'vitest';
import { Fetch } from '../../../src/protocol/messages/01-fetch.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { ZERO_UUID } from '../../../src/protocol/schema/defaults.js';
import { hexLayout, uuidOf } from './hex-layout.js';

/** FetchPartition.highWatermark's default (KIP-1166: "the feature is not supported"). */
const INT64_MAX = 9223372036854775807n;

describe('Fetch golden frames', () => {
  it('request v4 (classic, read_committed consumer)', () => {
    const bytes = hexLayout(`
      ffffffff              replicaId: -1 (a consumer)
      000001f4              maxWaitMs: 500
      00000001              minBytes: 1
      03200000              maxBytes: 52428800
      01                    isolationLevel: 1 READ_COMMITTED
      00000001              topics: ARRAY count 1
        0001 74             topic: STRING "t"
        00000001            partitions: ARRAY count 1
          00000000          partition: 0
          000000000000000a  fetchOffset: int64 10
          00100000          partitionMaxBytes: 1048576
    `);
    const codec = codecFor(Fetch.request, 4);
    const sent = {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 10n, partitionMaxBytes: 1048576 }] }],
    };
    expect(codec.encode(sent)).toEqual(bytes);
    // Everything v4 lacks decodes to Kafka's defaults.
    expect(codec.decode(bytes)).toEqual({
      clusterId: null,
      replicaId: -1,
      replicaState: { replicaId: -1, replicaEpoch: -1n },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 10n,
              lastFetchedEpoch: -1,
              logStartOffset: -1n,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: ZERO_UUID,
              highWatermark: INT64_MAX, // v18's tagged field, absent: Kafka's default
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
  });

  it('request v15 (flexible, a follower: topic ids and the tagged ReplicaState of KIP-903)', () => {
    const bytes = hexLayout(`
      000001f4              maxWaitMs: 500
      00000001              minBytes: 1
      7fffffff              maxBytes: 2147483647
      00                    isolationLevel: 0
      00000000              sessionId: 0
      ffffffff              sessionEpoch: -1
      02                    topics: COMPACT_ARRAY 1 element
        000102030405060708090a0b0c0d0e0f  topicId: 16-byte uuid (no name from v13)
        02                  partitions: 1 element
          00000001          partition: 1
          00000004          currentLeaderEpoch: 4
          0000000000000064  fetchOffset: 100
          00000003          lastFetchedEpoch: 3
          0000000000000000  logStartOffset: 0
          00100000          partitionMaxBytes: 1048576
          00                FetchPartition tag buffer (replicaDirectoryId is v17+)
        00                  FetchTopic tag buffer
      01                    forgottenTopicsData: COMPACT_ARRAY 0 elements
      01                    rackId: COMPACT_STRING "" (0 + 1)
      02                    tag buffer: 2 tagged fields, in tag order
        00 02               tag 0 (clusterId), 2 bytes
          02 63             COMPACT_NULLABLE_STRING "c"
        01 0d               tag 1 (replicaState), 13 bytes
          00000002          replicaId: 2
          0000000000000007  replicaEpoch: 7
          00                ReplicaState tag buffer
    `);
    const value = {
      clusterId: 'c',
      replicaId: -1,
      replicaState: { replicaId: 2, replicaEpoch: 7n },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 0x7fffffff,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: '',
          topicId: uuidOf('000102030405060708090a0b0c0d0e0f'),
          partitions: [
            {
              partition: 1,
              currentLeaderEpoch: 4,
              fetchOffset: 100n,
              lastFetchedEpoch: 3,
              logStartOffset: 0n,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: ZERO_UUID,
              highWatermark: INT64_MAX, // v18's tagged field, absent: Kafka's default
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const codec = codecFor(Fetch.request, 15);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v4 (classic, with an aborted transaction)', () => {
    const bytes = hexLayout(`
      00000000              throttleTimeMs: 0
      00000001              responses: ARRAY count 1
        0001 74             topic: "t"
        00000001            partitions: ARRAY count 1
          00000000          partitionIndex: 0
          0000              errorCode: 0
          0000000000000005  highWatermark: 5
          0000000000000005  lastStableOffset: 5
          00000001          abortedTransactions: ARRAY count 1
            0000000000000009  producerId: 9
            0000000000000002  firstOffset: 2
          ffffffff          records: NULLABLE_BYTES -1 = null
    `);
    const codec = codecFor(Fetch.response, 4);
    const decoded = codec.decode(bytes);
    expect(decoded).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 5n,
              lastStableOffset: 5n,
              logStartOffset: -1n,
              divergingEpoch: { epoch: -1, endOffset: -1n },
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
              snapshotId: { endOffset: -1n, epoch: -1 },
              abortedTransactions: [{ producerId: 9n, firstOffset: 2n }],
              preferredReadReplica: -1,
              records: null,
            },
          ],
        },
      ],
      nodeEndpoints: [],
    });
    expect(codec.encode(decoded)).toEqual(bytes);
  });

  it('response v12 (flexible, with a diverging epoch in a tagged field)', () => {
    const bytes = hexLayout(`
      00000000              throttleTimeMs: 0
      0000                  errorCode: 0
      00000000              sessionId: 0
      02                    responses: COMPACT_ARRAY 1 element
        02 74               topic: "t" (v12 is the last version with names)
        02                  partitions: 1 element
          00000000          partitionIndex: 0
          0000              errorCode: 0
          0000000000000064  highWatermark: 100
          0000000000000064  lastStableOffset: 100
          0000000000000000  logStartOffset: 0
          00                abortedTransactions: COMPACT_ARRAY 0 = null
          ffffffff          preferredReadReplica: -1
          04 010203         records: COMPACT_RECORDS 3 bytes + 1
          01                tag buffer: 1 tagged field
            00 0d           tag 0 (divergingEpoch), 13 bytes
              00000002      epoch: 2
              0000000000000032  endOffset: 50
              00            EpochEndOffset tag buffer
        00                  FetchableTopicResponse tag buffer
      00                    response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          topicId: ZERO_UUID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 100n,
              lastStableOffset: 100n,
              logStartOffset: 0n,
              divergingEpoch: { epoch: 2, endOffset: 50n },
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
              snapshotId: { endOffset: -1n, epoch: -1 },
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: Buffer.from([1, 2, 3]),
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
    const codec = codecFor(Fetch.response, 12);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('refuses a lastFetchedEpoch at v11, which cannot carry it (Kafka marks it not ignorable)', () => {
    const codec = codecFor(Fetch.request, 11);
    const request = (lastFetchedEpoch: number) => ({
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 0n, lastFetchedEpoch }] }],
    });
    expect(() => codec.encode(request(3))).toThrow(/lastFetchedEpoch/);
    expect(() => codec.encode(request(-1))).not.toThrow();
  });

  it('request v18 (KIP-1166): a follower sends the high watermark it knows, tagged per partition', () => {
    const bytes = hexLayout(`
      000001f4              maxWaitMs: 500
      00000001              minBytes: 1
      7fffffff              maxBytes: INT32_MAX
      00                    isolationLevel: 0
      00000000              sessionId: 0
      ffffffff              sessionEpoch: -1
      02                    topics: 1 element
        000102030405060708090a0b0c0d0e0f  topicId
        02                  partitions: 1 element
          00000000          partition: 0
          00000003          currentLeaderEpoch: 3
          0000000000000064  fetchOffset: 100
          00000002          lastFetchedEpoch: 2
          0000000000000000  logStartOffset: 0
          00100000          partitionMaxBytes: 1048576
          01                FetchPartition tag buffer: 1 tagged field
            01 08           tag 1 (highWatermark, v18+), 8 bytes
            0000000000000062  highWatermark: int64 98
        00                  FetchTopic tag buffer
      01                    forgottenTopicsData: 0 elements
      01                    rackId: COMPACT_STRING ""
      01                    request tag buffer: 1 tagged field (clusterId at its default null: left out)
        01 0d               tag 1 (replicaState), 13 bytes
        00000002            replicaId: 2
        0000000000000007    replicaEpoch: 7
        00                  ReplicaState tag buffer
    `);
    const value = {
      clusterId: null,
      replicaId: -1,
      replicaState: { replicaId: 2, replicaEpoch: 7n },
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 0x7fffffff,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: '',
          topicId: uuidOf('000102030405060708090a0b0c0d0e0f'),
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: 3,
              fetchOffset: 100n,
              lastFetchedEpoch: 2,
              logStartOffset: 0n,
              partitionMaxBytes: 1048576,
              replicaDirectoryId: ZERO_UUID,
              highWatermark: 98n,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const codec = codecFor(Fetch.request, 18);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
    // v17 cannot carry it; ignorable, so it is dropped: 10 bytes less (tag, size, 8-byte value; the
    // tag count stays one byte, 01 → 00). And v18 with the default (not written) has v17's bytes.
    const v17 = codecFor(Fetch.request, 17).encode(value);
    expect(v17.length).toBe(bytes.length - 10);
    expect(
      codecFor(Fetch.request, 18).encode({
        ...value,
        topics: [
          {
            ...value.topics[0],
            partitions: [{ ...value.topics[0].partitions[0], highWatermark: INT64_MAX }],
          },
        ],
      }),
    ).toEqual(v17);
  });
});
