// RenewDelegationToken (API key 39): extends a delegation token's expiry by a period, up to its max
// lifetime (KIP-48).
//
// Why the versions exist: v1 answers before throttling (KIP-219); v2 goes flexible. Kafka 4.0 removed
// v0 (KIP-896); kafka-clients 3.9.1 still carries it, and so do we.
import { api, field, type MessageValue } from '../schema/declare.js';

export const RenewDelegationToken = api({
  apiKey: 39,
  name: 'RenewDelegationToken',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      hmac: field.bytes('0+'),
      renewPeriodMs: field.int64('0+'),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      errorCode: field.int16('0+'),
      expiryTimestampMs: field.int64('0+'),
      throttleTimeMs: field.int32('0+'),
    },
  },
});

export type RenewDelegationTokenRequest = MessageValue<typeof RenewDelegationToken.request>;
export type RenewDelegationTokenResponse = MessageValue<typeof RenewDelegationToken.response>;
