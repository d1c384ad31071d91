// Golden frames for RemoveRaftVoter (API key 81): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { RemoveRaftVoter } from '../../../src/protocol/messages/81-remove-raft-voter.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('RemoveRaftVoter golden frames', () => {
  it('RemoveRaftVoterRequest v0: remove voter 3002', () => {
    // Bytes written by kafka-clients 4.1.1's RemoveRaftVoterRequestData.
    const bytes = hexLayout(`
      00                                clusterId: COMPACT_NULLABLE_STRING null
      00000bba                          voterId: INT32 3002
      000000000000000000000000000000d3  voterDirectoryId: UUID "AAAAAAAAAAAAAAAAAAAA0w"
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clusterId: null,
      voterId: 3002,
      voterDirectoryId: 'AAAAAAAAAAAAAAAAAAAA0w',
    };
    const codec = codecFor(RemoveRaftVoter.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('RemoveRaftVoterResponse v0: removed, with a message', () => {
    // Bytes written by kafka-clients 4.1.1's RemoveRaftVoterResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      0872656d6f766564        errorMessage: COMPACT_NULLABLE_STRING "removed"
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: 'removed',
    };
    const codec = codecFor(RemoveRaftVoter.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
