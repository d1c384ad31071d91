// Golden frames for UpdateRaftVoter (API key 82): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { UpdateRaftVoter } from '../../../src/protocol/messages/82-update-raft-voter.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('UpdateRaftVoter golden frames', () => {
  it('UpdateRaftVoterRequest v0: voter 3000 reports its endpoint and kraft.version 0-1', () => {
    // Bytes written by kafka-clients 4.1.1's UpdateRaftVoterRequestData.
    const bytes = hexLayout(`
      174d6b55334f4556424e5463774e544a 454e444d325167  clusterId: COMPACT_NULLABLE_STRING "MkU3OEVBNTcwNTJENDM2Qg"
      00000004                                         currentLeaderEpoch: INT32 4
      00000bb8                                         voterId: INT32 3000
      000000000000000000000000000000d1                 voterDirectoryId: UUID "AAAAAAAAAAAAAAAAAAAA0Q"
      02                                               listeners.<count>: UNSIGNED_VARINT 1
      0b434f4e54524f4c4c4552                           listeners[0].name: COMPACT_STRING "CONTROLLER"
      0a6c6f63616c686f7374                             listeners[0].host: COMPACT_STRING "localhost"
      2385                                             listeners[0].port: UINT16 9093
      00                                               listeners[0].<tags>: UNSIGNED_VARINT 0
      0000                                             kRaftVersionFeature.minSupportedVersion: INT16 0
      0001                                             kRaftVersionFeature.maxSupportedVersion: INT16 1
      00                                               kRaftVersionFeature.<tags>: UNSIGNED_VARINT 0
      00                                               <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
      currentLeaderEpoch: 4,
      voterId: 3000,
      voterDirectoryId: 'AAAAAAAAAAAAAAAAAAAA0Q',
      listeners: [
        {
          name: 'CONTROLLER',
          host: 'localhost',
          port: 9093,
        },
      ],
      kRaftVersionFeature: {
        minSupportedVersion: 0,
        maxSupportedVersion: 1,
      },
    };
    const codec = codecFor(UpdateRaftVoter.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('UpdateRaftVoterResponse v0: the current leader as a tagged field', () => {
    // Bytes written by kafka-clients 4.1.1's UpdateRaftVoterResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      01                      <tags>: UNSIGNED_VARINT 1
      0017                    <tags>: TAGGED_FIELD
      00000bb9                currentLeader.leaderId: INT32 3001
      00000004                currentLeader.leaderEpoch: INT32 4
      0a6c6f63616c686f7374    currentLeader.host: COMPACT_STRING "localhost"
      00002386                currentLeader.port: INT32 9094
      00                      currentLeader.<tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      currentLeader: {
        leaderId: 3001,
        leaderEpoch: 4,
        host: 'localhost',
        port: 9094,
      },
    };
    const codec = codecFor(UpdateRaftVoter.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
