// Golden frames for DescribeDelegationToken (API key 41): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeDelegationToken } from '../../../src/protocol/messages/41-describe-delegation-token.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeDelegationToken golden frames', () => {
  it('DescribeDelegationTokenRequest v2: every token the caller may see', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeDelegationTokenRequestData.
    const bytes = hexLayout(`
      00                      owners: UNSIGNED_VARINT null
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      owners: null,
    };
    const codec = codecFor(DescribeDelegationToken.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeDelegationTokenResponse v3: one token with its requester (KIP-373)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeDelegationTokenResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      02                      tokens.<count>: UNSIGNED_VARINT 1
      0555736572              tokens[0].principalType: COMPACT_STRING "User"
      066361726f6c            tokens[0].principalName: COMPACT_STRING "carol"
      0555736572              tokens[0].tokenRequesterPrincipalType: COMPACT_STRING "User"
      06616c696365            tokens[0].tokenRequesterPrincipalName: COMPACT_STRING "alice"
      0000000000000001        tokens[0].issueTimestamp: INT64 1
      0000000000000002        tokens[0].expiryTimestamp: INT64 2
      0000000000000003        tokens[0].maxTimestamp: INT64 3
      04746f6b                tokens[0].tokenId: COMPACT_STRING "tok"
      02ab                    tokens[0].hmac: COMPACT_BYTES 0xab (1 B)
      01                      tokens[0].renewers.<count>: UNSIGNED_VARINT 0
      00                      tokens[0].<tags>: UNSIGNED_VARINT 0
      00000000                throttleTimeMs: INT32 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 0,
      tokens: [
        {
          principalType: 'User',
          principalName: 'carol',
          tokenRequesterPrincipalType: 'User',
          tokenRequesterPrincipalName: 'alice',
          issueTimestamp: 1n,
          expiryTimestamp: 2n,
          maxTimestamp: 3n,
          tokenId: 'tok',
          hmac: Buffer.from('ab', 'hex'),
          renewers: [],
        },
      ],
      throttleTimeMs: 0,
    };
    const codec = codecFor(DescribeDelegationToken.response, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
