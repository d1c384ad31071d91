// Golden frames for AlterConfigs (API key 33): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterConfigs } from '../../../src/protocol/messages/33-alter-configs.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterConfigs golden frames', () => {
  it('AlterConfigsRequest v1: a topic config replaced, validate only (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's AlterConfigsRequestData.
    const bytes = hexLayout(`
      00000001                      resources.<count>: INT32 1
      02                            resources[0].resourceType: INT8 2
      000174                        resources[0].resourceName: STRING "t"
      00000001                      resources[0].configs.<count>: INT32 1
      000c726574656e74696f6e2e6d73  resources[0].configs[0].name: STRING "retention.ms"
      000733363030303030            resources[0].configs[0].value: NULLABLE_STRING "3600000"
      01                            validateOnly: BOOLEAN true
    `);
    const value = {
      resources: [
        {
          resourceType: 2,
          resourceName: 't',
          configs: [
            {
              name: 'retention.ms',
              value: '3600000',
            },
          ],
        },
      ],
      validateOnly: true,
    };
    const codec = codecFor(AlterConfigs.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterConfigsResponse v2: a broker resource refused', () => {
    // Bytes written by kafka-clients 4.1.1's AlterConfigsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      responses.<count>: UNSIGNED_VARINT 1
      002a                    responses[0].errorCode: INT16 42
      04626164                responses[0].errorMessage: COMPACT_NULLABLE_STRING "bad"
      04                      responses[0].resourceType: INT8 4
      0231                    responses[0].resourceName: COMPACT_STRING "1"
      00                      responses[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      responses: [
        {
          errorCode: 42,
          errorMessage: 'bad',
          resourceType: 4,
          resourceName: '1',
        },
      ],
    };
    const codec = codecFor(AlterConfigs.response, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
