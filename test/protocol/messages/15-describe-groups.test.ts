// Golden frames for DescribeGroups, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md).
import { describe, expect, it } from 'vitest';
import { DescribeGroups } from '../../../src/protocol/messages/15-describe-groups.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeGroups golden frames', () => {
  it('request v0 (classic)', () => {
    const bytes = hexLayout(`
      00000001                  groups: ARRAY count 1
        0001 67                 STRING "g"
    `);
    const codec = codecFor(DescribeGroups.request, 0);
    expect(codec.encode({ groups: ['g'] })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({ groups: ['g'], includeAuthorizedOperations: false });
  });

  it('request v5 (flexible)', () => {
    const bytes = hexLayout(`
      02 02 67                  groups: COMPACT_ARRAY 1 element, COMPACT_STRING "g"
      01                        includeAuthorizedOperations: true
      00                        tag buffer
    `);
    const value = { groups: ['g'], includeAuthorizedOperations: true };
    const codec = codecFor(DescribeGroups.request, 5);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v4 (classic): a Stable group with one member without group.instance.id', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      00000001                  groups: ARRAY count 1
        0000                    errorCode: 0
        0001 67                 groupId: "g"
        0006 537461626c65       groupState: "Stable"
        0008 636f6e73756d6572   protocolType: "consumer"
        0005 72616e6765         protocolData: "range" (the chosen assignor)
        00000001                members: ARRAY count 1
          0001 6d               memberId: "m"
          ffff                  groupInstanceId: null (v4+, KIP-345)
          0001 63               clientId: "c"
          000a 2f3132372e302e302e31  clientHost: "/127.0.0.1" (10 bytes)
          00000002 0001         memberMetadata: BYTES length 2
          00000000              memberAssignment: BYTES length 0
        80000000                authorizedOperations: INT32_MIN (not requested)
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          errorMessage: null, // v6+: absent, so null
          groupId: 'g',
          groupState: 'Stable',
          protocolType: 'consumer',
          protocolData: 'range',
          members: [
            {
              memberId: 'm',
              groupInstanceId: null,
              clientId: 'c',
              clientHost: '/127.0.0.1',
              memberMetadata: Buffer.from([0, 1]),
              memberAssignment: Buffer.alloc(0),
            },
          ],
          authorizedOperations: -2147483648,
        },
      ],
    };
    const codec = codecFor(DescribeGroups.response, 4);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v5 (flexible): NOT_COORDINATOR with empty strings', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      02                        groups: 1 element
        0010                    errorCode: 16 NOT_COORDINATOR
        02 67                   groupId: "g"
        01                      groupState: "" (0 bytes +1)
        01                      protocolType: ""
        01                      protocolData: ""
        01                      members: 0 elements
        00000108                authorizedOperations: bits 3 and 8 (READ, DESCRIBE)
        00                      DescribedGroup tag buffer
      00                        response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 16,
          errorMessage: null, // v6+: absent, so null
          groupId: 'g',
          groupState: '',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: 0x108,
        },
      ],
    };
    const codec = codecFor(DescribeGroups.response, 5);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v6 (KIP-1043): an unknown group is GROUP_ID_NOT_FOUND with a message', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      02                        groups: 1 element
        0045                    errorCode: 69 GROUP_ID_NOT_FOUND
        04 6e6f21               errorMessage: COMPACT_NULLABLE_STRING "no!" (3 bytes +1)
        02 67                   groupId: "g"
        05 44656164             groupState: "Dead"
        01                      protocolType: ""
        01                      protocolData: ""
        01                      members: 0 elements
        80000000                authorizedOperations: INT32_MIN, not requested
        00                      DescribedGroup tag buffer
      00                        response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 69,
          errorMessage: 'no!',
          groupId: 'g',
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: -2147483648,
        },
      ],
    };
    const codec = codecFor(DescribeGroups.response, 6);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
    // v5 cannot carry the message; it is not ignorable in Kafka's JSON, so a set one is refused.
    expect(() => codecFor(DescribeGroups.response, 5).encode(value)).toThrow(/errorMessage/);
  });
});
