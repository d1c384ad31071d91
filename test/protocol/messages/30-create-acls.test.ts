// Golden frames for CreateAcls (API key 30): decode, encode and mirror. The bytes are
// Apache Kafka's (its generated serializer, through the codec oracle: test/oracle/golden-frame.ts);
// the comments beside them are what our decoder reads there.
import { describe, expect, it } from 'vitest';
import { CreateAcls } from '../../../src/protocol/messages/30-create-acls.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('CreateAcls golden frames', () => {
  it('CreateAclsRequest v3: alice may write to topics starting app-', () => {
    // Bytes written by kafka-clients 4.1.1's CreateAclsRequestData.
    const bytes = hexLayout(`
      02                      creations.<count>: UNSIGNED_VARINT 1
      02                      creations[0].resourceType: INT8 2
      056170702d              creations[0].resourceName: COMPACT_STRING "app-"
      04                      creations[0].resourcePatternType: INT8 4
      0b557365723a616c696365  creations[0].principal: COMPACT_STRING "User:alice"
      022a                    creations[0].host: COMPACT_STRING "*"
      04                      creations[0].operation: INT8 4
      03                      creations[0].permissionType: INT8 3
      00                      creations[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      creations: [
        {
          resourceType: 2,
          resourceName: 'app-',
          resourcePatternType: 4,
          principal: 'User:alice',
          host: '*',
          operation: 4,
          permissionType: 3,
        },
      ],
    };
    const codec = codecFor(CreateAcls.request, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });

  it('CreateAclsResponse v3: one binding created', () => {
    // Bytes written by kafka-clients 4.1.1's CreateAclsResponseData.
    const bytes = hexLayout(`
      00000000                throttleTimeMs: INT32 0
      02                      results.<count>: UNSIGNED_VARINT 1
      0000                    results[0].errorCode: INT16 0
      00                      results[0].errorMessage: COMPACT_NULLABLE_STRING null
      00                      results[0].<tags>: UNSIGNED_VARINT 0
      00                      <tags>: UNSIGNED_VARINT 0
    `);
    const value = {
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0,
          errorMessage: null,
        },
      ],
    };
    const codec = codecFor(CreateAcls.response, 3);
    expect(codec.decode(bytes)).toEqual(value);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
  });
});
