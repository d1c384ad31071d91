// UnregisterBroker (API key 64): removes a broker's registration from a KRaft cluster once the broker
// is gone for good, so that it no longer counts as a fenced replica (KIP-631, KIP-500).
import { api, field, type MessageValue } from '../schema/declare.js';

export const UnregisterBroker = api({
  apiKey: 64,
  name: 'UnregisterBroker',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      brokerId: field.int32('0+'),
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

export type UnregisterBrokerRequest = MessageValue<typeof UnregisterBroker.request>;
export type UnregisterBrokerResponse = MessageValue<typeof UnregisterBroker.response>;
