// DeleteGroups (API key 42): deletes empty consumer groups and their committed offsets (KIP-229).
// Versions: v1 answers before throttling; v2 is the first flexible version. Kafka marks v0 deprecated.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const DeleteGroups = api({
  apiKey: 42,
  name: 'DeleteGroups',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      // Kafka's own (odd) name: GroupsNames.
      groupsNames: field.array('0+', types.string),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      results: field.array(
        '0+',
        struct('DeletableGroupResult', {
          groupId: field.string('0+'),
          // NON_EMPTY_GROUP while the group still has members.
          errorCode: field.int16('0+'),
        }),
      ),
    },
  },
});

export type DeleteGroupsRequest = MessageValue<typeof DeleteGroups.request>;
export type DeleteGroupsResponse = MessageValue<typeof DeleteGroups.response>;
