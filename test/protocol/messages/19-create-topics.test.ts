// Golden frames for CreateTopics, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md): classic int16/int32 lengths and counts; flexible versions use
// compact N+1 varints and end every struct with a tag buffer.
import { describe, expect, it } from 'vitest';
import { CreateTopics } from '../../../src/protocol/messages/19-create-topics.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout, uuidOf } from './hex-layout.js';

describe('CreateTopics golden frames', () => {
  it('request v4 (classic)', () => {
    const bytes = hexLayout(`
      00000001                          topics: ARRAY count 1
        0002 7431                       name: STRING "t1"
        00000003                        numPartitions: 3
        ffff                            replicationFactor: -1 (broker default, KIP-464)
        00000000                        assignments: ARRAY count 0
        00000001                        configs: ARRAY count 1
          000e 636c65616e75702e706f6c696379  name: STRING "cleanup.policy" (14 bytes)
          0007 636f6d70616374           value: NULLABLE_STRING "compact"
      00007530                          timeoutMs: 30000
      01                                validateOnly: true
    `);
    const value = {
      topics: [
        {
          name: 't1',
          numPartitions: 3,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      timeoutMs: 30000,
      validateOnly: true,
    };
    const codec = codecFor(CreateTopics.request, 4);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('request v5 (flexible) with a manual assignment and a null config value', () => {
    const bytes = hexLayout(`
      02                                topics: COMPACT_ARRAY 1 element (+1)
        03 7431                         name: COMPACT_STRING "t1" (2 bytes +1)
        ffffffff                        numPartitions: -1 (assignments given)
        ffff                            replicationFactor: -1
        03                              assignments: 2 elements
          00000000                      partitionIndex: 0
          03 00000001 00000002          brokerIds: 2 elements, [1, 2]
          00                            CreatableReplicaAssignment tag buffer
          00000001                      partitionIndex: 1
          03 00000002 00000003          brokerIds: [2, 3]
          00                            tag buffer
        02                              configs: 1 element
          0d 726574656e74696f6e2e6d73   name: "retention.ms" (12 bytes +1)
          00                            value: COMPACT_NULLABLE_STRING 0 = null
          00                            CreatableTopicConfig tag buffer
        00                              CreatableTopic tag buffer
      0000ea60                          timeoutMs: 60000
      00                                validateOnly: false
      00                                request tag buffer
    `);
    const value = {
      topics: [
        {
          name: 't1',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [
            { partitionIndex: 0, brokerIds: [1, 2] },
            { partitionIndex: 1, brokerIds: [2, 3] },
          ],
          configs: [{ name: 'retention.ms', value: null }],
        },
      ],
      timeoutMs: 60000,
      validateOnly: false,
    };
    const codec = codecFor(CreateTopics.request, 5);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('request v0 (classic): validateOnly is absent; timeoutMs defaults to 60000', () => {
    const bytes = hexLayout(`
      00000000                          topics: ARRAY count 0
      0000ea60                          timeoutMs: 60000 (Kafka's default)
    `);
    const codec = codecFor(CreateTopics.request, 0);
    expect(codec.encode({ topics: [] })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ topics: [], timeoutMs: 60000, validateOnly: false });
  });

  it('response v4 (classic): fields from v5 on decode to their Kafka defaults', () => {
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: 0
      00000001                          topics: ARRAY count 1
        0002 7431                       name: "t1"
        0024                            errorCode: 36 TOPIC_ALREADY_EXISTS
        000d 546f7069632065786973747321  errorMessage: NULLABLE_STRING "Topic exists!" (13 bytes)
    `);
    const codec = codecFor(CreateTopics.response, 4);
    expect(codec.decode(bytes)).toEqual({
      throttleTimeMs: 0,
      topics: [
        {
          name: 't1',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          errorCode: 36,
          errorMessage: 'Topic exists!',
          topicConfigErrorCode: 0,
          numPartitions: -1,
          replicationFactor: -1,
          configs: [],
        },
      ],
    });
    expect(codec.encode({ topics: [{ name: 't1', errorCode: 36, errorMessage: 'Topic exists!' }] })).toEqual(
      bytes,
    );
  });

  it('response v7 (flexible): topic id inline, topicConfigErrorCode as tagged field 0', () => {
    const bytes = hexLayout(`
      00000064                          throttleTimeMs: 100
      02                                topics: 1 element
        03 7431                         name: "t1"
        0102030405060708090a0b0c0d0e0f10  topicId: 16 bytes
        0000                            errorCode: 0
        00                              errorMessage: null
        00000003                        numPartitions: 3
        0001                            replicationFactor: 1
        00                              configs: COMPACT_ARRAY 0 = null
        01                              tag buffer: 1 tagged field
          00 02 001d                    tag 0 (topicConfigErrorCode), 2 bytes: 29 TOPIC_AUTHORIZATION_FAILED
      00                                response tag buffer
    `);
    const value = {
      throttleTimeMs: 100,
      topics: [
        {
          name: 't1',
          topicId: uuidOf('0102030405060708090a0b0c0d0e0f10'),
          errorCode: 0,
          errorMessage: null,
          topicConfigErrorCode: 29,
          numPartitions: 3,
          replicationFactor: 1,
          configs: null,
        },
      ],
    };
    const codec = codecFor(CreateTopics.response, 7);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
