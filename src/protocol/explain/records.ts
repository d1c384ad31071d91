/**
 * Drilling into `records` fields (RECORDS / COMPACT_RECORDS): a Produce request or Fetch response
 * carries record batches as one opaque byte string; the record-batch decoder (src/protocol/records)
 * explains those bytes too, batch header field by field, record by record, at frame offsets.
 *
 * Limits: records inside a compressed batch are explained by the decoder at offsets in the
 * decompressed data, which a frame listing or hex dump cannot show; those spans are left out and the
 * compressed block stays one leaf. Bytes that do not decode as batches stay one leaf, with the reason.
 */
import { DecodeError } from '../errors.js';
import { type Span, SpanRecorder } from '../primitives/spans.js';
import { decodeRecordBatches } from '../records/index.js';

const RECORD_WIRE_TYPES = new Set(['RECORDS', 'COMPACT_RECORDS']);

/** Returns the spans with every non-empty `records` leaf expanded into its batches' spans. */
export function drillIntoRecords(spans: Span[]): Span[] {
  if (!spans.some(isRecordsLeaf)) return spans;
  const out: Span[] = [];
  for (const s of spans) {
    if (!isRecordsLeaf(s)) {
      out.push(s);
      continue;
    }
    const expanded = decodeBatches(s);
    if (Array.isArray(expanded)) out.push(...expanded);
    else out.push({ ...s, note: `${s.note ? `${s.note}; ` : ''}${expanded}` });
  }
  return out;
}

function isRecordsLeaf(s: Span): boolean {
  return (
    RECORD_WIRE_TYPES.has(String(s.wireType)) &&
    s.kind === 'value' &&
    s.value instanceof Uint8Array &&
    s.value.length > 0
  );
}

/** The spans for one `records` field, or why its bytes stay a single leaf. */
function decodeBatches(field: Span): Span[] | string {
  const data = field.value as Uint8Array;
  // The value is a view of the frame; its length prefix sits just before it.
  const dataAt = field.offset + field.length - data.length;
  const prefix = dataAt - field.offset;
  const recorder = new SpanRecorder();
  recorder.enter(field.path);
  try {
    decodeRecordBatches(data, { recorder, frameOffset: dataAt });
  } catch (err) {
    if (err instanceof DecodeError) return `not record batches: ${err.message}`;
    throw err;
  }
  const out: Span[] = [
    { ...field, kind: 'container', note: field.note },
    {
      offset: field.offset,
      length: prefix,
      path: `${field.path}.<length>`,
      wireType: field.wireType,
      kind: 'length',
      value: data.length,
      note: field.note,
    },
  ];
  const compressed = recorder.spans.filter(
    (s) => s.kind === 'container' && /^compressed with /.test(s.note ?? ''),
  );
  const insideCompressed = (s: Span) => compressed.some((c) => s !== c && s.path.startsWith(`${c.path}[`));
  for (const s of recorder.spans) {
    if (compressed.includes(s)) {
      out.push(s, { ...s, kind: 'value', value: undefined });
      continue;
    }
    if (insideCompressed(s)) continue;
    out.push(s);
  }
  return out;
}
