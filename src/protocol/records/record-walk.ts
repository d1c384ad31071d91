import { RecordCursor } from './record-varint.js';

/**
 * What a broker's validation needs from a batch's records, read by walking them in place: no record
 * objects, no key/value views, no header arrays (building those was most of a Produce's CPU and
 * garbage). Kafka's LogValidator also reads every record of a produced batch; it needs only these
 * facts unless something is wrong, and then the full decoder tells what.
 */
export interface RecordsSummary {
  /** Every record's offsetDelta equals its index (0, 1, 2, …). */
  denseOffsets: boolean;
  /** At least one record has a null key (refused on a compacted topic). */
  nullKey: boolean;
  /**
   * false when some timestamp is not a number this walk can use exactly (|t| > 2^52, or a delta
   * beyond 53 bits): the timestamp fields below are then meaningless and the caller must decode.
   */
  exactTimestamps: boolean;
  /** Smallest and greatest timestamp over the records whose timestamp is not -1 (NO_TIMESTAMP). */
  lowTimestamp: number;
  highTimestamp: number;
  /**
   * Index of the first record with the greatest timestamp above -1, as the broker picks the offset of
   * the max timestamp; -1 when no record has one.
   */
  maxTimestampIndex: number;
}

/** The smallest record: length, attributes, timestampDelta, offsetDelta, key, value, header count. */
const MIN_RECORD_SIZE = 7;
/** Timestamps within ±2^52 leave room for `now - t` to stay exact in a double. */
const EXACT_LIMIT = 2 ** 52;

/**
 * Walks `count` records in `bytes[start, end)` (a batch's records, decompressed if they were
 * compressed) with the same bounds the decoder (batch-decoder.ts readRecord) enforces — record length
 * within what is left, varints of at most 5/10 bytes, key, value, header key and value lengths within
 * the record, fields ending exactly at the record's end, records ending exactly at `end`.
 * `baseTimestamp` is the batch's, as a number (NaN when it is not exact).
 *
 * Returns undefined when the bytes are not exactly `count` well-formed records: the decoder accepts
 * and refuses the same inputs (test/protocol/records/record-walk.test.ts), so a caller decodes them
 * to get its error with offset and field path, which this walk does not build.
 */
export function walkRecords(
  bytes: Buffer,
  start: number,
  end: number,
  count: number,
  baseTimestamp: number,
): RecordsSummary | undefined {
  if (count < 0 || count * MIN_RECORD_SIZE > end - start) return undefined;
  const c = new RecordCursor(bytes, start, end);
  let denseOffsets = true;
  let nullKey = false;
  let exact = Math.abs(baseTimestamp) <= EXACT_LIMIT;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let best = -1;
  let bestIndex = -1;
  // The cursor throws a DecodeError for a varint that is too long or runs past its end.
  try {
    for (let i = 0; i < count; i++) {
      const length = c.varint();
      if (length < MIN_RECORD_SIZE - 1 || length > end - c.pos) return undefined;
      const recordEnd = c.pos + length;
      c.end = recordEnd;
      c.pos++; // attributes: unused, any value
      const tsDelta = c.varlong();
      if (c.varint() !== i) denseOffsets = false;
      const keyLength = c.varint();
      if (keyLength === -1) nullKey = true;
      else if (keyLength < -1 || keyLength > recordEnd - c.pos) return undefined;
      else c.pos += keyLength;
      const valueLength = c.varint();
      if (valueLength < -1 || valueLength > recordEnd - c.pos) return undefined;
      if (valueLength > 0) c.pos += valueLength;
      const headerCount = c.varint();
      if (headerCount !== 0) {
        if (headerCount < 0 || headerCount * 2 > recordEnd - c.pos) return undefined;
        for (let h = 0; h < headerCount; h++) {
          const hKeyLength = c.varint();
          if (hKeyLength < 0 || hKeyLength > recordEnd - c.pos) return undefined;
          c.pos += hKeyLength;
          const hValueLength = c.varint();
          if (hValueLength < -1 || hValueLength > recordEnd - c.pos) return undefined;
          if (hValueLength > 0) c.pos += hValueLength;
        }
      }
      if (c.pos !== recordEnd) return undefined;
      c.end = end;
      if (exact) {
        const t = typeof tsDelta === 'number' ? baseTimestamp + tsDelta : Number.NaN;
        // NaN fails this test too: a bigint delta or an inexact base leaves the timestamps to the decoder.
        if (!(Math.abs(t) <= EXACT_LIMIT)) exact = false;
        else if (t !== -1) {
          if (t < low) low = t;
          if (t > high) high = t;
          if (t > best) {
            best = t;
            bestIndex = i;
          }
        }
      }
    }
  } catch {
    return undefined;
  }
  if (c.pos !== end) return undefined;
  return {
    denseOffsets,
    nullKey,
    exactTimestamps: exact,
    lowTimestamp: low,
    highTimestamp: high,
    maxTimestampIndex: bestIndex,
  };
}
