// Golden frames for StreamsGroupDescribe (API key 89): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { StreamsGroupDescribe } from '../../../src/protocol/messages/89-streams-group-describe.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('StreamsGroupDescribe golden frames', () => {
  it('StreamsGroupDescribeRequest v0: one group', () => {
    // Bytes written by kafka-clients 4.1.1's StreamsGroupDescribeRequestData.
    const bytes = hexLayout(`
      02                      groupIds.<count>: UNSIGNED_VARINT 1
      04617070                groupIds[0]: COMPACT_STRING "app"
      00                      includeAuthorizedOperations: BOOLEAN false
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      groupIds: ['app'],
      includeAuthorizedOperations: false,
    };
    const codec = codecFor(StreamsGroupDescribe.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('StreamsGroupDescribeResponse v0: a group that has no topology yet and no members', () => {
    // Bytes written by kafka-clients 4.1.1's StreamsGroupDescribeResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      groups.<count>: UNSIGNED_VARINT 1
      0000                    groups[0].errorCode: INT16 0
      00                      groups[0].errorMessage: COMPACT_NULLABLE_STRING null
      04617070                groups[0].groupId: COMPACT_STRING "app"
      06456d707479            groups[0].groupState: COMPACT_STRING "Empty"
      00000000                groups[0].groupEpoch: INT32 0
      00000000                groups[0].assignmentEpoch: INT32 0
      ff                      groups[0].topology: INT8 null
      01                      groups[0].members.<count>: UNSIGNED_VARINT 0
      80000000                groups[0].authorizedOperations: INT32 -2147483648
      00                      groups[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          errorMessage: null,
          groupId: 'app',
          groupState: 'Empty',
          groupEpoch: 0,
          assignmentEpoch: 0,
          topology: null,
          members: [],
          authorizedOperations: -2147483648,
        },
      ],
    };
    const codec = codecFor(StreamsGroupDescribe.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
