// DescribeUserScramCredentials (API key 50): which SCRAM mechanisms (1 = SCRAM-SHA-256,
// 2 = SCRAM-SHA-512) and iteration counts a user has credentials for, never the credentials
// themselves (KIP-554). A null users list asks for every user.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DescribeUserScramCredentials = api({
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      users: field.array(
        '0+',
        struct('UserName', {
          name: field.string('0+'),
        }),
        { nullableVersions: '0+' },
      ),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      throttleTimeMs: field.int32('0+'),
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      results: field.array(
        '0+',
        struct('DescribeUserScramCredentialsResult', {
          user: field.string('0+'),
          errorCode: field.int16('0+'),
          errorMessage: field.string('0+', { nullableVersions: '0+' }),
          credentialInfos: field.array(
            '0+',
            struct('CredentialInfo', {
              mechanism: field.int8('0+'),
              iterations: field.int32('0+'),
            }),
          ),
        }),
      ),
    },
  },
});

export type DescribeUserScramCredentialsRequest = MessageValue<typeof DescribeUserScramCredentials.request>;
export type DescribeUserScramCredentialsResponse = MessageValue<typeof DescribeUserScramCredentials.response>;
