// JoinGroup (API key 11): the first step of a classic group rebalance. Each member sends the
// protocols it supports (for consumers: assignor names with a ConsumerProtocolSubscription as
// metadata, see consumer-protocol.ts); the coordinator picks one protocol and a leader, and sends
// the leader every member's metadata so it can compute the assignment.
//
// Why the versions exist: v1 separates the rebalance timeout from the session timeout (KIP-62);
// v2 adds throttle time and v3 throttles after responding. From v4 a new member gets
// MEMBER_ID_REQUIRED and must rejoin with the id it was given (KIP-394). v5 adds the static
// member's instance id (KIP-345); v6 goes flexible; v7 returns the protocol type (KIP-559); v8 adds
// a free-text reason for the rejoin (KIP-800). v9 adds skipAssignment: a static leader that rejoins
// a stable group is told to keep the current assignment instead of computing one (KIP-814).
// Versions 0-1 are deprecated by Kafka.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const JoinGroup = api({
  apiKey: 11,
  name: 'JoinGroup',
  request: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: {
      groupId: field.string('0+'),
      sessionTimeoutMs: field.int32('0+'),
      // -1 is only a placeholder: without this field (v0) the session timeout serves for both.
      rebalanceTimeoutMs: field.int32('1+', { default: -1, ignorable: true }),
      // "" on the first join; the coordinator assigns one.
      memberId: field.string('0+'),
      groupInstanceId: field.string('5+', { nullableVersions: '5+', default: null }),
      // "consumer" for Kafka consumers, "connect" for Connect workers.
      protocolType: field.string('0+'),
      protocols: field.array(
        '0+',
        struct('JoinGroupRequestProtocol', {
          name: field.string('0+'),
          metadata: field.bytes('0+'),
        }),
      ),
      reason: field.string('8+', { nullableVersions: '8+', default: null, ignorable: true }),
    },
  },
  response: {
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: {
      throttleTimeMs: field.int32('2+', { ignorable: true }),
      errorCode: field.int16('0+'),
      generationId: field.int32('0+', { default: -1 }),
      protocolType: field.string('7+', { nullableVersions: '7+', default: null, ignorable: true }),
      protocolName: field.string('0+', { nullableVersions: '7+' }),
      leader: field.string('0+'),
      skipAssignment: field.bool('9+', { default: false }),
      memberId: field.string('0+'),
      // Filled only in the leader's response.
      members: field.array(
        '0+',
        struct('JoinGroupResponseMember', {
          memberId: field.string('0+'),
          groupInstanceId: field.string('5+', { ignorable: true, nullableVersions: '5+', default: null }),
          metadata: field.bytes('0+'),
        }),
      ),
    },
  },
});

export type JoinGroupRequest = MessageValue<typeof JoinGroup.request>;
export type JoinGroupResponse = MessageValue<typeof JoinGroup.response>;
