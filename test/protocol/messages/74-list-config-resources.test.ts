// Golden frames for ListConfigResources (API key 74): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { ListConfigResources } from '../../../src/protocol/messages/74-list-config-resources.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ListConfigResources golden frames', () => {
  it('ListConfigResourcesRequest v0: the old ListClientMetricsResources: no filter', () => {
    // Bytes written by kafka-clients 4.1.1's ListConfigResourcesRequestData.
    const bytes = hexLayout(`
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      resourceTypes: [],
    };
    const codec = codecFor(ListConfigResources.request, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ListConfigResourcesRequest v1: groups (32) and client metrics (16) only (KIP-1142)', () => {
    // Bytes written by kafka-clients 4.1.1's ListConfigResourcesRequestData.
    const bytes = hexLayout(`
      03                      resourceTypes.<count>: UNSIGNED_VARINT 2
      20                      resourceTypes[0]: INT8 32
      10                      resourceTypes[1]: INT8 16
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      resourceTypes: [32, 16],
    };
    const codec = codecFor(ListConfigResources.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ListConfigResourcesResponse v0: one client-metrics subscription; resourceType is not on the wire', () => {
    // Bytes written by kafka-clients 4.1.1's ListConfigResourcesResponseData.
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: INT32 0
      0000                      errorCode: INT16 0
      02                        configResources.<count>: UNSIGNED_VARINT 1
      0c616c6c2d6d657472696373  configResources[0].resourceName: COMPACT_STRING "all-metrics"
      00                        configResources[0].<tags>: UNSIGNED_VARINT 0
      00                        <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      configResources: [
        {
          resourceName: 'all-metrics',
          resourceType: 16,
        },
      ],
    };
    const codec = codecFor(ListConfigResources.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('ListConfigResourcesResponse v1: a group and a client-metrics subscription', () => {
    // Bytes written by kafka-clients 4.1.1's ListConfigResourcesResponseData.
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: INT32 0
      0000                      errorCode: INT16 0
      03                        configResources.<count>: UNSIGNED_VARINT 2
      036731                    configResources[0].resourceName: COMPACT_STRING "g1"
      20                        configResources[0].resourceType: INT8 32
      00                        configResources[0].<tags>: UNSIGNED_VARINT 0
      0c616c6c2d6d657472696373  configResources[1].resourceName: COMPACT_STRING "all-metrics"
      10                        configResources[1].resourceType: INT8 16
      00                        configResources[1].<tags>: UNSIGNED_VARINT 0
      00                        <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      configResources: [
        {
          resourceName: 'g1',
          resourceType: 32,
        },
        {
          resourceName: 'all-metrics',
          resourceType: 16,
        },
      ],
    };
    const codec = codecFor(ListConfigResources.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
