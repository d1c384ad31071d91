// Golden frames for UnregisterBroker (API key 64): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { UnregisterBroker } from '../../../src/protocol/messages/64-unregister-broker.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('UnregisterBroker golden frames', () => {
  it('UnregisterBrokerRequest v0: broker 3', () => {
    // Bytes written by kafka-clients 4.1.1's UnregisterBrokerRequestData.
    const bytes = hexLayout(`
      00000003                brokerId: INT32 3
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 3,
    };
    const codec = codecFor(UnregisterBroker.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('UnregisterBrokerResponse v0: BROKER_ID_NOT_REGISTERED', () => {
    // Bytes written by kafka-clients 4.1.1's UnregisterBrokerResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0066                    errorCode: INT16 102
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 102,
      errorMessage: null,
    };
    const codec = codecFor(UnregisterBroker.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
