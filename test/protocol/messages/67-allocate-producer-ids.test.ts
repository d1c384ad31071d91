// Golden frames for AllocateProducerIds (API key 67): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AllocateProducerIds } from '../../../src/protocol/messages/67-allocate-producer-ids.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AllocateProducerIds golden frames', () => {
  it('AllocateProducerIdsRequest v0: broker 1 asks for a block', () => {
    // Bytes written by kafka-clients 4.1.1's AllocateProducerIdsRequestData.
    const bytes = hexLayout(`
      00000001                brokerId: INT32 1
      000000000000000a        brokerEpoch: INT64 10
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 1,
      brokerEpoch: 10n,
    };
    const codec = codecFor(AllocateProducerIds.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AllocateProducerIdsResponse v0: a block of 1000 ids from 5000', () => {
    // Bytes written by kafka-clients 4.1.1's AllocateProducerIdsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      0000000000001388        producerIdStart: INT64 5000
      000003e8                producerIdLen: INT32 1000
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      producerIdStart: 5000n,
      producerIdLen: 1000,
    };
    const codec = codecFor(AllocateProducerIds.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
