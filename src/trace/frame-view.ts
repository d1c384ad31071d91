/**
 * One frame, decoded by src/protocol with its spans, in the shape a viewer draws: the span tree
 * (explain/span-tree.ts — the same nesting `kafkalab decode --format tree` prints), every node with
 * its byte range, wire type, value and note; the frame's bytes; and Kafka's JSON form of header and
 * body with record batches decoded beside their `records` field (explain/json.ts). A frame that
 * does not decode keeps the spans read before the failure and names the byte where it stopped, as
 * the CLI's error does. The viewer only draws this; it never decodes bytes itself.
 */
import { DecodeError } from '../protocol/errors.js';
import {
  codecsFor,
  type Explanation,
  explainRequest,
  explainResponse,
  explanationToJsonText,
  formatValue,
  pathSegments,
  renderListing,
  type SpanNode,
  spanTree,
} from '../protocol/explain/index.js';
import { decodeRequestFrame, decodeResponseFrame } from '../protocol/frame.js';
import { apiByKey } from '../protocol/messages/index.js';
import { type Span, SpanRecorder } from '../protocol/primitives/spans.js';
import type { ApiSpec } from '../protocol/schema/declare.js';
import { type BatchLabel, batchLabel } from './batch-labels.js';
import { fieldRule, type RuleContext } from './field-rules.js';

export interface FrameNode {
  /** Position in depth-first order: unique within the frame, what a viewer links bytes to. */
  id: number;
  label: string;
  /** The field path as the CLI's `--field` takes it (`topics[0].partitions[0].records`). */
  path: string;
  wireType: string;
  kind: Span['kind'];
  offset: number;
  length: number;
  /** The value as the listing prints it (int64 exact, bytes as text or hex); absent on containers. */
  value?: string;
  note?: string;
  /** The declaration's rule that put the field there: versions, flexible, nullable, tagged (field-rules.ts). */
  rule?: string;
  /** On a record batch: what it is in a few words (batch-labels.ts), e.g. `gzip: 60 → 295 bytes, 5 records`. */
  batch?: string;
  children?: FrameNode[];
}

export interface FrameView {
  direction: 'request' | 'response';
  api: string | null;
  version: number;
  /** The frame in hex, size prefix included. */
  hex: string;
  nodes: FrameNode[];
  /** Every record batch of the frame, labelled: compression and sizes, control markers. */
  batches: BatchLabel[];
  /** Why decoding stopped, and where (a frame offset). */
  error?: { message: string; offset: number | null; path: string };
}

/** A FrameView and Kafka's JSON form of the frame, as JSON text (int64s exact, so not JSON.stringify). */
export interface FrameViewText {
  view: FrameView;
  /** `explanationToJsonText` of the frame, or `null` when it did not decode. */
  jsonText: string;
  /** The bytes shown (credentials zeroed) and their spans, for the listing export. */
  bytes: Buffer;
  spans: readonly Span[];
}

/** Decodes a request frame (its header names the API). */
export async function viewRequest(bytes: Buffer, apiKey: number): Promise<FrameViewText> {
  await codecsFor(apiByKey(apiKey));
  return viewOf(
    'request',
    bytes,
    apiKey,
    (b) => explainRequest(b),
    (b, recorder) => {
      decodeRequestFrame(b, { recorder });
    },
  );
}

/** Decodes a response frame of `apiKey` at `version` (a response does not say what it answers). */
export async function viewResponse(bytes: Buffer, apiKey: number, version: number): Promise<FrameViewText> {
  const api: ApiSpec | undefined = apiByKey(apiKey);
  await codecsFor(api);
  return viewOf(
    'response',
    bytes,
    apiKey,
    (b) => {
      if (!api) throw new Error(`API key ${apiKey} is not declared in kafkalab/protocol`);
      return explainResponse(b, api, version);
    },
    (b, recorder) => {
      if (api) decodeResponseFrame(b, api, version, { recorder });
    },
    version,
  );
}

function viewOf(
  direction: 'request' | 'response',
  original: Buffer,
  apiKey: number,
  explain: (bytes: Buffer) => Explanation,
  partial: (bytes: Buffer, recorder: SpanRecorder) => void,
  responseVersion?: number,
): FrameViewText {
  const redact = apiKey === SASL_AUTHENTICATE;
  const bytes = redact ? withoutCredentials(original, explain, partial) : original;
  const api = apiByKey(apiKey);
  const toNodes = (spans: readonly Span[], version: number) => {
    const batches: BatchLabel[] = [];
    const nodes = spanNodes(spans, api && version >= 0 ? { api, direction, version } : undefined, batches);
    if (redact) markRedacted(nodes);
    return { nodes, batches };
  };
  const hex = bytes.toString('hex');
  const apiName = apiByKey(apiKey)?.name ?? null;
  try {
    const e = explain(bytes);
    return {
      view: { direction, api: e.api.name, version: e.version, hex, ...toNodes(e.spans, e.version) },
      jsonText: explanationToJsonText(e, 0),
      bytes,
      spans: e.spans,
    };
  } catch (err) {
    // The spans read before the failure still explain those bytes.
    const recorder = new SpanRecorder();
    try {
      partial(bytes, recorder);
    } catch {
      // the same failure again; what it recorded is kept
    }
    const version = responseVersion ?? (bytes.length >= 8 ? bytes.readInt16BE(6) : -1);
    const error =
      err instanceof DecodeError
        ? { message: err.message, offset: err.offset, path: err.path }
        : { message: err instanceof Error ? err.message : String(err), offset: null, path: '' };
    return {
      view: { direction, api: apiName, version, hex, ...toNodes(recorder.spans, version), error },
      jsonText: 'null',
      bytes,
      spans: recorder.spans,
    };
  }
}

/**
 * SaslAuthenticate carries credentials in `authBytes` (PLAIN's password, SCRAM's proofs): a viewer
 * shows where they are and how long, never what they are. The bytes are zeroed before anything is
 * decoded for the page, so neither the tree, the hex dump nor the JSON form has them.
 */
const SASL_AUTHENTICATE = 36;

function withoutCredentials(
  bytes: Buffer,
  explain: (bytes: Buffer) => Explanation,
  partial: (bytes: Buffer, recorder: SpanRecorder) => void,
): Buffer {
  let spans: readonly Span[];
  try {
    spans = explain(bytes).spans;
  } catch {
    const recorder = new SpanRecorder();
    try {
      partial(bytes, recorder);
    } catch {
      // what was read before the failure is what can be found
    }
    spans = recorder.spans;
  }
  const copy = Buffer.from(bytes);
  for (const s of spans) {
    if (!s.path.endsWith('authBytes') || !(s.value instanceof Uint8Array)) continue;
    // The value is a view of the frame; its length prefix sits just before it.
    const at = s.offset + s.length - s.value.length;
    copy.fill(0, at, at + s.value.length);
  }
  return copy;
}

function markRedacted(nodes: FrameNode[]): void {
  for (const n of nodes) {
    if (n.path.endsWith('authBytes') && n.kind === 'value') {
      n.value = `(${n.length} bytes with the length, redacted)`;
      n.note = 'SASL credentials are not shown; the bytes are zeroed in this view';
    }
    if (n.children) markRedacted(n.children);
  }
}

function spanNodes(
  spans: readonly Span[],
  rules: RuleContext | undefined,
  batches: BatchLabel[],
): FrameNode[] {
  let next = 0;
  const convert = (n: SpanNode): FrameNode => {
    const s = n.span;
    const node: FrameNode = {
      id: next++,
      label: label(s),
      path: s.path,
      wireType: String(s.wireType),
      kind: s.kind,
      offset: s.offset,
      length: s.length,
    };
    if (s.kind !== 'container') node.value = formatValue(s.value, { maxChars: 160 });
    if (s.note) node.note = s.note;
    const rule = rules ? fieldRule(rules, s.path, String(s.wireType)) : undefined;
    if (rule) node.rule = rule;
    if (s.wireType === 'RECORD_BATCH' && s.kind === 'container') {
      const b = batchLabel(n);
      if (b) {
        node.batch = b.text;
        batches.push(b);
      }
    }
    if (n.children.length > 0) node.children = n.children.map(convert);
    return node;
  };
  return spanTree(spans).map(convert);
}

/** The name a node has under its parent, as the CLI's tree names it. */
function label(span: Span): string {
  if (span.wireType === 'TAG_BUFFER') return '<tags>';
  if (span.wireType === 'TAGGED_FIELD') {
    const tag = (span.value as { tag?: number } | undefined)?.tag;
    return `<tag ${tag ?? '?'}>`;
  }
  const segments = pathSegments(span.path);
  if (segments.length === 0) return span.kind === 'container' ? 'body' : '(root)';
  const last = segments[segments.length - 1];
  if (last === '<tags>' && span.kind === 'length') return '<count>';
  return last;
}

/** The FrameView with its JSON form as one JSON text: `{...view, "json": <Kafka JSON>}`. */
export function frameViewJson(f: FrameViewText): string {
  const view = JSON.stringify(f.view);
  return `${view.slice(0, -1)},"json":${f.jsonText}}`;
}

/**
 * The frame as `kafkalab decode` lists it: one line per leaf span, then where decoding stopped (the
 * inspector's "listing" export).
 */
export function frameListing(f: FrameViewText): string {
  const head = `${f.view.direction} ${f.view.api ?? 'unknown API'} v${f.view.version}, ${f.bytes.length} bytes`;
  const listing = f.spans.length > 0 ? renderListing(f.bytes, f.spans) : '';
  const stop = f.view.error
    ? `\ndecoding stopped${f.view.error.offset === null ? '' : ` at byte ${f.view.error.offset}`}: ${f.view.error.message}\n`
    : '';
  return `${head}\n${listing}${listing.endsWith('\n') || listing === '' ? '' : '\n'}${stop}`;
}
