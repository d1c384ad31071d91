// DescribeAcls (API key 29): lists the ACL bindings that match a filter (KIP-140). Enum fields use
// Kafka's codes: resourceType (2 TOPIC, 3 GROUP, 4 CLUSTER, 5 TRANSACTIONAL_ID, 6 DELEGATION_TOKEN,
// 7 USER), patternType (1 ANY, 2 MATCH, 3 LITERAL, 4 PREFIXED), operation and permissionType
// (2 DENY, 3 ALLOW; 1 ANY in filters).
//
// Why the versions exist: v1 adds the pattern type, for prefixed ACLs (KIP-290), and answers before
// throttling (KIP-219); v2 goes flexible; v3 allows the USER resource type (KIP-373, delegation
// tokens for other users). Kafka 4.0 removed v0 (KIP-896); kafka-clients 3.9.1 still carries it,
// and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DescribeAcls = api({
  apiKey: 29,
  name: 'DescribeAcls',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      resourceTypeFilter: field.int8('0+'),
      resourceNameFilter: field.string('0+', { nullableVersions: '0+' }),
      patternTypeFilter: field.int8('1+', { default: 3 }),
      principalFilter: field.string('0+', { nullableVersions: '0+' }),
      hostFilter: field.string('0+', { nullableVersions: '0+' }),
      operation: field.int8('0+'),
      permissionType: field.int8('0+'),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      resources: field.array(
        '0+',
        struct('DescribeAclsResource', {
          resourceType: field.int8('0+'),
          resourceName: field.string('0+'),
          patternType: field.int8('1+', { default: 3 }),
          acls: field.array(
            '0+',
            struct('AclDescription', {
              principal: field.string('0+'),
              host: field.string('0+'),
              operation: field.int8('0+'),
              permissionType: field.int8('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type DescribeAclsRequest = MessageValue<typeof DescribeAcls.request>;
export type DescribeAclsResponse = MessageValue<typeof DescribeAcls.response>;
