// CreateDelegationToken (API key 38): asks for a delegation token, a lightweight credential a client
// can later authenticate with through SASL/SCRAM instead of Kerberos or TLS (KIP-48).
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible; v3 lets a user
// create a token owned by another principal and returns who requested it (KIP-373). Kafka 4.0 removed
// v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we.
import { api, field, type MessageValue, struct } from '../schema/declare.js';

export const CreateDelegationToken = api({
  apiKey: 38,
  name: 'CreateDelegationToken',
  request: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      ownerPrincipalType: field.string('3+', { nullableVersions: '3+' }),
      ownerPrincipalName: field.string('3+', { nullableVersions: '3+' }),
      renewers: field.array(
        '0+',
        struct('CreatableRenewers', {
          principalType: field.string('0+'),
          principalName: field.string('0+'),
        }),
      ),
      maxLifetimeMs: field.int64('0+'),
    },
  },
  response: {
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: {
      errorCode: field.int16('0+'),
      principalType: field.string('0+'),
      principalName: field.string('0+'),
      tokenRequesterPrincipalType: field.string('3+'),
      tokenRequesterPrincipalName: field.string('3+'),
      issueTimestampMs: field.int64('0+'),
      expiryTimestampMs: field.int64('0+'),
      maxTimestampMs: field.int64('0+'),
      tokenId: field.string('0+'),
      hmac: field.bytes('0+'),
      throttleTimeMs: field.int32('0+'),
    },
  },
});

export type CreateDelegationTokenRequest = MessageValue<typeof CreateDelegationToken.request>;
export type CreateDelegationTokenResponse = MessageValue<typeof CreateDelegationToken.response>;
