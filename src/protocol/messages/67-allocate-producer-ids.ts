// AllocateProducerIds (API key 67): a broker asks the controller for a block of producer ids to hand
// out in InitProducerId answers, instead of claiming blocks in ZooKeeper (KIP-730). Broker to
// controller only.
import { api, field, type MessageValue } from '../schema/declare.js';

export const AllocateProducerIds = api({
  apiKey: 67,
  name: 'AllocateProducerIds',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      brokerId: field.int32('0+'),
      brokerEpoch: field.int64('0+', { default: -1n }),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      producerIdStart: field.int64('0+'),
      producerIdLen: field.int32('0+'),
    },
  },
});

export type AllocateProducerIdsRequest = MessageValue<typeof AllocateProducerIds.request>;
export type AllocateProducerIdsResponse = MessageValue<typeof AllocateProducerIds.response>;
