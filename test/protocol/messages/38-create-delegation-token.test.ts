// Golden frames for CreateDelegationToken (API key 38): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { CreateDelegationToken } from '../../../src/protocol/messages/38-create-delegation-token.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('CreateDelegationToken golden frames', () => {
  it('CreateDelegationTokenRequest v3: a token for another principal (KIP-373)', () => {
    // Bytes written by kafka-clients 4.1.1's CreateDelegationTokenRequestData.
    const bytes = hexLayout(`
      0555736572              ownerPrincipalType: COMPACT_NULLABLE_STRING "User"
      066361726f6c            ownerPrincipalName: COMPACT_NULLABLE_STRING "carol"
      02                      renewers.<count>: UNSIGNED_VARINT 1
      0555736572              renewers[0].principalType: COMPACT_STRING "User"
      06616c696365            renewers[0].principalName: COMPACT_STRING "alice"
      00                      renewers[0].<tags>: UNSIGNED_VARINT 0
      ffffffffffffffff        maxLifetimeMs: INT64 -1
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      ownerPrincipalType: 'User',
      ownerPrincipalName: 'carol',
      renewers: [
        {
          principalType: 'User',
          principalName: 'alice',
        },
      ],
      maxLifetimeMs: -1n,
    };
    const codec = codecFor(CreateDelegationToken.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('CreateDelegationTokenResponse v2: the token and its HMAC', () => {
    // Bytes written by kafka-clients 4.1.1's CreateDelegationTokenResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      0555736572              principalType: COMPACT_STRING "User"
      06616c696365            principalName: COMPACT_STRING "alice"
      0000018bcfe56800        issueTimestampMs: INT64 1700000000000
      0000018bd50bc400        expiryTimestampMs: INT64 1700086400000
      0000018bf3f1ec00        maxTimestampMs: INT64 1700604800000
      04746f6b                tokenId: COMPACT_STRING "tok"
      0501020304              hmac: COMPACT_BYTES 0x01020304 (4 B)
      00000000                throttleTimeMs: INT32 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 0,
      principalType: 'User',
      principalName: 'alice',
      issueTimestampMs: 1700000000000n,
      expiryTimestampMs: 1700086400000n,
      maxTimestampMs: 1700604800000n,
      tokenId: 'tok',
      hmac: Buffer.from('01020304', 'hex'),
      throttleTimeMs: 0,
      tokenRequesterPrincipalType: '',
      tokenRequesterPrincipalName: '',
    };
    const codec = codecFor(CreateDelegationToken.response, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
