// Golden frames for ControllerRegistration (API key 70): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ControllerRegistration } from '../../../src/protocol/messages/70-controller-registration.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ControllerRegistration golden frames', () => {
  it('ControllerRegistrationRequest v0: controller 3000 registers its CONTROLLER listener and kraft.version range', () => {
    // Bytes written by kafka-clients 4.1.1's ControllerRegistrationRequestData.
    const bytes = hexLayout(`
      00000bb8                          controllerId: INT32 3000
      00000000000000000000000000001234  incarnationId: UUID "AAAAAAAAAAAAAAAAAAASNA"
      00                                zkMigrationReady: BOOLEAN false
      02                                listeners.<count>: UNSIGNED_VARINT 1
      0b434f4e54524f4c4c4552            listeners[0].name: COMPACT_STRING "CONTROLLER"
      0a6c6f63616c686f7374              listeners[0].host: COMPACT_STRING "localhost"
      2385                              listeners[0].port: UINT16 9093
      0000                              listeners[0].securityProtocol: INT16 0
      00                                listeners[0].<tags>: UNSIGNED_VARINT 0
      02                                features.<count>: UNSIGNED_VARINT 1
      0e6b726166742e76657273696f6e      features[0].name: COMPACT_STRING "kraft.version"
      0000                              features[0].minSupportedVersion: INT16 0
      0001                              features[0].maxSupportedVersion: INT16 1
      00                                features[0].<tags>: UNSIGNED_VARINT 0
      00                                <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      controllerId: 3000,
      incarnationId: 'AAAAAAAAAAAAAAAAAAASNA',
      zkMigrationReady: false,
      listeners: [
        {
          name: 'CONTROLLER',
          host: 'localhost',
          port: 9093,
          securityProtocol: 0,
        },
      ],
      features: [
        {
          name: 'kraft.version',
          minSupportedVersion: 0,
          maxSupportedVersion: 1,
        },
      ],
    };
    const codec = codecFor(ControllerRegistration.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ControllerRegistrationResponse v0: accepted', () => {
    // Bytes written by kafka-clients 4.1.1's ControllerRegistrationResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      0000                    errorCode: INT16 0
      00                      errorMessage: COMPACT_NULLABLE_STRING null
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
    };
    const codec = codecFor(ControllerRegistration.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
