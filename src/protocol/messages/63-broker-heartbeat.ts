// BrokerHeartbeat (API key 63): a KRaft broker's periodic heartbeat to the controller, carrying how far
// it has read the metadata log; the answer says whether it is caught up, fenced or should shut down
// (KIP-631). Broker to controller only.
//
// Why the versions exist: v1 adds the ids of the broker's offline log directories, tagged (KIP-858).
import { api, field, type MessageValue, types } from '../schema/declare.js';

export const BrokerHeartbeat = api({
  apiKey: 63,
  name: 'BrokerHeartbeat',
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      brokerId: field.int32('0+'),
      brokerEpoch: field.int64('0+', { default: -1n }),
      currentMetadataOffset: field.int64('0+'),
      wantFence: field.bool('0+'),
      wantShutDown: field.bool('0+'),
      offlineLogDirs: field.array('1+', types.uuid, { taggedVersions: '1+', tag: 0 }),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      isCaughtUp: field.bool('0+', { default: false }),
      isFenced: field.bool('0+', { default: true }),
      shouldShutDown: field.bool('0+'),
    },
  },
});

export type BrokerHeartbeatRequest = MessageValue<typeof BrokerHeartbeat.request>;
export type BrokerHeartbeatResponse = MessageValue<typeof BrokerHeartbeat.response>;
