// ControlledShutdown (API key 7): in a ZooKeeper-mode cluster, a broker that is shutting down asks the
// controller to move leadership away from it first; the answer lists partitions still led there.
// KRaft brokers use BrokerHeartbeat's wantShutDown instead, so Kafka 4.0 removed the API
// (kafka-clients 4.1.1 keeps the key with no version); we declare 3.9.1's v0-3 so that ZooKeeper-era
// frames are still explained; nothing serves it.
//
// v0 is sent with request header v0, which has no client id (the one exception, in headers.ts);
// v1 has v0's body; v2 adds the broker epoch (KIP-380); v3 goes flexible.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const ControlledShutdown = api({
  apiKey: 7,
  name: 'ControlledShutdown',
  request: {
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: {
      brokerId: field.int32('0+'),
      brokerEpoch: field.int64('2+', { default: -1n, ignorable: true }),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: {
      errorCode: field.int16('0+'),
      remainingPartitions: field.array(
        '0+',
        struct('RemainingPartition', {
          topicName: field.string('0+'),
          partitionIndex: field.int32('0+'),
        }),
      ),
    },
  },
});

export type ControlledShutdownRequest = MessageValue<typeof ControlledShutdown.request>;
export type ControlledShutdownResponse = MessageValue<typeof ControlledShutdown.response>;
