// DeleteAcls (API key 31): deletes the ACL bindings matching each filter and returns what each
// filter deleted (KIP-140); the codes are those listed in 29-describe-acls.ts.
//
// Why the versions exist: v1 adds the pattern type, for prefixed ACLs (KIP-290), and answers before
// throttling (KIP-219); v2 goes flexible; v3 allows the USER resource type (KIP-373). Kafka 4.0
// removed v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DeleteAcls = api({
  apiKey: 31,
  name: 'DeleteAcls',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      filters: field.array(
        '0+',
        struct('DeleteAclsFilter', {
          resourceTypeFilter: field.int8('0+'),
          resourceNameFilter: field.string('0+', { nullableVersions: '0+' }),
          patternTypeFilter: field.int8('1+', { default: 3 }),
          principalFilter: field.string('0+', { nullableVersions: '0+' }),
          hostFilter: field.string('0+', { nullableVersions: '0+' }),
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
      filterResults: field.array(
        '0+',
        struct('DeleteAclsFilterResult', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
          matchingAcls: field.array(
            '0+',
            struct('DeleteAclsMatchingAcl', {
              errorCode: field.int16('0+'),
              errorMessage: field.string('0+', { nullableVersions: '0+' }),
              resourceType: field.int8('0+'),
              resourceName: field.string('0+'),
              patternType: field.int8('1+', { default: 3 }),
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

export type DeleteAclsRequest = MessageValue<typeof DeleteAcls.request>;
export type DeleteAclsResponse = MessageValue<typeof DeleteAcls.response>;
