// AlterClientQuotas (API key 49): sets or removes (remove = true) quota values for user / client-id /
// IP entities (KIP-546); a null entity name is the default for that entity type.
//
// Why the versions exist: v1 goes flexible.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const AlterClientQuotas = api({
  apiKey: 49,
  name: 'AlterClientQuotas',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: {
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
          ops: field.array(
            '0+',
            struct('OpData', {
              key: field.string('0+'),
              value: field.float64('0+'),
              remove: field.bool('0+'),
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
      entries: field.array(
        '0+',
        struct('EntryData', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
          entity: field.array(
            '0+',
            struct('EntityData', {
              entityType: field.string('0+'),
              entityName: field.string('0+', { nullableVersions: '0+' }),
            }),
          ),
        }),
      ),
    },
  },
});

export type AlterClientQuotasRequest = MessageValue<typeof AlterClientQuotas.request>;
export type AlterClientQuotasResponse = MessageValue<typeof AlterClientQuotas.response>;
