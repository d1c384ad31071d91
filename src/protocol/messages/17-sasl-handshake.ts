// SaslHandshake (API key 17): the client names the SASL mechanism it wants; the broker answers with
// the mechanisms it has enabled. v0 then exchanged raw SASL tokens outside Kafka framing; v1 (KIP-152)
// carries them in SaslAuthenticate requests instead. Never flexible: clients up to 2.4 negotiate this
// API's version wrongly, so Kafka cannot bump it (KAFKA-9577). Kafka marks v0 deprecated.
import { api, field, type MessageValue, types } from '../schema/declare.js';

export const SaslHandshake = api({
  apiKey: 17,
  name: 'SaslHandshake',
  request: {
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: {
      mechanism: field.string('0+'),
    },
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: {
      errorCode: field.int16('0+'),
      mechanisms: field.array('0+', types.string),
    },
  },
});

export type SaslHandshakeRequest = MessageValue<typeof SaslHandshake.request>;
export type SaslHandshakeResponse = MessageValue<typeof SaslHandshake.response>;
