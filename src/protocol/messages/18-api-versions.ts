// ApiVersions (API key 18): the first request every client sends, asking which versions of each API
// the broker serves. Its response always travels with response header v0 (KIP-511), see headers.ts.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const ApiVersions = api({
  apiKey: 18,
  name: 'ApiVersions',
  request: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: {
      // KIP-511: v3+ clients say who they are; brokers validate both names.
      clientSoftwareName: field.string('3+', { ignorable: true }),
      clientSoftwareVersion: field.string('3+', { ignorable: true }),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: {
      errorCode: field.int16('0+'),
      apiKeys: field.array(
        '0+',
        struct('ApiVersion', {
          apiKey: field.int16('0+'),
          minVersion: field.int16('0+'),
          maxVersion: field.int16('0+'),
        }),
      ),
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      supportedFeatures: field.array(
        '3+',
        struct('SupportedFeatureKey', {
          name: field.string('3+'),
          minVersion: field.int16('3+'),
          maxVersion: field.int16('3+'),
        }),
        { tag: 0, taggedVersions: '3+', ignorable: true },
      ),
      finalizedFeaturesEpoch: field.int64('3+', {
        tag: 1,
        taggedVersions: '3+',
        default: -1n,
        ignorable: true,
      }),
      finalizedFeatures: field.array(
        '3+',
        struct('FinalizedFeatureKey', {
          name: field.string('3+'),
          maxVersionLevel: field.int16('3+'),
          minVersionLevel: field.int16('3+'),
        }),
        { tag: 2, taggedVersions: '3+', ignorable: true },
      ),
      zkMigrationReady: field.bool('3+', { tag: 3, taggedVersions: '3+', default: false, ignorable: true }),
    },
  },
});

export type ApiVersionsRequest = MessageValue<typeof ApiVersions.request>;
export type ApiVersionsResponse = MessageValue<typeof ApiVersions.response>;
