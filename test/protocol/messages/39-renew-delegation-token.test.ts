// Golden frames for RenewDelegationToken (API key 39): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { RenewDelegationToken } from '../../../src/protocol/messages/39-renew-delegation-token.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('RenewDelegationToken golden frames', () => {
  it('RenewDelegationTokenRequest v2: renew for a day', () => {
    // Bytes written by kafka-clients 4.1.1's RenewDelegationTokenRequestData.
    const bytes = hexLayout(`
      0501020304              hmac: COMPACT_BYTES 0x01020304 (4 B)
      0000000005265c00        renewPeriodMs: INT64 86400000
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      hmac: Buffer.from('01020304', 'hex'),
      renewPeriodMs: 86400000n,
    };
    const codec = codecFor(RenewDelegationToken.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('RenewDelegationTokenResponse v1: the new expiry (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's RenewDelegationTokenResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      0000018bda322000        expiryTimestampMs: INT64 1700172800000
      00000000                throttleTimeMs: INT32 0
    `);
    const value = {
      errorCode: 0,
      expiryTimestampMs: 1700172800000n,
      throttleTimeMs: 0,
    };
    const codec = codecFor(RenewDelegationToken.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
