// LeaveGroup (API key 13): a classic group member (or an admin, for static members) tells the
// coordinator it is leaving, so the group rebalances now instead of after the session timeout.
//
// Why the versions exist: v1 adds throttle time and v2 throttles after responding. v3 turns the
// request into a batch of member identities with static instance ids, so an admin can remove
// several static members at once (KIP-345). v4 goes flexible; v5 adds a free-text reason per
// member (KIP-800).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const LeaveGroup = api({
  apiKey: 13,
  name: 'LeaveGroup',
  request: {
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: {
      groupId: field.string('0+'),
      memberId: field.string('0-2'),
      members: field.array(
        '3+',
        struct('MemberIdentity', {
          memberId: field.string('3+'),
          groupInstanceId: field.string('3+', { nullableVersions: '3+', default: null }),
          reason: field.string('5+', { nullableVersions: '5+', default: null, ignorable: true }),
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
      members: field.array(
        '3+',
        struct('MemberResponse', {
          memberId: field.string('3+'),
          groupInstanceId: field.string('3+', { nullableVersions: '3+' }),
          errorCode: field.int16('3+'),
        }),
      ),
    },
  },
});

export type LeaveGroupRequest = MessageValue<typeof LeaveGroup.request>;
export type LeaveGroupResponse = MessageValue<typeof LeaveGroup.response>;
