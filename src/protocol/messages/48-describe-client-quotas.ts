// DescribeClientQuotas (API key 48): the client quotas (produce/fetch byte rates, request
// percentage, …) set for user and client-id entities that match the filter (KIP-546).
// matchType: 0 = exactly this name, 1 = the default entity, 2 = any entity of that type.
//
// Why the versions exist: v1 goes flexible.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DescribeClientQuotas = api({
  apiKey: 48,
  name: 'DescribeClientQuotas',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      components: field.array(
        '0+',
        struct('ComponentData', {
          entityType: field.string('0+'),
          matchType: field.int8('0+'),
          match: field.string('0+', { nullableVersions: '0+' }),
        }),
      ),
      strict: field.bool('0+'),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      entries: field.array(
        '0+',
        struct('EntryData', {
          entity: field.array(
            '0+',
            struct('EntityData', {
              entityType: field.string('0+'),
              entityName: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
          values: field.array(
            '0+',
            struct('ValueData', {
              key: field.string('0+'),
              value: field.float64('0+'),
            }),
          ),
        }),
        { nullableVersions: '0+' },
      ),
    },
  },
});

export type DescribeClientQuotasRequest = MessageValue<typeof DescribeClientQuotas.request>;
export type DescribeClientQuotasResponse = MessageValue<typeof DescribeClientQuotas.response>;
