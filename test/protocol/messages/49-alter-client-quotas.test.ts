// Golden frames for AlterClientQuotas (API key 49): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { AlterClientQuotas } from '../../../src/protocol/messages/49-alter-client-quotas.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('AlterClientQuotas golden frames', () => {
  it('AlterClientQuotasRequest v1: set one quota of the default user, remove another', () => {
    // Bytes written by kafka-clients 4.1.1's AlterClientQuotasRequestData.
    const bytes = hexLayout(`
      02                                       entries.<count>: UNSIGNED_VARINT 1
      02                                       entries[0].entity.<count>: UNSIGNED_VARINT 1
      0575736572                               entries[0].entity[0].entityType: COMPACT_STRING "user"
      00                                       entries[0].entity[0].entityName: COMPACT_NULLABLE_STRING null
      00                                       entries[0].entity[0].<tags>: UNSIGNED_VARINT 0
      03                                       entries[0].ops.<count>: UNSIGNED_VARINT 2
      13636f6e73756d65725f627974655f72 617465  entries[0].ops[0].key: COMPACT_STRING "consumer_byte_rate"
      40a0000000000000                         entries[0].ops[0].value: FLOAT64 2048
      00                                       entries[0].ops[0].remove: BOOLEAN false
      00                                       entries[0].ops[0].<tags>: UNSIGNED_VARINT 0
      13726571756573745f70657263656e74 616765  entries[0].ops[1].key: COMPACT_STRING "request_percentage"
      0000000000000000                         entries[0].ops[1].value: FLOAT64 0
      01                                       entries[0].ops[1].remove: BOOLEAN true
      00                                       entries[0].ops[1].<tags>: UNSIGNED_VARINT 0
      00                                       entries[0].<tags>: UNSIGNED_VARINT 0
      00                                       validateOnly: BOOLEAN false
      00                                       <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      entries: [
        {
          entity: [
            {
              entityType: 'user',
              entityName: null,
            },
          ],
          ops: [
            {
              key: 'consumer_byte_rate',
              value: 2048,
              remove: false,
            },
            {
              key: 'request_percentage',
              value: 0,
              remove: true,
            },
          ],
        },
      ],
      validateOnly: false,
    };
    const codec = codecFor(AlterClientQuotas.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('AlterClientQuotasResponse v1: accepted', () => {
    // Bytes written by kafka-clients 4.1.1's AlterClientQuotasResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      entries.<count>: UNSIGNED_VARINT 1
      0000                    entries[0].errorCode: INT16 0
      00                      entries[0].errorMessage: COMPACT_NULLABLE_STRING null
      02                      entries[0].entity.<count>: UNSIGNED_VARINT 1
      0575736572              entries[0].entity[0].entityType: COMPACT_STRING "user"
      00                      entries[0].entity[0].entityName: COMPACT_NULLABLE_STRING null
      00                      entries[0].entity[0].<tags>: UNSIGNED_VARINT 0
      00                      entries[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      entries: [
        {
          errorCode: 0,
          errorMessage: null,
          entity: [
            {
              entityType: 'user',
              entityName: null,
            },
          ],
        },
      ],
    };
    const codec = codecFor(AlterClientQuotas.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
