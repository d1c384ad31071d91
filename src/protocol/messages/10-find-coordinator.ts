// FindCoordinator (API key 10): asks any broker which broker coordinates a consumer group, a
// transactional id or a share group; group and transaction requests then go to that broker.
//
// Why the versions exist: v1 adds the key type (0 group, 1 transaction, KIP-98) and an error
// message in the response; v2 throttles after responding; v3 goes flexible. v4 looks up many keys
// at once (KIP-699), replacing the single key and the single answer with arrays. v5 permits the
// TRANSACTION_ABORTABLE error (KIP-890); v6 adds key type 2 for share groups (KIP-932).
// Version 0 is deprecated by Kafka.
import { api, field, type MessageValue, struct, types } from '../schema/declare.js';

export const FindCoordinator = api({
  apiKey: 10,
  name: 'FindCoordinator',
  request: {
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: {
      key: field.string('0-3'),
      // 0 = group, 1 = transaction, 2 = share group.
      keyType: field.int8('1+', { default: 0, ignorable: false }),
      coordinatorKeys: field.array('4+', types.string),
    },
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: {
      throttleTimeMs: field.int32('1+', { ignorable: true }),
      errorCode: field.int16('0-3'),
      errorMessage: field.string('1-3', { nullableVersions: '1-3', ignorable: true }),
      nodeId: field.int32('0-3'),
      host: field.string('0-3'),
      port: field.int32('0-3'),
      coordinators: field.array(
        '4+',
        struct('Coordinator', {
          key: field.string('4+'),
          nodeId: field.int32('4+'),
          host: field.string('4+'),
          port: field.int32('4+'),
          errorCode: field.int16('4+'),
          errorMessage: field.string('4+', { nullableVersions: '4+', ignorable: true }),
        }),
      ),
    },
  },
});

export type FindCoordinatorRequest = MessageValue<typeof FindCoordinator.request>;
export type FindCoordinatorResponse = MessageValue<typeof FindCoordinator.response>;
