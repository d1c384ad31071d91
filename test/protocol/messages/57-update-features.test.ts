// Golden frames for UpdateFeatures (API key 57): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { UpdateFeatures } from '../../../src/protocol/messages/57-update-features.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('UpdateFeatures golden frames', () => {
  it('UpdateFeaturesRequest v0: allowDowngrade, before upgradeType existed', () => {
    // Bytes written by kafka-clients 4.1.1's UpdateFeaturesRequestData.
    const bytes = hexLayout(`
      0000ea60                             timeoutMs: INT32 60000
      02                                   featureUpdates.<count>: UNSIGNED_VARINT 1
      116d657461646174612e76657273696f 6e  featureUpdates[0].feature: COMPACT_STRING "metadata.version"
      0014                                 featureUpdates[0].maxVersionLevel: INT16 20
      01                                   featureUpdates[0].allowDowngrade: BOOLEAN true
      00                                   featureUpdates[0].<tags>: UNSIGNED_VARINT 0
      00                                   <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      timeoutMs: 60000,
      featureUpdates: [
        {
          feature: 'metadata.version',
          maxVersionLevel: 20,
          allowDowngrade: true,
          upgradeType: 1,
        },
      ],
      validateOnly: false,
    };
    const codec = codecFor(UpdateFeatures.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('UpdateFeaturesRequest v1: a safe downgrade, validate only (KIP-778)', () => {
    // Bytes written by kafka-clients 4.1.1's UpdateFeaturesRequestData.
    const bytes = hexLayout(`
      0000ea60                                   timeoutMs: INT32 60000
      02                                         featureUpdates.<count>: UNSIGNED_VARINT 1
      147472616e73616374696f6e2e766572 73696f6e  featureUpdates[0].feature: COMPACT_STRING "transaction.version"
      0001                                       featureUpdates[0].maxVersionLevel: INT16 1
      02                                         featureUpdates[0].upgradeType: INT8 2
      00                                         featureUpdates[0].<tags>: UNSIGNED_VARINT 0
      01                                         validateOnly: BOOLEAN true
      00                                         <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      timeoutMs: 60000,
      featureUpdates: [
        {
          feature: 'transaction.version',
          maxVersionLevel: 1,
          upgradeType: 2,
          allowDowngrade: false,
        },
      ],
      validateOnly: true,
    };
    const codec = codecFor(UpdateFeatures.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('UpdateFeaturesResponse v2: one error for the whole request, no per-feature results', () => {
    // Bytes written by kafka-clients 4.1.1's UpdateFeaturesResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      002a                    errorCode: INT16 42
      036e6f                  errorMessage: COMPACT_NULLABLE_STRING "no"
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 42,
      errorMessage: 'no',
      results: [],
    };
    const codec = codecFor(UpdateFeatures.response, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
