// AlterUserScramCredentials (API key 51): adds (upsertions: salt and salted password, computed by the
// client) or removes (deletions) SCRAM credentials of users, replacing the ZooKeeper path used before
// KRaft (KIP-554).
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const AlterUserScramCredentials = api({
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      deletions: field.array(
        '0+',
        struct('ScramCredentialDeletion', {
          name: field.string('0+'),
          mechanism: field.int8('0+'),
        }),
      ),
      upsertions: field.array(
        '0+',
        struct('ScramCredentialUpsertion', {
          name: field.string('0+'),
          mechanism: field.int8('0+'),
          iterations: field.int32('0+'),
          salt: field.bytes('0+'),
          saltedPassword: field.bytes('0+'),
        }),
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      results: field.array(
        '0+',
        struct('AlterUserScramCredentialsResult', {
          user: field.string('0+'),
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
        }),
      ),
    },
  },
});

export type AlterUserScramCredentialsRequest = MessageValue<typeof AlterUserScramCredentials.request>;
export type AlterUserScramCredentialsResponse = MessageValue<typeof AlterUserScramCredentials.response>;
