/**
 * Record batches as JSON, for the JSON form of a Produce request or Fetch response: Kafka's JSON
 * keeps a `records` field as one base64 string, which shows no key, value or header and says
 * nothing of a corrupted batch. This module decodes those bytes into a plain JSON tree that sits
 * beside the raw field (`recordsDecoded`, see schema/json.ts): every batch header (attributes spelled
 * out), `crcValid` per batch, and every record with key, value and header values as UTF-8 text when
 * they are valid UTF-8 and as `{ "base64": "…" }` otherwise.
 *
 * A batch that does not decode is named with the same message the listing shows for the field
 * (explain/records.ts), and the batches around it still appear.
 *
 * One record → JSON function (recordToJson), so that a new kind of record (a control record type,
 * say) is one more case there; properties the record decoder adds that this module does not know
 * are carried over as they are.
 */
import { DecodeError } from '../errors.js';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from '../records/batch-header.js';
import { crc32c } from '../records/crc32c.js';
import { decodeRecordBatches, type KafkaRecord, type RecordBatch } from '../records/index.js';
import type { MessageSpec } from '../schema/declare.js';
import { type KafkaJson, type KafkaJsonObject, toKafkaJson, toKafkaJsonText } from '../schema/json.js';

export interface RecordsJsonOptions {
  /**
   * Where the records bytes start in the frame they came from; error messages then give frame
   * offsets, as the listing does. Default 0 (offsets within the records field).
   */
  frameOffset?: number;
}

/**
 * `{ batches: [...], truncatedBytes, error? }`. `truncatedBytes` counts a partial batch at the end
 * (a Fetch response cuts the log by bytes); `error` is why some batch did not decode, in the words of
 * the listing.
 */
export function recordsToJson(bytes: Uint8Array | null, options: RecordsJsonOptions = {}): KafkaJson {
  if (bytes === null) return null;
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = options.frameOffset ?? 0;
  try {
    const all = decodeRecordBatches(data, { frameOffset: base });
    return {
      batches: all.batches.map((b) => batchToJson(b, true)),
      truncatedBytes: all.truncatedBytes,
    };
  } catch (err) {
    // The same call as the listing's, so the same words; then batch by batch for what can be shown.
    return { ...batchByBatch(data, base), error: `not record batches: ${messageOf(err)}` };
  }
}

function batchByBatch(data: Buffer, base: number): { batches: KafkaJson[]; truncatedBytes: number } {
  const batches: KafkaJson[] = [];
  let pos = 0;
  while (pos < data.length) {
    const index = batches.length;
    const remaining = data.length - pos;
    const batchLength = remaining >= LOG_OVERHEAD ? data.readInt32BE(pos + OFF.batchLength) : -1;
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD || batchLength > remaining - LOG_OVERHEAD) {
      // No whole batch here: a cut-off tail, or garbage the decoder names.
      try {
        const rest = decodeRecordBatches(data.subarray(pos), { frameOffset: base + pos });
        return { batches, truncatedBytes: rest.truncatedBytes };
      } catch (err) {
        batches.push({ index, error: messageOf(renumbered(err, index)) });
        return { batches, truncatedBytes: 0 };
      }
    }
    const end = pos + LOG_OVERHEAD + batchLength;
    batches.push(oneBatch(data.subarray(pos, end), base + pos, index));
    pos = end;
  }
  return { batches, truncatedBytes: 0 };
}

/** A batch whose bounds are known: decoded, or decoded without the CRC check, or its error. */
function oneBatch(bytes: Buffer, frameOffset: number, index: number): KafkaJson {
  let error: string | undefined;
  try {
    return batchToJson(decodeRecordBatches(bytes, { frameOffset }).batches[0], true);
  } catch (err) {
    error = messageOf(renumbered(err, index));
  }
  const crcValid = bytes.readUInt32BE(OFF.crc) === crc32c(bytes, OFF.attributes, bytes.length);
  if (!crcValid) {
    // Show what the corrupted batch claims to hold, marked as such.
    try {
      const batch = decodeRecordBatches(bytes, { frameOffset, verifyCrc: false }).batches[0];
      return { ...batchToJson(batch, false), error };
    } catch {
      // Bytes the CRC already says are damaged and that do not decode either: the error says it.
    }
  }
  return { index, crcValid, error };
}

/** Errors of a one-batch slice call it batches[0]; in the field it is batches[index]. */
function renumbered(err: unknown, index: number): unknown {
  if (!(err instanceof DecodeError) || index === 0) return err;
  return new DecodeError(err.reason, err.offset, err.path.replace(/^batches\[0\]/, `batches[${index}]`));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function batchToJson(b: RecordBatch, crcValid: boolean): KafkaJsonObject {
  const a = b.attributes;
  return {
    baseOffset: b.baseOffset,
    batchLength: b.batchLength,
    partitionLeaderEpoch: b.partitionLeaderEpoch,
    magic: b.magic,
    crc: b.crc,
    crcValid,
    attributes: {
      compression: a.compression,
      timestampType: a.timestampType,
      isTransactional: a.isTransactional,
      isControl: a.isControl,
      hasDeleteHorizon: a.hasDeleteHorizon,
    },
    lastOffsetDelta: b.lastOffsetDelta,
    baseTimestamp: b.baseTimestamp,
    maxTimestamp: b.maxTimestamp,
    producerId: b.producerId,
    producerEpoch: b.producerEpoch,
    baseSequence: b.baseSequence,
    recordsCount: b.records.length,
    records: b.records.map(recordToJson),
  };
}

const RECORD_FIELDS = new Set([
  'attributes',
  'timestampDelta',
  'offsetDelta',
  'key',
  'value',
  'headers',
  'offset',
  'timestamp',
]);

export function recordToJson(r: KafkaRecord): KafkaJsonObject {
  const out: KafkaJsonObject = {
    offset: r.offset,
    timestamp: r.timestamp,
    offsetDelta: r.offsetDelta,
    timestampDelta: r.timestampDelta,
    attributes: r.attributes,
    key: bytesToJson(r.key),
    value: bytesToJson(r.value),
    headers: r.headers.map((h) => ({ key: h.key, value: bytesToJson(h.value) })),
  };
  // What the decoder knows beyond the plain record: a control record's key (`control`), a
  // transaction marker (`endTxnMarker`), and whatever it learns to decode next.
  for (const [k, v] of Object.entries(r)) {
    if (!RECORD_FIELDS.has(k) && v !== undefined) out[k] = plainToJson(v);
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 text when the bytes are valid UTF-8, else `{ "base64": "…" }`; null stays null. */
export function bytesToJson(bytes: Uint8Array | null): KafkaJson {
  if (bytes === null) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
  }
}

function plainToJson(v: unknown): KafkaJson {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (v instanceof Uint8Array) return bytesToJson(v);
  if (Array.isArray(v)) return v.map(plainToJson);
  if (typeof v === 'object') {
    const out: KafkaJsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plainToJson(x);
    return out;
  }
  return String(v);
}

/** Kafka's JSON form of a message value with every `records` field's batches decoded beside it. */
export function toKafkaJsonWithRecords(spec: MessageSpec, version: number, value: unknown): KafkaJsonObject {
  return toKafkaJson(spec, version, value, { records: (bytes) => recordsToJson(bytes) });
}

/** The same as JSON text; `indent` > 0 pretty-prints. */
export function toKafkaJsonTextWithRecords(
  spec: MessageSpec,
  version: number,
  value: unknown,
  indent = 0,
): string {
  return toKafkaJsonText(spec, version, value, indent, { records: (bytes) => recordsToJson(bytes) });
}
