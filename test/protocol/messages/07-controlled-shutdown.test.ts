// Golden frames for ControlledShutdown (API key 7): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { decodeRequestFrame, encodeRequestFrame } from '../../../src/protocol/frame.js';
import { ControlledShutdown } from '../../../src/protocol/messages/07-controlled-shutdown.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ControlledShutdown golden frames', () => {
  it('ControlledShutdownRequest v0: broker 2 is shutting down (v0, sent with request header v0)', () => {
    // Bytes written by kafka-clients 3.9.1's ControlledShutdownRequestData.
    const bytes = hexLayout(`
      00000002                brokerId: INT32 2
    `);
    const value = {
      brokerId: 2,
      brokerEpoch: -1n,
    };
    const codec = codecFor(ControlledShutdown.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ControlledShutdownRequest v3: with the broker epoch (KIP-380), flexible', () => {
    // Bytes written by kafka-clients 3.9.1's ControlledShutdownRequestData.
    const bytes = hexLayout(`
      00000002                brokerId: INT32 2
      0000000000000028        brokerEpoch: INT64 40
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 2,
      brokerEpoch: 40n,
    };
    const codec = codecFor(ControlledShutdown.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ControlledShutdownResponse v1: one partition still led here', () => {
    // Bytes written by kafka-clients 3.9.1's ControlledShutdownResponseData.
    const bytes = hexLayout(`
      0000                    errorCode: INT16 0
      00000001                remainingPartitions.<count>: INT32 1
      000174                  remainingPartitions[0].topicName: STRING "t"
      00000000                remainingPartitions[0].partitionIndex: INT32 0
    `);
    const value = {
      errorCode: 0,
      remainingPartitions: [
        {
          topicName: 't',
          partitionIndex: 0,
        },
      ],
    };
    const codec = codecFor(ControlledShutdown.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('v0 travels behind request header v0, which has no client id; v1 behind header v1', () => {
    const v0 = encodeRequestFrame({
      api: ControlledShutdown,
      version: 0,
      correlationId: 9,
      clientId: 'b2',
      body: { brokerId: 2 },
    });
    expect(v0).toEqual(
      hexLayout(`
        0000000c                size: 12
        0007 0000               requestApiKey 7, requestApiVersion 0
        00000009                correlationId: 9 (header v0 ends here: 'b2' is dropped)
        00000002                brokerId: 2
      `),
    );
    const decoded = decodeRequestFrame(v0);
    expect(decoded.headerVersion).toBe(0);
    expect(decoded.body).toEqual({ brokerId: 2, brokerEpoch: -1n });
    const v1 = encodeRequestFrame({
      api: ControlledShutdown,
      version: 1,
      correlationId: 9,
      clientId: 'b2',
      body: { brokerId: 2 },
    });
    expect(decodeRequestFrame(v1)).toMatchObject({ headerVersion: 1, header: { clientId: 'b2' } });
  });
});
