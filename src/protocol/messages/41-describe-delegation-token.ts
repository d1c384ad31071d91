// DescribeDelegationToken (API key 41): lists the delegation tokens owned by the given principals
// (null: every token the caller may see) with their HMACs and renewers (KIP-48).
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible; v3 returns who
// requested each token (KIP-373). Kafka 4.0 removed v0 (KIP-896); kafka-clients 3.9.1 still carries
// it, and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const DescribeDelegationToken = api({
  apiKey: 41,
  name: 'DescribeDelegationToken',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      owners: field.array(
        '0+',
        struct('DescribeDelegationTokenOwner', {
          principalType: field.string('0+'),
          principalName: field.string('0+'),
        }),
        { nullableVersions: '0+' },
      ),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      errorCode: field.int16('0+'),
      tokens: field.array(
        '0+',
        struct('DescribedDelegationToken', {
          principalType: field.string('0+'),
          principalName: field.string('0+'),
          tokenRequesterPrincipalType: field.string('3+'),
          tokenRequesterPrincipalName: field.string('3+'),
          issueTimestamp: field.int64('0+'),
          expiryTimestamp: field.int64('0+'),
          maxTimestamp: field.int64('0+'),
          tokenId: field.string('0+'),
          hmac: field.bytes('0+'),
          renewers: field.array(
            '0+',
            struct('DescribedDelegationTokenRenewer', {
              principalType: field.string('0+'),
              principalName: field.string('0+'),
            }),
          ),
        }),
      ),
      throttleTimeMs: field.int32('0+'),
    },
  },
});

export type DescribeDelegationTokenRequest = MessageValue<typeof DescribeDelegationToken.request>;
export type DescribeDelegationTokenResponse = MessageValue<typeof DescribeDelegationToken.response>;
