// Heartbeat (API key 12): a classic group member telling the coordinator it is alive; the answer
// REBALANCE_IN_PROGRESS is how a member learns it must rejoin.
import { api, field, type MessageValue } from '../schema/declare.js';

export const Heartbeat = api({
  apiKey: 12,
  name: 'Heartbeat',
  request: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: {
      groupId: field.string('0+'),
      generationId: field.int32('0+'),
      memberId: field.string('0+'),
      // KIP-345 static membership.
      groupInstanceId: field.string('3+', { nullableVersions: '3+', default: null }),
    },
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      errorCode: field.int16('0+'),
    },
  },
});

export type HeartbeatRequest = MessageValue<typeof Heartbeat.request>;
export type HeartbeatResponse = MessageValue<typeof Heartbeat.response>;
