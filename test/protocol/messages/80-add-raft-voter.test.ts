// Golden frames for AddRaftVoter (API key 80): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AddRaftVoter } from '../../../src/protocol/messages/80-add-raft-voter.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AddRaftVoter golden frames', () => {
  it('AddRaftVoterRequest v0: add controller 3002 with its CONTROLLER endpoint', () => {
    // Bytes written by kafka-clients 4.1.1's AddRaftVoterRequestData.
    const bytes = hexLayout(`
      174d6b55334f4556424e5463774e544a 454e444d325167  clusterId: COMPACT_NULLABLE_STRING "MkU3OEVBNTcwNTJENDM2Qg"
      00007530                                         timeoutMs: INT32 30000
      00000bba                                         voterId: INT32 3002
      000000000000000000000000000000d3                 voterDirectoryId: UUID "AAAAAAAAAAAAAAAAAAAA0w"
      02                                               listeners.<count>: UNSIGNED_VARINT 1
      0b434f4e54524f4c4c4552                           listeners[0].name: COMPACT_STRING "CONTROLLER"
      0a6c6f63616c686f7374                             listeners[0].host: COMPACT_STRING "localhost"
      2387                                             listeners[0].port: UINT16 9095
      00                                               listeners[0].<tags>: UNSIGNED_VARINT 0
      00                                               <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
      timeoutMs: 30000,
      voterId: 3002,
      voterDirectoryId: 'AAAAAAAAAAAAAAAAAAAA0w',
      listeners: [
        {
          name: 'CONTROLLER',
          host: 'localhost',
          port: 9095,
        },
      ],
    };
    const codec = codecFor(AddRaftVoter.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AddRaftVoterResponse v0: added', () => {
    // Bytes written by kafka-clients 4.1.1's AddRaftVoterResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
    };
    const codec = codecFor(AddRaftVoter.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
