// Golden frames for IncrementalAlterConfigs (API key 44): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { IncrementalAlterConfigs } from '../../../src/protocol/messages/44-incremental-alter-configs.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('IncrementalAlterConfigs golden frames', () => {
  it('IncrementalAlterConfigsRequest v1: SET one entry, DELETE another', () => {
    // Bytes written by kafka-clients 4.1.1's IncrementalAlterConfigsRequestData.
    const bytes = hexLayout(`
      02                              resources.<count>: UNSIGNED_VARINT 1
      02                              resources[0].resourceType: INT8 2
      0274                            resources[0].resourceName: COMPACT_STRING "t"
      03                              resources[0].configs.<count>: UNSIGNED_VARINT 2
      0d726574656e74696f6e2e6d73      resources[0].configs[0].name: COMPACT_STRING "retention.ms"
      00                              resources[0].configs[0].configOperation: INT8 0
      063630303030                    resources[0].configs[0].value: COMPACT_NULLABLE_STRING "60000"
      00                              resources[0].configs[0].<tags>: UNSIGNED_VARINT 0
      0f636c65616e75702e706f6c696379  resources[0].configs[1].name: COMPACT_STRING "cleanup.policy"
      01                              resources[0].configs[1].configOperation: INT8 1
      00                              resources[0].configs[1].value: COMPACT_NULLABLE_STRING null
      00                              resources[0].configs[1].<tags>: UNSIGNED_VARINT 0
      00                              resources[0].<tags>: UNSIGNED_VARINT 0
      00                              validateOnly: BOOLEAN false
      00                              <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      resources: [
        {
          resourceType: 2,
          resourceName: 't',
          configs: [
            {
              name: 'retention.ms',
              configOperation: 0,
              value: '60000',
            },
            {
              name: 'cleanup.policy',
              configOperation: 1,
              value: null,
            },
          ],
        },
      ],
      validateOnly: false,
    };
    const codec = codecFor(IncrementalAlterConfigs.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('IncrementalAlterConfigsResponse v0: accepted (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's IncrementalAlterConfigsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      00000001                responses.<count>: INT32 1
      0000                    responses[0].errorCode: INT16 0
      ffff                    responses[0].errorMessage: NULLABLE_STRING null
      02                      responses[0].resourceType: INT8 2
      000174                  responses[0].resourceName: STRING "t"
    `);
    const value = {
      throttleTimeMs: 0,
      responses: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: 't',
        },
      ],
    };
    const codec = codecFor(IncrementalAlterConfigs.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
