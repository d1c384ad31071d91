// IncrementalAlterConfigs (API key 44): changes single config entries of a resource (SET 0, DELETE 1,
// APPEND 2, SUBTRACT 3 for list values) instead of replacing all of them as AlterConfigs does
// (KIP-339; kafka-configs.sh --alter).
//
// Why the versions exist: v1 goes flexible.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const IncrementalAlterConfigs = api({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
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
              configOperation: field.int8('0+'),
              value: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
      validateOnly: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
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

export type IncrementalAlterConfigsRequest = MessageValue<typeof IncrementalAlterConfigs.request>;
export type IncrementalAlterConfigsResponse = MessageValue<typeof IncrementalAlterConfigs.response>;
