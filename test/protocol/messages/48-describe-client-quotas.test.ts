// Golden frames for DescribeClientQuotas (API key 48): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeClientQuotas } from '../../../src/protocol/messages/48-describe-client-quotas.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeClientQuotas golden frames', () => {
  it('DescribeClientQuotasRequest v1: quotas of user alice, any client id', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeClientQuotasRequestData.
    const bytes = hexLayout(`
      03                      components.<count>: UNSIGNED_VARINT 2
      0575736572              components[0].entityType: COMPACT_STRING "user"
      00                      components[0].matchType: INT8 0
      06616c696365            components[0].match: COMPACT_NULLABLE_STRING "alice"
      00                      components[0].<tags>: UNSIGNED_VARINT 0
      0a636c69656e742d6964    components[1].entityType: COMPACT_STRING "client-id"
      02                      components[1].matchType: INT8 2
      00                      components[1].match: COMPACT_NULLABLE_STRING null
      00                      components[1].<tags>: UNSIGNED_VARINT 0
      00                      strict: BOOLEAN false
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      components: [
        {
          entityType: 'user',
          matchType: 0,
          match: 'alice',
        },
        {
          entityType: 'client-id',
          matchType: 2,
          match: null,
        },
      ],
      strict: false,
    };
    const codec = codecFor(DescribeClientQuotas.request, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeClientQuotasResponse v0: a byte-rate quota (float64, classic)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeClientQuotasResponseData.
    const bytes = hexLayout(`
      00000000                                   throttleTimeMs: INT32 0
      0000                                       errorCode: INT16 0
      ffff                                       errorMessage: NULLABLE_STRING null
      00000001                                   entries.<count>: INT32 1
      00000001                                   entries[0].entity.<count>: INT32 1
      000475736572                               entries[0].entity[0].entityType: STRING "user"
      0005616c696365                             entries[0].entity[0].entityName: NULLABLE_STRING "alice"
      00000001                                   entries[0].values.<count>: INT32 1
      001270726f64756365725f627974655f 72617465  entries[0].values[0].key: STRING "producer_byte_rate"
      4130000080000000                           entries[0].values[0].value: FLOAT64 1048576.5
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      entries: [
        {
          entity: [
            {
              entityType: 'user',
              entityName: 'alice',
            },
          ],
          values: [
            {
              key: 'producer_byte_rate',
              value: 1048576.5,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeClientQuotas.response, 0);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
