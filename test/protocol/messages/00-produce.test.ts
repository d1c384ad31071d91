// Golden frames for Produce, worked out by hand from the protocol rules (docs/wire-format notes:
// classic int16/int32 lengths, compact N+1 varints and tag buffers in flexible versions).
// The records field is opaque bytes at this layer, so short made-up payloads stand in for batches.
import { describe, expect, it } from 'vitest';
import { Produce } from '../../../src/protocol/messages/00-produce.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { ZERO_UUID } from '../../../src/protocol/schema/defaults.js';
import { hexLayout, uuidOf } from './hex-layout.js';

describe('Produce golden frames', () => {
  it('request v3 (classic)', () => {
    const bytes = hexLayout(`
      ffff                  transactionalId: NULLABLE_STRING length -1 = null
      ffff                  acks: int16 -1 (all in-sync replicas)
      00007530              timeoutMs: int32 30000
      00000001              topicData: ARRAY count 1
        0001 74             name: STRING length 1, "t"
        00000001            partitionData: ARRAY count 1
          00000000          index: int32 0
          00000003 010203   records: NULLABLE_BYTES length 3
    `);
    const value = {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      // topicId (v13+) is not on the wire: it decodes to the zero uuid, and encoding leaves it out.
      topicData: [
        { name: 't', topicId: ZERO_UUID, partitionData: [{ index: 0, records: Buffer.from([1, 2, 3]) }] },
      ],
    };
    const codec = codecFor(Produce.request, 3);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('request v9 (flexible)', () => {
    const bytes = hexLayout(`
      03 7478               transactionalId: COMPACT_NULLABLE_STRING 3 = 2 bytes + 1, "tx"
      0001                  acks: int16 1 (leader only)
      000003e8              timeoutMs: int32 1000
      02                    topicData: COMPACT_ARRAY 2 = 1 element + 1
        02 74               name: COMPACT_STRING "t"
        02                  partitionData: COMPACT_ARRAY 1 element
          00000002          index: int32 2
          00                records: COMPACT_NULLABLE_BYTES 0 = null
          00                PartitionProduceData tag buffer: no tagged fields
        00                  TopicProduceData tag buffer
      00                    request tag buffer
    `);
    const value = {
      transactionalId: 'tx',
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 't', topicId: ZERO_UUID, partitionData: [{ index: 2, records: null }] }],
    };
    const codec = codecFor(Produce.request, 9);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v0 (classic): fields the version lacks decode to Kafka defaults', () => {
    const bytes = hexLayout(`
      00000001              responses: ARRAY count 1
        0001 74             name: "t"
        00000001            partitionResponses: ARRAY count 1
          00000001          index: 1
          0000              errorCode: 0
          000000000000002a  baseOffset: int64 42
    `);
    const codec = codecFor(Produce.response, 0);
    expect(codec.decode(bytes)).toEqual({
      responses: [
        {
          name: 't',
          topicId: ZERO_UUID,
          partitionResponses: [
            {
              index: 1,
              errorCode: 0,
              baseOffset: 42n,
              logAppendTimeMs: -1n,
              logStartOffset: -1n,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [],
    });
    expect(
      codec.encode({ responses: [{ name: 't', partitionResponses: [{ index: 1, baseOffset: 42n }] }] }),
    ).toEqual(bytes);
  });

  it('response v10 (flexible) carries the new leader in tagged fields (KIP-951)', () => {
    const bytes = hexLayout(`
      02                    responses: COMPACT_ARRAY 1 element
        02 74               name: "t"
        02                  partitionResponses: 1 element
          00000000          index: 0
          0006              errorCode: 6 NOT_LEADER_OR_FOLLOWER
          ffffffffffffffff  baseOffset: -1
          ffffffffffffffff  logAppendTimeMs: -1
          ffffffffffffffff  logStartOffset: -1
          01                recordErrors: COMPACT_ARRAY 0 elements
          00                errorMessage: null
          01                tag buffer: 1 tagged field
            00 09           tag 0 (currentLeader), 9 bytes
            00000002        leaderId: 2
            00000005        leaderEpoch: 5
            00              LeaderIdAndEpoch tag buffer
        00                  TopicProduceResponse tag buffer
      00000000              throttleTimeMs: 0
      01                    tag buffer: 1 tagged field
        00 0e               tag 0 (nodeEndpoints), 14 bytes
        02                  COMPACT_ARRAY 1 element
          00000002          nodeId: 2
          03 6232           host: "b2"
          00002384          port: 9092
          00                rack: null
          00                NodeEndpoint tag buffer
    `);
    const value = {
      responses: [
        {
          name: 't',
          topicId: ZERO_UUID,
          partitionResponses: [
            {
              index: 0,
              errorCode: 6,
              baseOffset: -1n,
              logAppendTimeMs: -1n,
              logStartOffset: -1n,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: 2, leaderEpoch: 5 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [{ nodeId: 2, host: 'b2', port: 9092, rack: null }],
    };
    const codec = codecFor(Produce.response, 10);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('refuses a transactional id at v2, which cannot carry it (not ignorable)', () => {
    expect(() =>
      codecFor(Produce.request, 2).encode({ transactionalId: 'tx', acks: 1, timeoutMs: 1 }),
    ).toThrow(/transactionalId/);
  });

  it('request v13 names the topic by id (KIP-516); the name, now ignorable, is dropped', () => {
    const bytes = hexLayout(`
      00                    transactionalId: COMPACT_NULLABLE_STRING null
      ffff                  acks: -1
      00007530              timeoutMs: 30000
      02                    topicData: COMPACT_ARRAY 1 element
        000102030405060708090a0b0c0d0e0f  topicId: uuid (v13+), where v0-12 had the name
        02                  partitionData: 1 element
          00000000          index: 0
          04 010203         records: COMPACT_NULLABLE_BYTES 3 bytes (+1)
          00                PartitionProduceData tag buffer
        00                  TopicProduceData tag buffer
      00                    request tag buffer
    `);
    const topicId = uuidOf('000102030405060708090a0b0c0d0e0f');
    const partitionData = [{ index: 0, records: Buffer.from([1, 2, 3]) }];
    const codec = codecFor(Produce.request, 13);
    expect(
      codec.encode({
        transactionalId: null,
        acks: -1,
        timeoutMs: 30000,
        topicData: [{ name: 't', topicId, partitionData }],
      }),
    ).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: '', topicId, partitionData }], // name: absent at v13, so its default ""
    });
    // v12 has v11's bytes: the name again, and the id dropped (ignorable too).
    const v12 = codecFor(Produce.request, 12).encode({
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 't', topicId, partitionData }],
    });
    expect(v12).toEqual(
      codecFor(Produce.request, 11).encode({
        transactionalId: null,
        acks: -1,
        timeoutMs: 30000,
        topicData: [{ name: 't', partitionData }],
      }),
    );
  });

  it('response v13: a partition of an unknown topic id (UNKNOWN_TOPIC_ID)', () => {
    const bytes = hexLayout(`
      02                    responses: 1 element
        000102030405060708090a0b0c0d0e0f  topicId (v13+)
        02                  partitionResponses: 1 element
          00000003          index: 3
          0064              errorCode: 100 UNKNOWN_TOPIC_ID
          ffffffffffffffff  baseOffset: -1
          ffffffffffffffff  logAppendTimeMs: -1
          ffffffffffffffff  logStartOffset: -1
          01                recordErrors: 0 elements
          00                errorMessage: null
          00                PartitionProduceResponse tag buffer (currentLeader at its default: left out)
        00                  TopicProduceResponse tag buffer
      00000000              throttleTimeMs: 0
      00                    response tag buffer
    `);
    const value = {
      responses: [
        {
          name: '',
          topicId: uuidOf('000102030405060708090a0b0c0d0e0f'),
          partitionResponses: [
            {
              index: 3,
              errorCode: 100,
              baseOffset: -1n,
              logAppendTimeMs: -1n,
              logStartOffset: -1n,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [],
    };
    const codec = codecFor(Produce.response, 13);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
