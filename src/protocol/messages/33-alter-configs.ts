// AlterConfigs (API key 33): replaces the whole dynamic configuration of a resource (topic, broker,
// broker logger) with the given entries (KIP-133); anything left out is reset. Deprecated in favour
// of IncrementalAlterConfigs (KIP-339), which changes single entries.
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const AlterConfigs = api({
  apiKey: 33,
  name: 'AlterConfigs',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      resources: field.array(
        '0+',
        struct('AlterConfigsResource', {
          resourceType: field.int8('0+'),
          resourceName: field.string('0+'),
          configs: field.array(
            '0+',
            struct('AlterableConfig', {
              name: field.string('0+'),
              value: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
      validateOnly: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      responses: field.array(
        '0+',
        struct('AlterConfigsResourceResponse', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
          resourceType: field.int8('0+'),
          resourceName: field.string('0+'),
        }),
      ),
    },
  },
});

export type AlterConfigsRequest = MessageValue<typeof AlterConfigs.request>;
export type AlterConfigsResponse = MessageValue<typeof AlterConfigs.response>;
