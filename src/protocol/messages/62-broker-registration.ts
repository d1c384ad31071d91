// BrokerRegistration (API key 62): a KRaft broker registers with the controller at startup: its id,
// incarnation, listeners, rack and the feature ranges it supports; the answer is its broker epoch
// (KIP-631). Broker to controller only.
//
// Why the versions exist: v1 adds isMigratingZkBroker for the ZooKeeper to KRaft migration (KIP-866);
// v2 adds the broker's log directory ids (JBOD in KRaft, KIP-858); v3 adds the previous broker epoch,
// so that the controller can tell a clean restart from an unclean one (KIP-966, eligible leader
// replicas); v4 has v3's bytes and marks that a supported feature's min version may be 0 (KAFKA-17011).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const BrokerRegistration = api({
  apiKey: 62,
  name: 'BrokerRegistration',
  request: {
    validVersions: '0-4',
    flexibleVersions: '0+',
    fields: {
      brokerId: field.int32('0+'),
      clusterId: field.string('0+'),
      incarnationId: field.uuid('0+'),
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
      rack: field.string('0+', { nullableVersions: '0+' }),
      isMigratingZkBroker: field.bool('1+', { default: false }),
      logDirs: field.array('2+', types.uuid, { ignorable: true }),
      previousBrokerEpoch: field.int64('3+', { default: -1n, ignorable: true }),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      brokerEpoch: field.int64('0+', { default: -1n }),
    },
  },
});

export type BrokerRegistrationRequest = MessageValue<typeof BrokerRegistration.request>;
export type BrokerRegistrationResponse = MessageValue<typeof BrokerRegistration.response>;
