/**
 * The learning core: decode a frame while recording a span for every byte, then render those spans
 * as a listing, a tree, or a hex dump with carets under one field.
 */
import {
  type DecodedRequest,
  type DecodedResponse,
  decodeRequestFrame,
  decodeResponseFrame,
} from '../frame.js';
import { type Span, SpanRecorder } from '../primitives/spans.js';
import type { ApiSpec } from '../schema/declare.js';
import { formatValue } from './format-value.js';
import { type HexMark, renderHexDump } from './hex-dump.js';
import { type ListingOptions, renderListing } from './listing.js';
import { drillIntoRecords } from './records.js';
import { findSpan, knownPaths } from './span-tree.js';
import { renderTree } from './tree.js';

export interface ExplainOptions {
  /** Whether the bytes start with the int32 frame size (default true). */
  sizePrefixed?: boolean;
  /** Explain record batches inside `records` fields when a record decoder is available (default true). */
  records?: boolean;
}

export interface Explanation<D = DecodedRequest | DecodedResponse> {
  direction: 'request' | 'response';
  api: ApiSpec;
  version: number;
  decoded: D;
  /** Every recorded span: leaves (value, length) tile the frame; containers enclose them. */
  spans: Span[];
  bytes: Uint8Array;
  listing(options?: ListingOptions): string;
  tree(): string;
  /** The whole frame as a hex dump; with a path, carets under that field's bytes. */
  hexDump(path?: string): string;
}

/** A request frame says what it is: its header names the API and version. */
export function explainRequest(bytes: Uint8Array, options: ExplainOptions = {}): Explanation<DecodedRequest> {
  const recorder = new SpanRecorder();
  const decoded = decodeRequestFrame(bytes, { recorder, sizePrefixed: options.sizePrefixed });
  return build('request', decoded.api, decoded.version, decoded, recorder, bytes, options);
}

/** A response does not: the caller names the API and version it answers. */
export function explainResponse(
  bytes: Uint8Array,
  api: ApiSpec,
  version: number,
  options: ExplainOptions = {},
): Explanation<DecodedResponse> {
  const recorder = new SpanRecorder();
  const decoded = decodeResponseFrame(bytes, api, version, { recorder, sizePrefixed: options.sizePrefixed });
  return build('response', api, version, decoded, recorder, bytes, options);
}

function build<D extends DecodedRequest | DecodedResponse>(
  direction: 'request' | 'response',
  api: ApiSpec,
  version: number,
  decoded: D,
  recorder: SpanRecorder,
  bytes: Uint8Array,
  options: ExplainOptions,
): Explanation<D> {
  const spans = options.records === false ? recorder.spans : drillIntoRecords(recorder.spans);
  return {
    direction,
    api,
    version,
    decoded,
    spans,
    bytes,
    listing: (o) => renderListing(bytes, spans, o),
    tree: () => renderTree(bytes, spans),
    hexDump: (path) => renderHexDump(bytes, path === undefined ? undefined : markField(spans, path)),
  };
}

/** The caret mark for a field path; an unknown path is an error that lists what exists. */
export function markField(spans: readonly Span[], path: string): HexMark {
  const span = findSpan(spans, path);
  if (!span) {
    const paths = knownPaths(spans);
    const near = paths.filter((p) => p.includes(path.split(/[.[]/).pop() ?? path)).slice(0, 8);
    const hint = (near.length > 0 ? near : paths.slice(0, 8)).join(', ');
    throw new Error(`no field '${path}' in this frame; fields include: ${hint}`);
  }
  return { offset: span.offset, length: span.length, label: describeSpan(span) };
}

/** `path (WIRE_TYPE) = value  note`, for carets and error messages. */
export function describeSpan(span: Span): string {
  const value = span.kind === 'container' ? '' : ` = ${formatValue(span.value)}`;
  return `${span.path || '(body)'} (${span.wireType})${value}${span.note ? `  ${span.note}` : ''}`;
}
