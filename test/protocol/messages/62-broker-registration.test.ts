// Golden frames for BrokerRegistration (API key 62): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { BrokerRegistration } from '../../../src/protocol/messages/62-broker-registration.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('BrokerRegistration golden frames', () => {
  it('BrokerRegistrationRequest v4: a broker with one listener, one feature and one log dir', () => {
    // Bytes written by kafka-clients 4.1.1's BrokerRegistrationRequestData.
    const bytes = hexLayout(`
      00000001                             brokerId: INT32 1
      036331                               clusterId: COMPACT_STRING "c1"
      0102030405060708090a0b0c0d0e0f10     incarnationId: UUID "AQIDBAUGBwgJCgsMDQ4PEA"
      02                                   listeners.<count>: UNSIGNED_VARINT 1
      0a504c41494e54455854                 listeners[0].name: COMPACT_STRING "PLAINTEXT"
      0a6c6f63616c686f7374                 listeners[0].host: COMPACT_STRING "localhost"
      2384                                 listeners[0].port: UINT16 9092
      0000                                 listeners[0].securityProtocol: INT16 0
      00                                   listeners[0].<tags>: UNSIGNED_VARINT 0
      02                                   features.<count>: UNSIGNED_VARINT 1
      116d657461646174612e76657273696f 6e  features[0].name: COMPACT_STRING "metadata.version"
      0007                                 features[0].minSupportedVersion: INT16 7
      001b                                 features[0].maxSupportedVersion: INT16 27
      00                                   features[0].<tags>: UNSIGNED_VARINT 0
      00                                   rack: COMPACT_NULLABLE_STRING null
      00                                   isMigratingZkBroker: BOOLEAN false
      02                                   logDirs.<count>: UNSIGNED_VARINT 1
      100f0e0d0c0b0a090807060504030201     logDirs[0]: UUID "EA8ODQwLCgkIBwYFBAMCAQ"
      0000000000000009                     previousBrokerEpoch: INT64 9
      00                                   <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      brokerId: 1,
      clusterId: 'c1',
      incarnationId: 'AQIDBAUGBwgJCgsMDQ4PEA',
      listeners: [
        {
          name: 'PLAINTEXT',
          host: 'localhost',
          port: 9092,
          securityProtocol: 0,
        },
      ],
      features: [
        {
          name: 'metadata.version',
          minSupportedVersion: 7,
          maxSupportedVersion: 27,
        },
      ],
      rack: null,
      isMigratingZkBroker: false,
      logDirs: ['EA8ODQwLCgkIBwYFBAMCAQ'],
      previousBrokerEpoch: 9n,
    };
    const codec = codecFor(BrokerRegistration.request, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('BrokerRegistrationResponse v4: the broker epoch', () => {
    // Bytes written by kafka-clients 4.1.1's BrokerRegistrationResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      000000000000000a        brokerEpoch: INT64 10
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      brokerEpoch: 10n,
    };
    const codec = codecFor(BrokerRegistration.response, 4);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
