// Golden frames for AssignReplicasToDirs (API key 73): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AssignReplicasToDirs } from '../../../src/protocol/messages/73-assign-replicas-to-dirs.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AssignReplicasToDirs golden frames', () => {
  it('AssignReplicasToDirsRequest v0: broker 1 puts partition 0 of a topic in one log directory', () => {
    // Bytes written by kafka-clients 4.1.1's AssignReplicasToDirsRequestData.
    const bytes = hexLayout(`
      00000001                          brokerId: INT32 1
      000000000000002a                  brokerEpoch: INT64 42
      02                                directories.<count>: UNSIGNED_VARINT 1
      000000000000000000000000000000d1  directories[0].id: UUID "AAAAAAAAAAAAAAAAAAAA0Q"
      02                                directories[0].topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  directories[0].topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                directories[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          directories[0].topics[0].partitions[0].partitionIndex: INT32 0
      00                                directories[0].topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                directories[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00                                directories[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 1,
      brokerEpoch: 42n,
      directories: [
        {
          id: 'AAAAAAAAAAAAAAAAAAAA0Q',
          topics: [
            {
              topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
              partitions: [
                {
                  partitionIndex: 0,
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(AssignReplicasToDirs.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AssignReplicasToDirsResponse v0: done', () => {
    // Bytes written by kafka-clients 4.1.1's AssignReplicasToDirsResponseData.
    const bytes = hexLayout(`
      00000000                          throttleTimeMs: INT32 0
      0000                              errorCode: INT16 0
      02                                directories.<count>: UNSIGNED_VARINT 1
      000000000000000000000000000000d1  directories[0].id: UUID "AAAAAAAAAAAAAAAAAAAA0Q"
      02                                directories[0].topics.<count>: UNSIGNED_VARINT 1
      00000000000000000000000000000070  directories[0].topics[0].topicId: UUID "AAAAAAAAAAAAAAAAAAAAcA"
      02                                directories[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                          directories[0].topics[0].partitions[0].partitionIndex: INT32 0
      0000                              directories[0].topics[0].partitions[0].errorCode: INT16 0
      00                                directories[0].topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                                directories[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00                                directories[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      directories: [
        {
          id: 'AAAAAAAAAAAAAAAAAAAA0Q',
          topics: [
            {
              topicId: 'AAAAAAAAAAAAAAAAAAAAcA',
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: 0,
                },
              ],
            },
          ],
        },
      ],
    };
    const codec = codecFor(AssignReplicasToDirs.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
