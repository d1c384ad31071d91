// ListGroups (API key 16): asks one broker for the groups it coordinates; admin clients ask every
// broker and merge the answers.
// Versions: v1 adds throttleTimeMs and v2 answers before throttling; v3 is the first flexible version;
// v4 filters by state and returns each group's state (KIP-518); v5 filters by group type and returns
// it, classic or consumer (KIP-848).
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const ListGroups = api({
  apiKey: 16,
  name: 'ListGroups',
  request: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      // An empty filter means "all".
      statesFilter: field.array('4+', types.string),
      typesFilter: field.array('5+', types.string),
    },
  },
  response: {
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      errorCode: field.int16('0+'),
      groups: field.array(
        '0+',
        struct('ListedGroup', {
          groupId: field.string('0+'),
          protocolType: field.string('0+'),
          groupState: field.string('4+', { ignorable: true }),
          groupType: field.string('5+', { ignorable: true }),
        }),
      ),
    },
  },
});

export type ListGroupsRequest = MessageValue<typeof ListGroups.request>;
export type ListGroupsResponse = MessageValue<typeof ListGroups.response>;
