// Golden frames for AlterReplicaLogDirs (API key 34): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterReplicaLogDirs } from '../../../src/protocol/messages/34-alter-replica-log-dirs.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterReplicaLogDirs golden frames', () => {
  it('AlterReplicaLogDirsRequest v2: move a partition to another directory', () => {
    // Bytes written by kafka-clients 4.1.1's AlterReplicaLogDirsRequestData.
    const bytes = hexLayout(`
      02                      dirs.<count>: UNSIGNED_VARINT 1
      042f6432                dirs[0].path: COMPACT_STRING "/d2"
      02                      dirs[0].topics.<count>: UNSIGNED_VARINT 1
      0274                    dirs[0].topics[0].name: COMPACT_STRING "t"
      02                      dirs[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                dirs[0].topics[0].partitions[0]: INT32 0
      00                      dirs[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00                      dirs[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      dirs: [
        {
          path: '/d2',
          topics: [
            {
              name: 't',
              partitions: [0],
            },
          ],
        },
      ],
    };
    const codec = codecFor(AlterReplicaLogDirs.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterReplicaLogDirsResponse v1: KAFKA_STORAGE_ERROR (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's AlterReplicaLogDirsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      00000001                results.<count>: INT32 1
      000174                  results[0].topicName: STRING "t"
      00000001                results[0].partitions.<count>: INT32 1
      00000000                results[0].partitions[0].partitionIndex: INT32 0
      0038                    results[0].partitions[0].errorCode: INT16 56
    `);
    const value = {
      throttleTimeMs: 0,
      results: [
        {
          topicName: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 56,
            },
          ],
        },
      ],
    };
    const codec = codecFor(AlterReplicaLogDirs.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
