/**
 * Drilling into `records` fields (RECORDS / COMPACT_RECORDS): a Produce request or Fetch response
 * carries record batches as one opaque byte string; with a record-batch decoder we can explain
 * those bytes too, batch header field by field, record by record.
 *
 * HOOK: the record-batch decoder (src/protocol/records/) is being written by another helper. Until it
 * exists with a recorder-accepting entry point, `records` fields stay single leaf spans (length prefix
 * and batch bytes together) and their note says so. Wire it in `decodeBatches` below.
 */
import type { Span } from '../primitives/spans.js';

const RECORD_WIRE_TYPES = new Set(['RECORDS', 'COMPACT_RECORDS']);

/**
 * Returns the spans with every `records` leaf expanded into its batches' spans when a decoder is
 * available; otherwise the same spans, the records leaves annotated.
 */
export function drillIntoRecords(bytes: Uint8Array, spans: Span[]): Span[] {
  if (!spans.some((s) => RECORD_WIRE_TYPES.has(String(s.wireType)) && s.kind === 'value')) return spans;
  const out: Span[] = [];
  for (const s of spans) {
    if (
      !RECORD_WIRE_TYPES.has(String(s.wireType)) ||
      s.kind !== 'value' ||
      !(s.value instanceof Uint8Array)
    ) {
      out.push(s);
      continue;
    }
    const expanded = decodeBatches(bytes, s);
    if (expanded) out.push(...expanded);
    else
      out.push({
        ...s,
        note: `${s.note ? `${s.note}; ` : ''}record batches not expanded (no record decoder yet)`,
      });
  }
  return out;
}

/** The record-batch decoder's spans for one `records` field, or undefined when it cannot help. */
function decodeBatches(_bytes: Uint8Array, _field: Span): Span[] | undefined {
  return undefined;
}
