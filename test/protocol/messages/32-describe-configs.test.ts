// Golden frames for DescribeConfigs, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md). Enum values from Kafka's ConfigResource.Type (2 = TOPIC),
// DescribeConfigsResponse.ConfigSource (5 = DEFAULT_CONFIG) and ConfigType (5 = LONG).
import { describe, expect, it } from 'vitest';
import { DescribeConfigs } from '../../../src/protocol/messages/32-describe-configs.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeConfigs golden frames', () => {
  it('request v0 (classic): every key of one topic', () => {
    const bytes = hexLayout(`
      00000001                  resources: ARRAY count 1
        02                      resourceType: 2 TOPIC
        0001 74                 resourceName: "t"
        ffffffff                configurationKeys: ARRAY -1 = null (all keys)
    `);
    const codec = codecFor(DescribeConfigs.request, 0);
    expect(
      codec.encode({ resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }] }),
    ).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
  });

  it('request v4 (flexible): one key, with synonyms', () => {
    const bytes = hexLayout(`
      02                        resources: 1 element
        02                      resourceType: 2 TOPIC
        02 74                   resourceName: "t"
        02 0d 726574656e74696f6e2e6d73  configurationKeys: 1 element, "retention.ms" (12 bytes +1)
        00                      DescribeConfigsResource tag buffer
      01                        includeSynonyms: true
      00                        includeDocumentation: false
      00                        tag buffer
    `);
    const value = {
      resources: [{ resourceType: 2, resourceName: 't', configurationKeys: ['retention.ms'] }],
      includeSynonyms: true,
      includeDocumentation: false,
    };
    const codec = codecFor(DescribeConfigs.request, 4);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('response v0 (classic): isDefault exists only here; later fields decode to defaults', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      00000001                  results: ARRAY count 1
        0000                    errorCode: 0
        ffff                    errorMessage: null
        02                      resourceType: 2 TOPIC
        0001 74                 resourceName: "t"
        00000001                configs: ARRAY count 1
          000c 726574656e74696f6e2e6d73  name: "retention.ms"
          0009 363034383030303030  value: "604800000"
          00                    readOnly: false
          01                    isDefault: true (v0 only)
          00                    isSensitive: false
    `);
    const codec = codecFor(DescribeConfigs.response, 0);
    const config = {
      name: 'retention.ms',
      value: '604800000',
      readOnly: false,
      isDefault: true,
      isSensitive: false,
    };
    expect(
      codec.encode({
        results: [{ errorMessage: null, resourceType: 2, resourceName: 't', configs: [config] }],
      }),
    ).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: 't',
          configs: [{ ...config, configSource: -1, synonyms: [], configType: 0, documentation: '' }],
        },
      ],
    });
  });

  it('response v4 (flexible): source, a synonym, type, null documentation', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      02                        results: 1 element
        0000                    errorCode: 0
        00                      errorMessage: null
        02                      resourceType: 2 TOPIC
        02 74                   resourceName: "t"
        02                      configs: 1 element
          0d 726574656e74696f6e2e6d73  name: "retention.ms"
          0a 363034383030303030  value: "604800000" (9 bytes +1)
          00                    readOnly: false
          05                    configSource: 5 DEFAULT_CONFIG
          00                    isSensitive: false
          02                    synonyms: 1 element
            14 6c6f672e726574656e74696f6e2e686f757273  name: "log.retention.hours" (19 bytes +1)
            04 313638           value: "168"
            05                  source: 5 DEFAULT_CONFIG
            00                  DescribeConfigsSynonym tag buffer
          05                    configType: 5 LONG
          00                    documentation: null
          00                    DescribeConfigsResourceResult tag buffer
        00                      DescribeConfigsResult tag buffer
      00                        response tag buffer
    `);
    const config = {
      name: 'retention.ms',
      value: '604800000',
      readOnly: false,
      configSource: 5,
      isSensitive: false,
      synonyms: [{ name: 'log.retention.hours', value: '168', source: 5 }],
      configType: 5,
      documentation: null,
    };
    const withConfig = (c: object) => ({
      throttleTimeMs: 0,
      results: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't', configs: [c] }],
    });
    const codec = codecFor(DescribeConfigs.response, 4);
    expect(codec.encode(withConfig(config))).toEqual(bytes);
    // isDefault is v0 only: it decodes to false.
    expect(codec.decode(bytes)).toEqual(withConfig({ ...config, isDefault: false }));
  });
});
