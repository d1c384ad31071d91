// Golden frames for BrokerHeartbeat (API key 63): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { BrokerHeartbeat } from '../../../src/protocol/messages/63-broker-heartbeat.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('BrokerHeartbeat golden frames', () => {
  it('BrokerHeartbeatRequest v1: with an offline log dir (tagged, KIP-858)', () => {
    // Bytes written by kafka-clients 4.1.1's BrokerHeartbeatRequestData.
    const bytes = hexLayout(`
      00000001                          brokerId: INT32 1
      000000000000000a                  brokerEpoch: INT64 10
      00000000000000fa                  currentMetadataOffset: INT64 250
      00                                wantFence: BOOLEAN false
      00                                wantShutDown: BOOLEAN false
      01                                <tags>: UNSIGNED_VARINT 1
      0011                              <tags>: TAGGED_FIELD
      02                                offlineLogDirs.<count>: UNSIGNED_VARINT 1
      100f0e0d0c0b0a090807060504030201  offlineLogDirs[0]: UUID "EA8ODQwLCgkIBwYFBAMCAQ"
    `);
    const value = {
      brokerId: 1,
      brokerEpoch: 10n,
      currentMetadataOffset: 250n,
      wantFence: false,
      wantShutDown: false,
      offlineLogDirs: ['EA8ODQwLCgkIBwYFBAMCAQ'],
    };
    const codec = codecFor(BrokerHeartbeat.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('BrokerHeartbeatResponse v0: caught up and unfenced', () => {
    // Bytes written by kafka-clients 4.1.1's BrokerHeartbeatResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      01                      isCaughtUp: BOOLEAN true
      00                      isFenced: BOOLEAN false
      00                      shouldShutDown: BOOLEAN false
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      isCaughtUp: true,
      isFenced: false,
      shouldShutDown: false,
    };
    const codec = codecFor(BrokerHeartbeat.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
