// Golden frames for Envelope (API key 58): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { Envelope } from '../../../src/protocol/messages/58-envelope.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('Envelope golden frames', () => {
  it('EnvelopeRequest v0: a forwarded request with the caller principal and address', () => {
    // Bytes written by kafka-clients 4.1.1's EnvelopeRequestData.
    const bytes = hexLayout(`
      090013000700000001      requestData: COMPACT_BYTES 0x0013000700000001 (8 B)
      030102                  requestPrincipal: COMPACT_NULLABLE_BYTES 0x0102 (2 B)
      057f000001              clientHostAddress: COMPACT_BYTES 0x7f000001 (4 B)
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      requestData: Buffer.from('0013000700000001', 'hex'),
      requestPrincipal: Buffer.from('0102', 'hex'),
      clientHostAddress: Buffer.from('7f000001', 'hex'),
    };
    const codec = codecFor(Envelope.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('EnvelopeResponse v0: the wrapped response', () => {
    // Bytes written by kafka-clients 4.1.1's EnvelopeResponseData.
    const bytes = hexLayout(`
      0500000001              responseData: COMPACT_NULLABLE_BYTES 0x00000001 (4 B)
      0000                    errorCode: INT16 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      responseData: Buffer.from('00000001', 'hex'),
      errorCode: 0,
    };
    const codec = codecFor(Envelope.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
