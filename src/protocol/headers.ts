/**
 * Request and response headers, declared like any message, plus the one place that knows the two
 * historical exceptions to "flexible body ⇒ flexible header".
 */
import { field, type MessageValue, message } from './schema/declare.js';

export const RequestHeader = message({
  name: 'RequestHeader',
  type: 'header',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: {
    requestApiKey: field.int16('0+'),
    requestApiVersion: field.int16('0+'),
    correlationId: field.int32('0+'),
    // Always the classic int16-length NULLABLE_STRING, even in header v2: old brokers must be able
    // to read the client id of a request they are about to reject.
    // Kafka 4.0 removed header v0 (KIP-896) and 4.1.1 drops `ignorable` here. We keep v0 (3.9.1
    // carries it, for ControlledShutdown v0) and keep `ignorable` as 3.9.1 has it: at v1-2 the field
    // is always on the wire, so it matters only at v0, where dropping it would turn a header written
    // with a client id from "id left out" into an encode error.
    clientId: field.string('1+', { nullableVersions: '1+', ignorable: true, flexibleVersions: 'none' }),
  },
});

export const ResponseHeader = message({
  name: 'ResponseHeader',
  type: 'header',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: {
    correlationId: field.int32('0+'),
  },
});

export type RequestHeaderValue = MessageValue<typeof RequestHeader>;
export type ResponseHeaderValue = MessageValue<typeof ResponseHeader>;

export const API_VERSIONS_KEY = 18;
export const CONTROLLED_SHUTDOWN_KEY = 7;

/** Header version for a request: v2 when the body version is flexible, else v1; one exception. */
export function requestHeaderVersion(apiKey: number, apiVersion: number, bodyFlexible: boolean): number {
  // ControlledShutdown v0 predates client ids and was sent by brokers with header v0.
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  return bodyFlexible ? 2 : 1;
}

/** Header version for a response: v1 when the body version is flexible, else v0; one exception. */
export function responseHeaderVersion(apiKey: number, bodyFlexible: boolean): number {
  // KIP-511: an ApiVersions response always uses header v0, so that a client that sent a version the
  // broker does not know can still read the (v0-bodied) UNSUPPORTED_VERSION answer.
  if (apiKey === API_VERSIONS_KEY) return 0;
  return bodyFlexible ? 1 : 0;
}
