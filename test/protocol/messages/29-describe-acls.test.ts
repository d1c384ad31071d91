// Golden frames for DescribeAcls (API key 29): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { DescribeAcls } from '../../../src/protocol/messages/29-describe-acls.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('DescribeAcls golden frames', () => {
  it('DescribeAclsRequest v3: every ALLOW binding on prefixed topic patterns', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeAclsRequestData.
    const bytes = hexLayout(`
      02                      resourceTypeFilter: INT8 2
      00                      resourceNameFilter: COMPACT_NULLABLE_STRING null
      04                      patternTypeFilter: INT8 4
      00                      principalFilter: COMPACT_NULLABLE_STRING null
      00                      hostFilter: COMPACT_NULLABLE_STRING null
      01                      operation: INT8 1
      03                      permissionType: INT8 3
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      resourceTypeFilter: 2,
      resourceNameFilter: null,
      patternTypeFilter: 4,
      principalFilter: null,
      hostFilter: null,
      operation: 1,
      permissionType: 3,
    };
    const codec = codecFor(DescribeAcls.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('DescribeAclsResponse v1: one resource with one ACL (classic)', () => {
    // Bytes written by kafka-clients 4.1.1's DescribeAclsResponseData.
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: INT32 0
      0000                      errorCode: INT16 0
      ffff                      errorMessage: NULLABLE_STRING null
      00000001                  resources.<count>: INT32 1
      02                        resources[0].resourceType: INT8 2
      00046170702d              resources[0].resourceName: STRING "app-"
      04                        resources[0].patternType: INT8 4
      00000001                  resources[0].acls.<count>: INT32 1
      000a557365723a616c696365  resources[0].acls[0].principal: STRING "User:alice"
      00012a                    resources[0].acls[0].host: STRING "*"
      03                        resources[0].acls[0].operation: INT8 3
      03                        resources[0].acls[0].permissionType: INT8 3
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      resources: [
        {
          resourceType: 2,
          resourceName: 'app-',
          patternType: 4,
          acls: [
            {
              principal: 'User:alice',
              host: '*',
              operation: 3,
              permissionType: 3,
            },
          ],
        },
      ],
    };
    const codec = codecFor(DescribeAcls.response, 1);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
