// Envelope (API key 58): a broker forwards an admin request it received to the KRaft controller,
// wrapped with the client's principal (serialized by the broker's principal builder) and address, so
// that the controller authorizes the original caller (KIP-590). requestData and responseData are whole
// request/response frames of the wrapped API, header included.
import { api, field, type MessageValue } from '../schema/declare.js';

export const Envelope = api({
  apiKey: 58,
  name: 'Envelope',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      requestData: field.bytes('0+'),
      requestPrincipal: field.bytes('0+', { nullableVersions: '0+' }),
      clientHostAddress: field.bytes('0+'),
    },
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: {
      responseData: field.bytes('0+', { nullableVersions: '0+', default: null }),
      errorCode: field.int16('0+'),
    },
  },
});

export type EnvelopeRequest = MessageValue<typeof Envelope.request>;
export type EnvelopeResponse = MessageValue<typeof Envelope.response>;
