// Golden frames for SyncGroup, worked out by hand from the protocol rules: v3 (classic, the leader
// sends a consumer assignment) and v5 (flexible, the member's answer with protocol type and name).
import { describe, expect, it } from 'vitest';
import { SyncGroup } from '../../../src/protocol/messages/14-sync-group.js';
import { decodeAssignment } from '../../../src/protocol/messages/consumer-protocol.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('SyncGroup golden frames', () => {
  it('request v3 (classic, from the leader)', () => {
    const assignment = hexLayout(`
      0000                  consumer protocol version 0
      00000001              assignedPartitions: ARRAY count 1
        0001 74             topic: "t"
        00000001            partitions: ARRAY count 1
        00000000            0
      ffffffff              userData: null
    `);
    const bytes = hexLayout(`
      0001 67               groupId: "g"
      00000003              generationId: 3
      0002 6d31             memberId: "m1"
      ffff                  groupInstanceId: null
      00000001              assignments: ARRAY count 1
        0002 6d31           memberId: "m1"
        00000015            assignment: BYTES length 21
        0000 00000001 000174 00000001 00000000 ffffffff  the assignment above
    `);
    const value = {
      groupId: 'g',
      generationId: 3,
      memberId: 'm1',
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: 'm1', assignment }],
    };
    const codec = codecFor(SyncGroup.request, 3);
    expect(codec.encode(value)).toEqual(bytes);
    const decoded = codec.decode(bytes);
    expect(decoded).toEqual(value);
    expect(decodeAssignment(decoded.assignments[0].assignment).value.assignedPartitions).toEqual([
      { topic: 't', partitions: [0] },
    ]);
  });

  it('response v5 (flexible)', () => {
    const bytes = hexLayout(`
      00000000              throttleTimeMs: 0
      0000                  errorCode: 0
      09 636f6e73756d6572   protocolType: "consumer"
      06 72616e6765         protocolName: "range"
      02 ab                 assignment: COMPACT_BYTES 1 byte + 1
      00                    tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment: Buffer.from([0xab]),
    };
    const codec = codecFor(SyncGroup.response, 5);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
