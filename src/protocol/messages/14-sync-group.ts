// SyncGroup (API key 14): the second step of a classic group rebalance. The leader sends the
// assignment it computed for every member (for consumers: a ConsumerProtocolAssignment each, see
// consumer-protocol.ts); every member, leader included, gets back its own share.
//
// Why the versions exist: v1 adds throttle time and v2 throttles after responding. v3 adds the
// static member's instance id (KIP-345); v4 goes flexible. v5 sends the protocol type and name both
// ways so that broker and client can check they agree (KIP-559).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const SyncGroup = api({
  apiKey: 14,
  name: 'SyncGroup',
  request: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: {
      groupId: field.string('0+'),
      generationId: field.int32('0+'),
      memberId: field.string('0+'),
      groupInstanceId: field.string('3+', { nullableVersions: '3+', default: null }),
      protocolType: field.string('5+', { nullableVersions: '5+', default: null, ignorable: true }),
      protocolName: field.string('5+', { nullableVersions: '5+', default: null, ignorable: true }),
      // Empty unless this member is the leader.
      assignments: field.array(
        '0+',
        struct('SyncGroupRequestAssignment', {
          memberId: field.string('0+'),
          assignment: field.bytes('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      errorCode: field.int16('0+'),
      protocolType: field.string('5+', { nullableVersions: '5+', default: null, ignorable: true }),
      protocolName: field.string('5+', { nullableVersions: '5+', default: null, ignorable: true }),
      assignment: field.bytes('0+'),
    },
  },
});

export type SyncGroupRequest = MessageValue<typeof SyncGroup.request>;
export type SyncGroupResponse = MessageValue<typeof SyncGroup.response>;
