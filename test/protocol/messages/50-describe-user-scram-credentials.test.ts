// Golden frames for DescribeUserScramCredentials (API key 50): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeUserScramCredentials } from '../../../src/protocol/messages/50-describe-user-scram-credentials.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeUserScramCredentials golden frames', () => {
  it('DescribeUserScramCredentialsRequest v0: one user', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeUserScramCredentialsRequestData.
    const bytes = hexLayout(`
      02                      users.<count>: UNSIGNED_VARINT 1
      06616c696365            users[0].name: COMPACT_STRING "alice"
      00                      users[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      users: [
        {
          name: 'alice',
        },
      ],
    };
    const codec = codecFor(DescribeUserScramCredentials.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeUserScramCredentialsResponse v0: SCRAM-SHA-256 with 4096 iterations', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeUserScramCredentialsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      02                      results.<count>: UNSIGNED_VARINT 1
      06616c696365            results[0].user: COMPACT_STRING "alice"
      0000                    results[0].errorCode: INT16 0
      00                      results[0].errorMessage: COMPACT_NULLABLE_STRING null
      02                      results[0].credentialInfos.<count>: UNSIGNED_VARINT 1
      01                      results[0].credentialInfos[0].mechanism: INT8 1
      00001000                results[0].credentialInfos[0].iterations: INT32 4096
      00                      results[0].credentialInfos[0].<tags>: UNSIGNED_VARINT 0
      00                      results[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      results: [
        {
          user: 'alice',
          errorCode: 0,
          errorMessage: null,
          credentialInfos: [
            {
              mechanism: 1,
              iterations: 4096,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeUserScramCredentials.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
