// Golden frames for DescribeLogDirs (API key 35): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeLogDirs } from '../../../src/protocol/messages/35-describe-log-dirs.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeLogDirs golden frames', () => {
  it('DescribeLogDirsRequest v4: every partition (null topics)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeLogDirsRequestData.
    const bytes = hexLayout(`
      00                      topics: UNSIGNED_VARINT null
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      topics: null,
    };
    const codec = codecFor(DescribeLogDirs.request, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeLogDirsResponse v4: a directory with its sizes (KIP-827)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeLogDirsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      02                      results.<count>: UNSIGNED_VARINT 1
      0000                    results[0].errorCode: INT16 0
      042f6431                results[0].logDir: COMPACT_STRING "/d1"
      02                      results[0].topics.<count>: UNSIGNED_VARINT 1
      0274                    results[0].topics[0].name: COMPACT_STRING "t"
      02                      results[0].topics[0].partitions.<count>: UNSIGNED_VARINT 1
      00000000                results[0].topics[0].partitions[0].partitionIndex: INT32 0
      0000000000000800        results[0].topics[0].partitions[0].partitionSize: INT64 2048
      0000000000000000        results[0].topics[0].partitions[0].offsetLag: INT64 0
      00                      results[0].topics[0].partitions[0].isFutureKey: BOOLEAN false
      00                      results[0].topics[0].partitions[0].<tags>: UNSIGNED_VARINT 0
      00                      results[0].topics[0].<tags>: UNSIGNED_VARINT 0
      00000000000f4240        results[0].totalBytes: INT64 1000000
      000000000007a120        results[0].usableBytes: INT64 500000
      00                      results[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/d1',
          topics: [
            {
              name: 't',
              partitions: [
                {
                  partitionIndex: 0,
                  partitionSize: 2048n,
                  offsetLag: 0n,
                  isFutureKey: false,
                },
              ],
            },
          ],
          totalBytes: 1000000n,
          usableBytes: 500000n,
        },
      ],
    };
    const codec = codecFor(DescribeLogDirs.response, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
