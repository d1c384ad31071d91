// Golden frames for ConsumerGroupHeartbeat (KIP-848), worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md). Every version is flexible; these frames use v0 (v1, stable in
// kafka-clients 4.1.1, only adds subscribedTopicRegex; the oracle checks it).
import { describe, expect, it } from 'vitest';
import { ConsumerGroupHeartbeat } from '../../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout, uuidOf } from './hex-layout.js';

const TOPIC = '0102030405060708090a0b0c0d0e0f10';

describe('ConsumerGroupHeartbeat golden frames', () => {
  it('request v0: a member joining (epoch 0) with nulls for what it does not set', () => {
    const bytes = hexLayout(`
      02 67                     groupId: "g"
      01                        memberId: "" (the coordinator assigns it)
      00000000                  memberEpoch: 0 = join
      00                        instanceId: null
      00                        rackId: null
      000493e0                  rebalanceTimeoutMs: 300000
      02 02 74                  subscribedTopicNames: 1 element, "t"
      08 756e69666f726d         serverAssignor: "uniform" (7 bytes +1)
      01                        topicPartitions: 0 elements (owns nothing yet)
      00                        tag buffer
    `);
    const value = {
      groupId: 'g',
      memberId: '',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 300000,
      subscribedTopicNames: ['t'],
      serverAssignor: 'uniform',
      topicPartitions: [],
    };
    const codec = codecFor(ConsumerGroupHeartbeat.request, 0);
    expect(codec.encode(value)).toEqual(bytes);
    // subscribedTopicRegex is v1+; it decodes to its declared default, null.
    expect(codec.decode(bytes)).toEqual({ ...value, subscribedTopicRegex: null });
  });

  it('response v0: an assignment as a nullable struct (int8 presence byte)', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      0000                      errorCode: 0
      00                        errorMessage: null
      03 6d31                   memberId: "m1"
      00000001                  memberEpoch: 1
      00001388                  heartbeatIntervalMs: 5000
      01                        assignment: present
        02                      topicPartitions: 1 element
          0102030405060708090a0b0c0d0e0f10  topicId
          03 00000000 00000001  partitions: [0, 1]
          00                    TopicPartitions tag buffer
        00                      Assignment tag buffer
      00                        response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'm1',
      memberEpoch: 1,
      heartbeatIntervalMs: 5000,
      assignment: { topicPartitions: [{ topicId: uuidOf(TOPIC), partitions: [0, 1] }] },
    };
    const codec = codecFor(ConsumerGroupHeartbeat.response, 0);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v0: a null assignment is the single byte ff', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      0019                      errorCode: 25 UNKNOWN_MEMBER_ID
      00                        errorMessage: null
      00                        memberId: null
      ffffffff                  memberEpoch: -1
      00000000                  heartbeatIntervalMs: 0
      ff                        assignment: int8 -1 = null
      00                        response tag buffer
    `);
    const codec = codecFor(ConsumerGroupHeartbeat.response, 0);
    const value = {
      throttleTimeMs: 0,
      errorCode: 25,
      errorMessage: null,
      memberId: null,
      memberEpoch: -1,
      heartbeatIntervalMs: 0,
      assignment: null,
    };
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
