// Golden frames for ExpireDelegationToken (API key 40): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ExpireDelegationToken } from '../../../src/protocol/messages/40-expire-delegation-token.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ExpireDelegationToken golden frames', () => {
  it('ExpireDelegationTokenRequest v1: expire now (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's ExpireDelegationTokenRequestData.
    const bytes = hexLayout(`
      0000000401020304        hmac: BYTES 0x01020304 (4 B)
      ffffffffffffffff        expiryTimePeriodMs: INT64 -1
    `);
    const value = {
      hmac: Buffer.from('01020304', 'hex'),
      expiryTimePeriodMs: -1n,
    };
    const codec = codecFor(ExpireDelegationToken.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ExpireDelegationTokenResponse v2: DELEGATION_TOKEN_NOT_FOUND', () => {
    // Bytes written by kafka-clients 4.1.1's ExpireDelegationTokenResponseData.
    const bytes = hexLayout(`
      003e                    errorCode: INT16 62
      0000000000000000        expiryTimestampMs: INT64 0
      00000000                throttleTimeMs: INT32 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      errorCode: 62,
      expiryTimestampMs: 0n,
      throttleTimeMs: 0,
    };
    const codec = codecFor(ExpireDelegationToken.response, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
