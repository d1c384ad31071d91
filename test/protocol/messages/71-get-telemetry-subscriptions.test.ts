// Golden frames for GetTelemetrySubscriptions (API key 71): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { GetTelemetrySubscriptions } from '../../../src/protocol/messages/71-get-telemetry-subscriptions.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('GetTelemetrySubscriptions golden frames', () => {
  it('GetTelemetrySubscriptionsRequest v0: a new client asks with the zero uuid', () => {
    // Bytes written by kafka-clients 4.1.1's GetTelemetrySubscriptionsRequestData.
    const bytes = hexLayout(`
      00000000000000000000000000000000  clientInstanceId: UUID "AAAAAAAAAAAAAAAAAAAAAA"
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      clientInstanceId: 'AAAAAAAAAAAAAAAAAAAAAA',
    };
    const codec = codecFor(GetTelemetrySubscriptions.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('GetTelemetrySubscriptionsResponse v0: an instance id, zstd or lz4, push every 30 s, producer metrics only', () => {
    // Bytes written by kafka-clients 4.1.1's GetTelemetrySubscriptionsResponseData.
    const bytes = hexLayout(`
      00000000                                                 throttleTimeMs: INT32 0
      0000                                                     errorCode: INT16 0
      00000000000000000000000000000abc                         clientInstanceId: UUID "AAAAAAAAAAAAAAAAAAAKvA"
      00000007                                                 subscriptionId: INT32 7
      03                                                       acceptedCompressionTypes.<count>: UNSIGNED_VARINT 2
      04                                                       acceptedCompressionTypes[0]: INT8 4
      03                                                       acceptedCompressionTypes[1]: INT8 3
      00007530                                                 pushIntervalMs: INT32 30000
      00100000                                                 telemetryMaxBytes: INT32 1048576
      01                                                       deltaTemporality: BOOLEAN true
      02                                                       requestedMetrics.<count>: UNSIGNED_VARINT 1
      1b6f72672e6170616368652e6b61666b 612e70726f64756365722e  requestedMetrics[0]: COMPACT_STRING "org.apache.kafka.producer."
      00                                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      clientInstanceId: 'AAAAAAAAAAAAAAAAAAAKvA',
      subscriptionId: 7,
      acceptedCompressionTypes: [4, 3],
      pushIntervalMs: 30000,
      telemetryMaxBytes: 1048576,
      deltaTemporality: true,
      requestedMetrics: ['org.apache.kafka.producer.'],
    };
    const codec = codecFor(GetTelemetrySubscriptions.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
