/**
 * A whole frame as JSON: what it is (API, direction, versions), then Kafka's JSON form of header and
 * body, with the record batches of every `records` field decoded beside it (records-json.ts). Error
 * messages about a batch give frame offsets, as the listing of the same frame does.
 */
import type { DecodedRequest, DecodedResponse } from '../frame.js';
import { RequestHeader, ResponseHeader } from '../headers.js';
import { type KafkaJsonObject, toKafkaJson, toKafkaJsonText } from '../schema/json.js';
import type { Explanation } from './explain.js';
import { recordsToJson } from './records-json.js';

export interface FrameJsonOptions {
  /** Decode `records` fields beside the raw field (default true). */
  records?: boolean;
}

/** `{ api, apiKey, direction, version, headerVersion, header, body }` as a JSON tree. */
export function explanationToJson(e: Explanation, options: FrameJsonOptions = {}): KafkaJsonObject {
  const d = e.decoded as DecodedRequest | DecodedResponse;
  const headerSpec = e.direction === 'request' ? RequestHeader : ResponseHeader;
  const bodySpec = e.direction === 'request' ? e.api.request : e.api.response;
  return {
    api: e.api.name,
    apiKey: e.api.apiKey,
    direction: e.direction,
    version: e.version,
    headerVersion: d.headerVersion,
    header: toKafkaJson(headerSpec, d.headerVersion, d.header),
    body: toKafkaJson(bodySpec, e.version, d.body, recordsOption(e, options)),
  };
}

/** The same as JSON text, pretty-printed with `indent` spaces (default 2; 0 = one line). */
export function explanationToJsonText(e: Explanation, indent = 2, options: FrameJsonOptions = {}): string {
  const d = e.decoded as DecodedRequest | DecodedResponse;
  const headerSpec = e.direction === 'request' ? RequestHeader : ResponseHeader;
  const bodySpec = e.direction === 'request' ? e.api.request : e.api.response;
  const pad = ' '.repeat(indent);
  const nest = (text: string) => (indent ? text.replace(/\n/g, `\n${pad}`) : text);
  const parts: [string, string][] = [
    ['api', JSON.stringify(e.api.name)],
    ['apiKey', String(e.api.apiKey)],
    ['direction', JSON.stringify(e.direction)],
    ['version', String(e.version)],
    ['headerVersion', String(d.headerVersion)],
    ['header', nest(toKafkaJsonText(headerSpec, d.headerVersion, d.header, indent))],
    ['body', nest(toKafkaJsonText(bodySpec, e.version, d.body, indent, recordsOption(e, options)))],
  ];
  const sep = indent ? ': ' : ':';
  const lines = parts.map(([k, v]) => `${JSON.stringify(k)}${sep}${v}`);
  return indent ? `{\n${pad}${lines.join(`,\n${pad}`)}\n}` : `{${lines.join(',')}}`;
}

function recordsOption(e: Explanation, options: FrameJsonOptions) {
  if (options.records === false) return {};
  return {
    records: (bytes: Uint8Array | null) => recordsToJson(bytes, { frameOffset: offsetIn(e.bytes, bytes) }),
  };
}

/** Decoded byte fields are views of the frame: their place in it is the difference of the views. */
function offsetIn(frame: Uint8Array, view: Uint8Array | null): number | undefined {
  if (view === null || view.buffer !== frame.buffer) return undefined;
  const at = view.byteOffset - frame.byteOffset;
  return at >= 0 && at + view.length <= frame.length ? at : undefined;
}
