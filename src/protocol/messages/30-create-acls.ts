// CreateAcls (API key 30): adds ACL bindings (KIP-140), each a resource pattern plus principal, host,
// operation and permission; the codes are those listed in 29-describe-acls.ts.
//
// Why the versions exist: v1 adds the pattern type, for prefixed ACLs (KIP-290), and answers before
// throttling (KIP-219); v2 goes flexible; v3 allows the USER resource type (KIP-373). Kafka 4.0
// removed v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const CreateAcls = api({
  apiKey: 30,
  name: 'CreateAcls',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      creations: field.array(
        '0+',
        struct('AclCreation', {
          resourceType: field.int8('0+'),
          resourceName: field.string('0+'),
          resourcePatternType: field.int8('1+', { default: 3 }),
          principal: field.string('0+'),
          host: field.string('0+'),
          operation: field.int8('0+'),
          permissionType: field.int8('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      results: field.array(
        '0+',
        struct('AclCreationResult', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
        }),
      ),
    },
  },
});

export type CreateAclsRequest = MessageValue<typeof CreateAcls.request>;
export type CreateAclsResponse = MessageValue<typeof CreateAcls.response>;
