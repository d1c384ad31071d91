// DescribeConfigs (API key 32): reads the configuration of topics, brokers and other resources,
// optionally with each entry's synonyms (where its value comes from) and documentation.
// Versions: v1 adds includeSynonyms and returns each config's source and synonyms (KIP-226); v2 answers
// before throttling; v3 adds includeDocumentation and returns config types and docs (KIP-569); v4 is
// the first flexible version. Kafka marks v0 deprecated.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeConfigs = api({
  apiKey: 32,
  name: 'DescribeConfigs',
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: {
      resources: field.array(
        '0+',
        struct('DescribeConfigsResource', {
          // ConfigResource.Type: 2 topic, 4 broker, 8 broker logger, 16 client metrics, 32 group.
          resourceType: field.int8('0+'),
          resourceName: field.string('0+'),
          // null lists every key.
          configurationKeys: field.array('0+', types.string, { nullableVersions: '0+' }),
        }),
      ),
      includeSynonyms: field.bool('1+', { default: false, ignorable: false }),
      includeDocumentation: field.bool('3+', { default: false, ignorable: false }),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      results: field.array(
        '0+',
        struct('DescribeConfigsResult', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
          resourceType: field.int8('0+'),
          resourceName: field.string('0+'),
          configs: field.array(
            '0+',
            struct('DescribeConfigsResourceResult', {
              name: field.string('0+'),
              value: field.string('0+', { nullableVersions: '0+' }),
              readOnly: field.bool('0+'),
              // v0 only; v1 replaced it with configSource.
              isDefault: field.bool('0'),
              // -1 is a placeholder: what a v0 answer means depends on the resource (4 for a broker).
              configSource: field.int8('1+', { default: -1, ignorable: true }),
              isSensitive: field.bool('0+'),
              synonyms: field.array(
                '1+',
                struct('DescribeConfigsSynonym', {
                  name: field.string('1+'),
                  // Kafka's JSON says nullable from v0 although the struct exists from v1; carried as is.
                  value: field.string('1+', { nullableVersions: '0+' }),
                  source: field.int8('1+'),
                }),
                { ignorable: true },
              ),
              configType: field.int8('3+', { default: 0, ignorable: true }),
              documentation: field.string('3+', { nullableVersions: '0+', ignorable: true }),
            }),
          ),
        }),
      ),
    },
  },
});

export type DescribeConfigsRequest = MessageValue<typeof DescribeConfigs.request>;
export type DescribeConfigsResponse = MessageValue<typeof DescribeConfigs.response>;
