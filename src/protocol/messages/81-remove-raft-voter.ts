// RemoveRaftVoter (API key 81): dynamic KRaft quorums (KIP-853). Asks the quorum leader to take a
// voter, named by id and directory id, out of the voter set; the removed controller stays an observer.
// Only v0 exists, flexible from the start.
import { api, field, type MessageValue } from '../schema/declare.js';

export const RemoveRaftVoter = api({
  apiKey: 81,
  name: 'RemoveRaftVoter',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      clusterId: field.string('0+', { nullableVersions: '0+' }),
      voterId: field.int32('0+'),
      voterDirectoryId: field.uuid('0+'),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+', ignorable: true }),
    },
  },
});

export type RemoveRaftVoterRequest = MessageValue<typeof RemoveRaftVoter.request>;
export type RemoveRaftVoterResponse = MessageValue<typeof RemoveRaftVoter.response>;
