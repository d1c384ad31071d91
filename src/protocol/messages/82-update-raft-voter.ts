// UpdateRaftVoter (API key 82): dynamic KRaft quorums (KIP-853). A voter tells the leader, after it
// starts, its current endpoints and the range of kraft.version it supports, so that the voter set in
// the log stays true across restarts and upgrades. Controller → controller only. The response carries
// the current leader as a tagged field, for a voter that asked the wrong node. Only v0 exists,
// flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const UpdateRaftVoter = api({
  apiKey: 82,
  name: 'UpdateRaftVoter',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      clusterId: field.string('0+', { nullableVersions: '0+' }),
      currentLeaderEpoch: field.int32('0+'),
      voterId: field.int32('0+'),
      voterDirectoryId: field.uuid('0+'),
      listeners: field.array(
        '0+',
        struct('Listener', {
          name: field.string('0+'),
          host: field.string('0+'),
          port: field.uint16('0+'),
        }),
      ),
      kRaftVersionFeature: field.struct(
        '0+',
        struct('KRaftVersionFeature', {
          minSupportedVersion: field.int16('0+'),
          maxSupportedVersion: field.int16('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      currentLeader: field.struct(
        '0+',
        struct('CurrentLeader', {
          leaderId: field.int32('0+', { default: -1 }),
          leaderEpoch: field.int32('0+', { default: -1 }),
          host: field.string('0+'),
          port: field.int32('0+'),
        }),
        { tag: 0, taggedVersions: '0+' },
      ),
    },
  },
});

export type UpdateRaftVoterRequest = MessageValue<typeof UpdateRaftVoter.request>;
export type UpdateRaftVoterResponse = MessageValue<typeof UpdateRaftVoter.response>;
