/**
 * One exchange as a reader of the conversation keeps it: who asked (connection, client id), what
 * (API, versions, correlation id), how it went (outcome, latency, error codes) and both raw frames.
 * Nothing decoded is kept: a viewer decodes the frames when it needs them (frame-view.ts), so a
 * live emulator pays only for this small record per exchange.
 *
 * Three sources make entries: a live emulator's `Exchange` (src/emulator/hooks.ts), a finished
 * exchange of the decoding proxy (src/proxy/types.ts) and a line of a `--record` file, the emulator's
 * or the proxy's (src/proxy/replay.ts parses those).
 */
import type { Exchange } from '../emulator/hooks.js';
import { collectErrorCodes } from '../emulator/hooks.js';
import { errorByCode } from '../protocol/error-codes.js';
import { decodeExchange, type RecordedExchange } from '../proxy/replay.js';
import type { ProxyExchange } from '../proxy/types.js';

export interface TraceEntry {
  connection: number;
  /** `host:port` of the client. */
  remote: string;
  clientId: string | null;
  apiKey: number;
  /** Kafka's name of the API; null for a key this library does not declare. */
  api: string | null;
  version: number;
  /** The response body's version when it differs (a too-new ApiVersions request is answered at v0). */
  responseVersion?: number;
  correlationId: number;
  /** Epoch milliseconds. */
  receivedAt: number;
  latencyMs: number;
  /** `response`, `no-response` (acks=0, dropped) or `closed`. */
  outcome: string;
  /** Every non-zero errorCode of the response body. */
  errorCodes: readonly number[];
  /** Whole frames, size prefix included. */
  request: Buffer;
  response?: Buffer;
}

export function entryFromExchange(e: Exchange): TraceEntry {
  return {
    connection: e.connection.id,
    remote: e.connection.remote,
    clientId: e.header.clientId ?? null,
    apiKey: e.api.apiKey,
    api: e.api.name,
    version: e.version,
    ...(e.responseVersion === undefined ? {} : { responseVersion: e.responseVersion }),
    correlationId: e.header.correlationId,
    receivedAt: e.receivedAt,
    latencyMs: e.latencyMs,
    outcome: e.outcome,
    errorCodes: e.errorCodes,
    request: e.raw,
    response: e.response?.raw,
  };
}

/** A proxied exchange: the response is the one the client got (after address rewrites). */
export function entryFromProxy(x: ProxyExchange): TraceEntry {
  return {
    connection: x.conn,
    remote: x.client,
    clientId: x.clientId,
    apiKey: x.apiKey,
    api: x.api?.name ?? null,
    version: x.version,
    ...(x.response && x.response.version !== x.version ? { responseVersion: x.response.version } : {}),
    correlationId: x.correlationId,
    receivedAt: x.receivedAt,
    latencyMs: x.response ? x.response.at - x.request.at : 0,
    outcome: x.outcome,
    errorCodes: x.response?.body ? collectErrorCodes(x.response.body) : [],
    request: x.request.raw,
    response: x.response?.raw,
  };
}

/** A recorded line; its error codes come from decoding the response frame, as the replay does. */
export function entryFromRecorded(x: RecordedExchange): TraceEntry {
  const decoded = decodeExchange(x);
  return {
    connection: x.connection,
    remote: x.remote,
    clientId: x.clientId,
    apiKey: x.apiKey,
    api: x.api?.name ?? null,
    version: x.version,
    ...(x.response && x.response.version !== x.version ? { responseVersion: x.response.version } : {}),
    correlationId: x.correlationId,
    receivedAt: x.receivedAt,
    latencyMs: x.latencyMs,
    outcome: x.outcome,
    errorCodes: decoded.responseBody === undefined ? [] : collectErrorCodes(decoded.responseBody),
    request: x.request,
    response: x.response?.raw,
  };
}

/** What a list row shows of an entry: plain JSON, no bytes. */
export interface EntrySummary {
  id: number;
  connection: number;
  remote: string;
  clientId: string | null;
  apiKey: number;
  api: string | null;
  version: number;
  responseVersion?: number;
  correlationId: number;
  receivedAt: number;
  latencyMs: number;
  outcome: string;
  errors: { code: number; name: string }[];
  requestBytes: number;
  responseBytes: number | null;
}

export function summarize(id: number, e: TraceEntry): EntrySummary {
  return {
    id,
    connection: e.connection,
    remote: e.remote,
    clientId: e.clientId,
    apiKey: e.apiKey,
    api: e.api,
    version: e.version,
    ...(e.responseVersion === undefined ? {} : { responseVersion: e.responseVersion }),
    correlationId: e.correlationId,
    receivedAt: e.receivedAt,
    latencyMs: Number(e.latencyMs.toFixed(3)),
    outcome: e.outcome,
    errors: [...new Set(e.errorCodes)].map((code) => ({
      code,
      name: errorByCode(code)?.name ?? `UNKNOWN_ERROR_${code}`,
    })),
    requestBytes: e.request.length,
    responseBytes: e.response ? e.response.length : null,
  };
}

/**
 * `JSON.stringify(summarize(id, e))`, the same text (property order included), written out field by
 * field: the live inspector builds one for every exchange it shows, and the object in between cost
 * as much as the text.
 */
export function summaryJson(id: number, e: TraceEntry): string {
  return rowJson(
    id,
    e.connection,
    e.remote,
    e.clientId,
    e.apiKey,
    e.api,
    e.version,
    e.responseVersion ?? -1,
    e.correlationId,
    e.receivedAt,
    e.latencyMs,
    e.outcome,
    e.errorCodes,
    e.request.length,
    e.response ? e.response.length : -1,
  );
}

/**
 * summaryJson from the row's fields one by one, so the columnar history (inspector/history.ts)
 * can write a row without first building an entry object. `responseVersion` and `responseBytes`
 * are -1 for none.
 */
export function rowJson(
  id: number,
  connection: number,
  remote: string,
  clientId: string | null,
  apiKey: number,
  api: string | null,
  version: number,
  responseVersion: number,
  correlationId: number,
  receivedAt: number,
  latencyMs: number,
  outcome: string,
  errorCodes: readonly number[],
  requestBytes: number,
  responseBytes: number,
): string {
  let errors = '';
  if (errorCodes.length > 0) {
    const seen = new Set<number>();
    for (const code of errorCodes) {
      if (seen.has(code)) continue;
      seen.add(code);
      const name = errorByCode(code)?.name ?? `UNKNOWN_ERROR_${code}`;
      errors += `${errors ? ',' : ''}{"code":${code},"name":${JSON.stringify(name)}}`;
    }
  }
  return (
    `{"id":${id},"connection":${connection},"remote":${jsonString(remote)},` +
    `"clientId":${jsonString(clientId)},"apiKey":${apiKey},"api":${jsonString(api)},` +
    `"version":${version},` +
    (responseVersion === -1 ? '' : `"responseVersion":${responseVersion},`) +
    `"correlationId":${correlationId},"receivedAt":${JSON.stringify(receivedAt)},` +
    `"latencyMs":${JSON.stringify(Number(latencyMs.toFixed(3)))},"outcome":${JSON.stringify(outcome)},` +
    `"errors":[${errors}],"requestBytes":${requestBytes},` +
    `"responseBytes":${responseBytes < 0 ? 'null' : responseBytes}}`
  );
}

/** JSON text of the strings rows repeat (addresses, client ids, API names), remembered: a few hundred at most. */
const jsonStrings = new Map<string, string>();

function jsonString(s: string | null): string {
  if (s === null) return 'null';
  let json = jsonStrings.get(s);
  if (json === undefined) {
    json = JSON.stringify(s);
    if (jsonStrings.size >= 1024) jsonStrings.clear();
    jsonStrings.set(s, json);
  }
  return json;
}
