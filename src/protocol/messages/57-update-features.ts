// UpdateFeatures (API key 57): raises or lowers cluster-wide feature levels (metadata.version,
// transaction.version, group.version, …) through the controller (KIP-584; kafka-features.sh).
//
// Why the versions exist: v1 replaces allowDowngrade with upgradeType (1 = upgrade, 2 = safe
// downgrade, 3 = unsafe downgrade) and adds validateOnly (KIP-778); v2 drops the per-feature results
// from the response, which reports one error for the whole request (KIP-1022).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const UpdateFeatures = api({
  apiKey: 57,
  name: 'UpdateFeatures',
  request: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      timeoutMs: field.int32('0+', { default: 60000 }),
      featureUpdates: field.array(
        '0+',
        struct('FeatureUpdateKey', {
          feature: field.string('0+'),
          maxVersionLevel: field.int16('0+'),
          allowDowngrade: field.bool('0'),
          upgradeType: field.int8('1+', { default: 1 }),
        }),
      ),
      validateOnly: field.bool('1+', { default: false }),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      results: field.array(
        '0-1',
        struct('UpdatableFeatureResult', {
          feature: field.string('0+'),
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
        }),
        { ignorable: true },
      ),
    },
  },
});

export type UpdateFeaturesRequest = MessageValue<typeof UpdateFeatures.request>;
export type UpdateFeaturesResponse = MessageValue<typeof UpdateFeatures.response>;
