// Golden frames for DeleteAcls (API key 31): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DeleteAcls } from '../../../src/protocol/messages/31-delete-acls.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DeleteAcls golden frames', () => {
  it('DeleteAclsRequest v2: every binding of one principal', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteAclsRequestData.
    const bytes = hexLayout(`
      02                      filters.<count>: UNSIGNED_VARINT 1
      01                      filters[0].resourceTypeFilter: INT8 1
      00                      filters[0].resourceNameFilter: COMPACT_NULLABLE_STRING null
      01                      filters[0].patternTypeFilter: INT8 1
      09557365723a626f62      filters[0].principalFilter: COMPACT_NULLABLE_STRING "User:bob"
      00                      filters[0].hostFilter: COMPACT_NULLABLE_STRING null
      01                      filters[0].operation: INT8 1
      01                      filters[0].permissionType: INT8 1
      00                      filters[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      filters: [
        {
          resourceTypeFilter: 1,
          resourceNameFilter: null,
          patternTypeFilter: 1,
          principalFilter: 'User:bob',
          hostFilter: null,
          operation: 1,
          permissionType: 1,
        },
      ],
    };
    const codec = codecFor(DeleteAcls.request, 2);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DeleteAclsResponse v3: the filter matched one binding', () => {
    // Bytes written by kafka-clients 4.1.1's DeleteAclsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      filterResults.<count>: UNSIGNED_VARINT 1
      0000                    filterResults[0].errorCode: INT16 0
      00                      filterResults[0].errorMessage: COMPACT_NULLABLE_STRING null
      02                      filterResults[0].matchingAcls.<count>: UNSIGNED_VARINT 1
      0000                    filterResults[0].matchingAcls[0].errorCode: INT16 0
      00                      filterResults[0].matchingAcls[0].errorMessage: COMPACT_NULLABLE_STRING null
      03                      filterResults[0].matchingAcls[0].resourceType: INT8 3
      0267                    filterResults[0].matchingAcls[0].resourceName: COMPACT_STRING "g"
      03                      filterResults[0].matchingAcls[0].patternType: INT8 3
      09557365723a626f62      filterResults[0].matchingAcls[0].principal: COMPACT_STRING "User:bob"
      022a                    filterResults[0].matchingAcls[0].host: COMPACT_STRING "*"
      03                      filterResults[0].matchingAcls[0].operation: INT8 3
      03                      filterResults[0].matchingAcls[0].permissionType: INT8 3
      00                      filterResults[0].matchingAcls[0].<tags>: UNSIGNED_VARINT 0
      00                      filterResults[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      filterResults: [
        {
          errorCode: 0,
          errorMessage: null,
          matchingAcls: [
            {
              errorCode: 0,
              errorMessage: null,
              resourceType: 3,
              resourceName: 'g',
              patternType: 3,
              principal: 'User:bob',
              host: '*',
              operation: 3,
              permissionType: 3,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DeleteAcls.response, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
