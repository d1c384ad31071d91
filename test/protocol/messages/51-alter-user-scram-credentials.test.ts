// Golden frames for AlterUserScramCredentials (API key 51): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterUserScramCredentials } from '../../../src/protocol/messages/51-alter-user-scram-credentials.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterUserScramCredentials golden frames', () => {
  it('AlterUserScramCredentialsRequest v0: one credential added, one removed', () => {
    // Bytes written by kafka-clients 4.1.1's AlterUserScramCredentialsRequestData.
    const bytes = hexLayout(`
      02                      deletions.<count>: UNSIGNED_VARINT 1
      04626f62                deletions[0].name: COMPACT_STRING "bob"
      02                      deletions[0].mechanism: INT8 2
      00                      deletions[0].<tags>: UNSIGNED_VARINT 0
      02                      upsertions.<count>: UNSIGNED_VARINT 1
      06616c696365            upsertions[0].name: COMPACT_STRING "alice"
      01                      upsertions[0].mechanism: INT8 1
      00002000                upsertions[0].iterations: INT32 8192
      0573616c74              upsertions[0].salt: COMPACT_BYTES "salt" (4 B)
      030102                  upsertions[0].saltedPassword: COMPACT_BYTES 0x0102 (2 B)
      00                      upsertions[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      deletions: [
        {
          name: 'bob',
          mechanism: 2,
        },
      ],
      upsertions: [
        {
          name: 'alice',
          mechanism: 1,
          iterations: 8192,
          salt: Buffer.from('73616c74', 'hex'),
          saltedPassword: Buffer.from('0102', 'hex'),
        },
      ],
    };
    const codec = codecFor(AlterUserScramCredentials.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterUserScramCredentialsResponse v0: both done', () => {
    // Bytes written by kafka-clients 4.1.1's AlterUserScramCredentialsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      03                      results.<count>: UNSIGNED_VARINT 2
      04626f62                results[0].user: COMPACT_STRING "bob"
      0000                    results[0].errorCode: INT16 0
      00                      results[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                      results[0].<tags>: UNSIGNED_VARINT 0
      06616c696365            results[1].user: COMPACT_STRING "alice"
      0000                    results[1].errorCode: INT16 0
      00                      results[1].errorMessage: COMPACT_NULLABLE_STRING null
      00                      results[1].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      results: [
        {
          user: 'bob',
          errorCode: 0,
          errorMessage: null,
        },
        {
          user: 'alice',
          errorCode: 0,
          errorMessage: null,
        },
      ],
    };
    const codec = codecFor(AlterUserScramCredentials.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
