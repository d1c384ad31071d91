// DescribeGroups (API key 15): asks a group coordinator for the state, protocol and members of
// classic groups (admin tools, `kafka-consumer-groups --describe`).
// Versions: v1 adds throttleTimeMs and v2 answers before throttling; v3 can return the caller's
// authorized operations on the group (KIP-430); v4 returns each member's group.instance.id
// (KIP-345 static membership); v5 is the first flexible version.
// v6 (Kafka 4.0, KIP-1043; declared from kafka-clients 4.1.1, not in the late-2024 spec snapshot)
// answers an unknown group with GROUP_ID_NOT_FOUND (69) and an errorMessage, where v0-5 describe it
// as Dead with no error; the request's v6 has v5's bytes.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DescribeGroups = api({
  apiKey: 15,
  name: 'DescribeGroups',
  request: {
    validVersions: '0-6',
    flexibleVersions: '5+',
    fields: {
      groups: field.array('0+', types.string),
      includeAuthorizedOperations: field.bool('3+'),
    },
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '5+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      groups: field.array(
        '0+',
        struct('DescribedGroup', {
          errorCode: field.int16('0+'),
          errorMessage: field.string('6+', { nullableVersions: '6+', default: null }),
          groupId: field.string('0+'),
          groupState: field.string('0+'),
          protocolType: field.string('0+'),
          // Only filled in while the group is Stable.
          protocolData: field.string('0+'),
          // Always empty for a Dead group.
          members: field.array(
            '0+',
            struct('DescribedGroupMember', {
              memberId: field.string('0+'),
              groupInstanceId: field.string('4+', { ignorable: true, nullableVersions: '4+', default: null }),
              clientId: field.string('0+'),
              clientHost: field.string('0+'),
              // Metadata and assignment are opaque to the broker (the consumer protocol's bytes) and
              // only provided while the group is Stable.
              memberMetadata: field.bytes('0+'),
              memberAssignment: field.bytes('0+'),
            }),
          ),
          // INT32_MIN means "not requested" (KIP-430).
          authorizedOperations: field.int32('3+', { default: -2147483648 }),
        }),
      ),
    },
  },
});

export type DescribeGroupsRequest = MessageValue<typeof DescribeGroups.request>;
export type DescribeGroupsResponse = MessageValue<typeof DescribeGroups.response>;
