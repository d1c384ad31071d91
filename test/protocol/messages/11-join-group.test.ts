// Golden frames for JoinGroup, worked out by hand from the protocol rules: v5 (classic, static
// member) and v7 (flexible, the leader's response with every member's metadata). The request's
// protocol metadata is a real consumer subscription (consumer-protocol.ts), spelled out byte by byte.
import { describe, expect, it } from 'vitest';
import { JoinGroup } from '../../../src/protocol/messages/11-join-group.js';
import { decodeSubscription } from '../../../src/protocol/messages/consumer-protocol.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

const subscriptionV0 = hexLayout(`
  0000                  consumer protocol version 0
  00000001              topics: ARRAY count 1
    0001 74             "t"
  ffffffff              userData: null
`);

describe('JoinGroup golden frames', () => {
  it('request v5 (classic)', () => {
    const bytes = hexLayout(`
      0001 67               groupId: "g"
      00002710              sessionTimeoutMs: 10000
      000493e0              rebalanceTimeoutMs: 300000
      0000                  memberId: "" (first join)
      0001 69               groupInstanceId: NULLABLE_STRING "i"
      0008 636f6e73756d6572  protocolType: "consumer"
      00000001              protocols: ARRAY count 1
        0005 72616e6765     name: "range"
        0000000d            metadata: BYTES length 13
        0000 00000001 000174 ffffffff  the subscription above
    `);
    const value = {
      groupId: 'g',
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: 300000,
      memberId: '',
      groupInstanceId: 'i',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: subscriptionV0 }],
      reason: null,
    };
    const codec = codecFor(JoinGroup.request, 5);
    expect(codec.encode(value)).toEqual(bytes);
    const decoded = codec.decode(bytes);
    expect(decoded).toEqual(value);
    expect(decodeSubscription(decoded.protocols[0].metadata).value.topics).toEqual(['t']);
  });

  it('response v7 (flexible, sent to the leader)', () => {
    const bytes = hexLayout(`
      00000000              throttleTimeMs: 0
      0000                  errorCode: 0
      00000003              generationId: 3
      09 636f6e73756d6572   protocolType: COMPACT_NULLABLE_STRING "consumer" (8 + 1)
      06 72616e6765         protocolName: "range"
      03 6d31               leader: "m1"
      03 6d31               memberId: "m1"
      02                    members: COMPACT_ARRAY 1 element
        03 6d31             memberId: "m1"
        00                  groupInstanceId: null
        03 0102             metadata: COMPACT_BYTES 2 bytes + 1
        00                  JoinGroupResponseMember tag buffer
      00                    tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 3,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: 'm1',
      skipAssignment: false,
      memberId: 'm1',
      members: [{ memberId: 'm1', groupInstanceId: null, metadata: Buffer.from([1, 2]) }],
    };
    const codec = codecFor(JoinGroup.response, 7);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('protocolName may be null only from v7', () => {
    expect(() => codecFor(JoinGroup.response, 6).encode({ protocolName: null })).toThrow(/protocolName/);
    expect(
      codecFor(JoinGroup.response, 7).decode(codecFor(JoinGroup.response, 7).encode({ protocolName: null })),
    ).toMatchObject({ protocolName: null });
  });
});
