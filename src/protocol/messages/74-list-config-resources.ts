// ListConfigResources (API key 74): lists the resources that have dynamic configuration. Born as
// ListClientMetricsResources (KIP-714: the names of the client-metrics subscriptions); Kafka 4.1
// renamed it (KIP-1142) and v1 adds resourceTypes, a filter by config resource type (2 topic, 4 broker,
// 8 broker logger, 16 client metrics, 32 group), so that groups with dynamic config but no members can
// be listed. v0 is the old API's v0 byte for byte and only ever answers client-metrics resources, hence the
// response's resourceType default 16. Flexible from v0.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const ListConfigResources = api({
  apiKey: 74,
  name: 'ListConfigResources',
  request: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      // Empty: every type (at v1).
      resourceTypes: field.array('1+', types.int8),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      configResources: field.array(
        '0+',
        struct('ConfigResource', {
          resourceName: field.string('0+'),
          resourceType: field.int8('1+', { default: 16, ignorable: true }),
        }),
      ),
    },
  },
});

export type ListConfigResourcesRequest = MessageValue<typeof ListConfigResources.request>;
export type ListConfigResourcesResponse = MessageValue<typeof ListConfigResources.response>;
