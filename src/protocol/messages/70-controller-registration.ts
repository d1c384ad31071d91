// ControllerRegistration (API key 70): a KRaft controller announcing itself to the active controller
// (KIP-919), so that the cluster metadata carries every controller's listeners and supported features
// and brokers can learn where the quorum lives. Sent on the controller listener only, never by clients.
// zkMigrationReady belonged to the ZooKeeper → KRaft migration (KIP-866), which Kafka 4.0 removed; the
// field stays on the wire at v0. Only v0 exists, flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const ControllerRegistration = api({
  apiKey: 70,
  name: 'ControllerRegistration',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      controllerId: field.int32('0+'),
      // A fresh random id per controller process start: tells a restart from a duplicate.
      incarnationId: field.uuid('0+'),
      zkMigrationReady: field.bool('0+'),
      listeners: field.array(
        '0+',
        struct('Listener', {
          name: field.string('0+'),
          host: field.string('0+'),
          port: field.uint16('0+'),
          securityProtocol: field.int16('0+'),
        }),
      ),
      features: field.array(
        '0+',
        struct('Feature', {
          name: field.string('0+'),
          minSupportedVersion: field.int16('0+'),
          maxSupportedVersion: field.int16('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
    },
  },
});

export type ControllerRegistrationRequest = MessageValue<typeof ControllerRegistration.request>;
export type ControllerRegistrationResponse = MessageValue<typeof ControllerRegistration.response>;
