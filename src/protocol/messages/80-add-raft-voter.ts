// AddRaftVoter (API key 80): dynamic KRaft quorums (KIP-853). An admin client (through a broker, which
// forwards it, or directly to a controller) asks the quorum leader to add an observer controller,
// named by its id and directory id, to the voter set, together with the endpoints the other voters
// will reach it on. The leader answers once the new voter set is committed or timeoutMs passes. Only
// v0 exists, flexible from the start.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const AddRaftVoter = api({
  apiKey: 80,
  name: 'AddRaftVoter',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      clusterId: field.string('0+', { nullableVersions: '0+' }),
      timeoutMs: field.int32('0+'),
      voterId: field.int32('0+'),
      // The directory id tells two incarnations of the same node id apart (KIP-853's "replica key").
      voterDirectoryId: field.uuid('0+'),
      listeners: field.array(
        '0+',
        struct('Listener', {
          name: field.string('0+'),
          host: field.string('0+'),
          port: field.uint16('0+'),
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
      errorMessage: field.string('0+', { nullableVersions: '0+', ignorable: true }),
    },
  },
});

export type AddRaftVoterRequest = MessageValue<typeof AddRaftVoter.request>;
export type AddRaftVoterResponse = MessageValue<typeof AddRaftVoter.response>;
