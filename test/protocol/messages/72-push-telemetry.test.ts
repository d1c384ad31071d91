// Golden frames for PushTelemetry (API key 72): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { PushTelemetry } from '../../../src/protocol/messages/72-push-telemetry.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('PushTelemetry golden frames', () => {
  it('PushTelemetryRequest v0: a last, uncompressed push before closing', () => {
    // Bytes written by kafka-clients 4.1.1's PushTelemetryRequestData.
    const bytes = hexLayout(`
      00000000000000000000000000000abc  clientInstanceId: UUID "AAAAAAAAAAAAAAAAAAAKvA"
      00000007                          subscriptionId: INT32 7
      01                                terminating: BOOLEAN true
      00                                compressionType: INT8 0
      030a00                            metrics: COMPACT_BYTES 0x0a00 (2 B)
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clientInstanceId: 'AAAAAAAAAAAAAAAAAAAKvA',
      subscriptionId: 7,
      terminating: true,
      compressionType: 0,
      metrics: Buffer.from('0a00', 'hex'),
    };
    const codec = codecFor(PushTelemetry.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('PushTelemetryResponse v0: accepted', () => {
    // Bytes written by kafka-clients 4.1.1's PushTelemetryResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
    };
    const codec = codecFor(PushTelemetry.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
