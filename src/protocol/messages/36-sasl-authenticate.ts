// SaslAuthenticate (API key 36): one round of the SASL exchange (after SaslHandshake v1), the
// mechanism's opaque tokens wrapped in Kafka framing so that errors can be reported (KIP-152).
// Versions: v1 returns the session lifetime after which the client must re-authenticate (KIP-368);
// v2 is the first flexible version.
import { api, field, type MessageValue } from '../schema/declare.js';

export const SaslAuthenticate = api({
  apiKey: 36,
  name: 'SaslAuthenticate',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      authBytes: field.bytes('0+'),
    },
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: {
      errorCode: field.int16('0+'),
      errorMessage: field.string('0+', { nullableVersions: '0+' }),
      authBytes: field.bytes('0+'),
      // 0 = the session does not expire (KIP-368).
      sessionLifetimeMs: field.int64('1+', { default: 0n, ignorable: true }),
    },
  },
});

export type SaslAuthenticateRequest = MessageValue<typeof SaslAuthenticate.request>;
export type SaslAuthenticateResponse = MessageValue<typeof SaslAuthenticate.response>;
