import { DecodeError } from '../errors.js';
import { SpanRecorder } from '../primitives/spans.js';
import { decodeBatchAttributes, describeBatchAttributes } from './attributes.js';
import { BATCH_HEADER_FIELDS, BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from './batch-header.js';
import { DEFAULT_MAX_DECOMPRESSED, decompress } from './compression/index.js';
import {
  controlKeySpans,
  decodeControlKey,
  decodeControlValue,
  describeControlRecord,
} from './control-records.js';
import { crc32c } from './crc32c.js';
import type { Record, RecordBatch, RecordHeader } from './record-batch.js';
import { RecordCursor } from './record-varint.js';

export interface DecodeRecordBatchesOptions {
  /** Check each batch's CRC-32C (default true). */
  verifyCrc?: boolean;
  /** Records a span for every header field and every record field. */
  recorder?: SpanRecorder;
  /**
   * Where `bytes[0]` sits in the enclosing frame: added to span and error offsets so that they point
   * into the frame (e.g. the records field of a Fetch response). Default 0.
   */
  frameOffset?: number;
  /** Cap on one batch's decompressed size (default 256 MiB), against decompression bombs. */
  maxDecompressedBytes?: number;
}

export interface DecodedRecordBatches {
  batches: RecordBatch[];
  /**
   * Bytes at the end that do not hold a whole batch. A Fetch response slices the log by bytes, so
   * its last batch may be cut short; the consumer skips it and asks again from the next offset.
   */
  truncatedBytes: number;
}

/** The smallest record: length, attributes, timestampDelta, offsetDelta, key, value, header count. */
const MIN_RECORD_SIZE = 7;
const MAGIC_V2 = 2;
const DECOMPRESSED_NOTE = 'offset in decompressed data';

/** Offsets and notes for spans of records that sit inside a decompressed block. */
interface RecordSpace {
  /** Added to cursor positions to give span offsets (the frame offset, or 0 in decompressed data). */
  base: number;
  /** Added to cursor positions for error offsets (0 in decompressed data; the batch rewraps those). */
  errorBase: number;
  decompressed: boolean;
}

/**
 * Makes the object for one decoded record. `offset` and `timestamp` are already absolute (exact
 * int64); `timestampDelta` is a number when it fits 53 bits, else a bigint.
 */
export type RecordMaker<T> = (
  offset: bigint,
  timestamp: bigint,
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeader[],
  offsetDelta: number,
  timestampDelta: number | bigint,
  attributes: number,
) => T;

/** A record batch whose records were made by a `RecordMaker<T>`. */
export type RecordBatchOf<T> = Omit<RecordBatch, 'records'> & { records: T[] };

/** Reads consecutive magic-2 record batches; see `DecodedRecordBatches` for the truncation rule. */
export function decodeRecordBatches(
  bytes: Uint8Array,
  options: DecodeRecordBatchesOptions = {},
): DecodedRecordBatches {
  return decodeBatches(bytes, options, makeRecord, true);
}

/**
 * Like decodeRecordBatches, but each record is the object `make` returns: a consumer builds the
 * record it hands out in one step instead of copying a `Record` (one object per record fewer, which
 * is most of the garbage of a fetch). Control batches are checked as usual but their records are not
 * made (`records` is empty): they are transaction markers, which a consumer never hands out. No spans.
 */
export function decodeRecordBatchesWith<T>(
  bytes: Uint8Array,
  options: Omit<DecodeRecordBatchesOptions, 'recorder'>,
  make: RecordMaker<T>,
): { batches: RecordBatchOf<T>[]; truncatedBytes: number } {
  return decodeBatches(bytes, { ...options, recorder: undefined }, make, false);
}

/** Property order as before the maker existed, so every `Record` has one hidden class. */
function makeRecord(
  offset: bigint,
  timestamp: bigint,
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeader[],
  offsetDelta: number,
  timestampDelta: number | bigint,
  attributes: number,
): Record {
  return {
    attributes,
    timestampDelta: typeof timestampDelta === 'bigint' ? timestampDelta : BigInt(timestampDelta),
    offsetDelta,
    key,
    value,
    headers,
    offset,
    timestamp,
  };
}

function decodeBatches<T>(
  bytes: Uint8Array,
  options: DecodeRecordBatchesOptions,
  make: RecordMaker<T>,
  makeControl: boolean,
): { batches: RecordBatchOf<T>[]; truncatedBytes: number } {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const verifyCrc = options.verifyCrc ?? true;
  const rec = options.recorder;
  const base = options.frameOffset ?? 0;
  const maxOutput = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  const batches: RecordBatchOf<T>[] = [];
  let pos = 0;
  const end = buf.length;
  if (rec) rec.enter('batches');
  try {
    // Each iteration consumes at least one whole batch (>= 61 bytes) or stops: bounded by the input.
    while (pos < end) {
      const index = batches.length;
      const remaining = end - pos;
      // The magic is the first thing that tells a batch from garbage; check it whenever it is there.
      if (remaining > OFF.magic) {
        const magic = buf.readInt8(pos + OFF.magic);
        if (magic !== MAGIC_V2) {
          throw new DecodeError(
            `magic ${magic} is not 2` +
              (magic === 0 || magic === 1 ? ' (a legacy message set: use decodeLegacyMessageSet)' : ''),
            base + pos + OFF.magic,
            `batches[${index}].magic`,
          );
        }
      }
      if (remaining < LOG_OVERHEAD) {
        return truncated(batches, remaining, rec, base + pos);
      }
      const batchLength = buf.readInt32BE(pos + OFF.batchLength);
      if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
        throw new DecodeError(
          `batchLength ${batchLength} is smaller than the ${BATCH_HEADER_SIZE - LOG_OVERHEAD}-byte minimum`,
          base + pos + OFF.batchLength,
          `batches[${index}].batchLength`,
        );
      }
      if (batchLength > remaining - LOG_OVERHEAD) {
        return truncated(batches, remaining, rec, base + pos);
      }
      const batchEnd = pos + LOG_OVERHEAD + batchLength;
      if (rec) rec.enter(`[${index}]`);
      try {
        batches.push(decodeBatch(buf, pos, batchEnd, { verifyCrc, rec, base, maxOutput }, make, makeControl));
      } catch (err) {
        if (err instanceof DecodeError) throw err.within(`batches[${index}]`);
        throw err;
      }
      if (rec) rec.leave();
      pos = batchEnd;
    }
  } finally {
    if (rec) rec.leave();
  }
  return { batches, truncatedBytes: 0 };
}

function truncated<T>(
  batches: RecordBatchOf<T>[],
  truncatedBytes: number,
  rec: SpanRecorder | undefined,
  at: number,
): { batches: RecordBatchOf<T>[]; truncatedBytes: number } {
  if (rec) {
    rec.add({
      offset: at,
      length: truncatedBytes,
      path: `${rec.path}[${batches.length}]`,
      wireType: 'RAW',
      kind: 'value',
      note: `partial batch: ${truncatedBytes} bytes, cut off by the broker's fetch size limit; skipped`,
    });
  }
  return { batches, truncatedBytes };
}

interface BatchContext {
  verifyCrc: boolean;
  rec: SpanRecorder | undefined;
  base: number;
  maxOutput: number;
}

function decodeBatch<T>(
  buf: Buffer,
  pos: number,
  batchEnd: number,
  ctx: BatchContext,
  make: RecordMaker<T>,
  makeControl: boolean,
): RecordBatchOf<T> {
  const { rec, base } = ctx;
  const batchSpan = rec ? rec.open(base + pos, 'RECORD_BATCH', 'record batch v2 (magic 2)') : undefined;
  const storedCrc = buf.readUInt32BE(pos + OFF.crc);
  const computedCrc = ctx.verifyCrc || rec ? crc32c(buf, pos + OFF.attributes, batchEnd) : storedCrc;
  if (ctx.verifyCrc && storedCrc !== computedCrc) {
    throw new DecodeError(
      `CRC-32C mismatch: stored 0x${hex32(storedCrc)}, computed 0x${hex32(computedCrc)} over attributes..end`,
      base + pos + OFF.crc,
      'crc',
    );
  }
  const attributeBits = buf.readInt16BE(pos + OFF.attributes);
  const attributes = decodeBatchAttributes(attributeBits, base + pos + OFF.attributes);
  const recordsCount = buf.readInt32BE(pos + OFF.recordsCount);
  const batch: RecordBatchOf<T> = {
    baseOffset: buf.readBigInt64BE(pos + OFF.baseOffset),
    batchLength: batchEnd - pos - LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(pos + OFF.partitionLeaderEpoch),
    magic: MAGIC_V2,
    crc: storedCrc,
    attributes,
    lastOffsetDelta: buf.readInt32BE(pos + OFF.lastOffsetDelta),
    baseTimestamp: buf.readBigInt64BE(pos + OFF.baseTimestamp),
    maxTimestamp: buf.readBigInt64BE(pos + OFF.maxTimestamp),
    producerId: buf.readBigInt64BE(pos + OFF.producerId),
    producerEpoch: buf.readInt16BE(pos + OFF.producerEpoch),
    baseSequence: buf.readInt32BE(pos + OFF.baseSequence),
    records: [],
  };
  if (rec) recordHeaderSpans(rec, pos, base, batch, attributeBits, recordsCount, computedCrc);

  const recordsStart = pos + BATCH_HEADER_SIZE;
  if (recordsCount < 0) {
    throw new DecodeError(
      `recordsCount ${recordsCount} is negative`,
      base + pos + OFF.recordsCount,
      'recordsCount',
    );
  }
  let data = buf;
  let start = recordsStart;
  let stop = batchEnd;
  let space: RecordSpace = { base, errorBase: base, decompressed: false };
  if (attributes.compression !== 'none') {
    try {
      data = decompress(attributes.compression, buf.subarray(recordsStart, batchEnd), {
        maxOutput: ctx.maxOutput,
      });
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      throw new DecodeError(
        `${err.reason} (byte ${err.offset} of the ${attributes.compression} block)`,
        base + recordsStart + err.offset,
        'records',
      );
    }
    start = 0;
    stop = data.length;
    space = { base: 0, errorBase: 0, decompressed: true };
    if (rec) {
      rec.add({
        offset: base + recordsStart,
        length: batchEnd - recordsStart,
        path: `${rec.path}.records`,
        wireType: 'RAW',
        kind: 'container',
        note: `compressed with ${attributes.compression}: ${batchEnd - recordsStart} → ${data.length} bytes, records below are decompressed (their offsets are in decompressed data)`,
      });
    }
  }
  if (recordsCount * MIN_RECORD_SIZE > stop - start) {
    throw new DecodeError(
      `recordsCount ${recordsCount} needs at least ${recordsCount * MIN_RECORD_SIZE} bytes, have ${stop - start}`,
      base + pos + OFF.recordsCount,
      'recordsCount',
    );
  }
  const cursor = new RecordCursor(data, start, stop);
  const isControl = attributes.isControl;
  // Control records keep their decoded key (control type, commit/abort marker): always `Record`s.
  const maker = (isControl ? makeRecord : make) as RecordMaker<T | Record>;
  const records = new Array<T | Record>(recordsCount);
  const clock = new BatchClock(batch, attributes.timestampType === 'log-append');
  const recordsSpan =
    rec && !space.decompressed
      ? rec.add({
          offset: base + recordsStart,
          length: 0,
          path: `${rec.path}.records`,
          wireType: 'RECORDS',
          kind: 'container',
          note: plural(recordsCount, 'record'),
        })
      : undefined;
  if (rec) rec.enter('records');
  for (let i = 0; i < recordsCount; i++) {
    try {
      if (rec) rec.enter(`[${i}]`);
      records[i] = readRecord(cursor, clock, maker, rec, space, isControl);
      if (rec) rec.leave();
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      throw inFrame(err, space, base + recordsStart).within(`records[${i}]`);
    }
  }
  if (rec) rec.leave();
  if (cursor.pos !== stop) {
    const err = new DecodeError(
      `${stop - cursor.pos} bytes left after the ${recordsCount} records the batch declares`,
      space.errorBase + cursor.pos,
    );
    throw inFrame(err, space, base + recordsStart).within('records');
  }
  if (recordsSpan) rec!.close(recordsSpan, base + batchEnd);
  if (batchSpan) rec!.close(batchSpan, base + batchEnd);
  batch.records = isControl && !makeControl ? [] : (records as T[]);
  return batch;
}

/**
 * A position in decompressed data means nothing in the frame: such errors point at the compressed
 * block and say where in the decompressed data the problem is.
 */
function inFrame(err: DecodeError, space: RecordSpace, blockAt: number): DecodeError {
  if (!space.decompressed) return err;
  return new DecodeError(
    `${err.reason} (at byte ${err.offset} of the decompressed records)`,
    blockAt,
    err.path,
  );
}

/**
 * Absolute offsets and timestamps of one batch's records, exact int64 as bigints, making as few
 * bigints as it can: base + delta is summed as a number while that is exact (offsets below 2^53,
 * which is every real log), and records that share a timestamp delta share its bigint (producers
 * stamp a whole batch within a few milliseconds, so runs of equal deltas are the rule).
 */
class BatchClock {
  private readonly baseOffset: bigint;
  /** baseOffset as a number, or NaN when a number cannot hold it exactly. */
  private readonly baseOffsetNumber: number;
  private readonly baseTimestamp: bigint;
  private readonly baseTimestampNumber: number;
  /** With log-append time the broker's time (maxTimestamp) is every record's timestamp. */
  private readonly logAppendTime: bigint | undefined;
  private lastDelta: number | bigint = 0;
  private lastTimestamp: bigint;

  constructor(batch: Omit<RecordBatch, 'records'>, logAppend: boolean) {
    this.baseOffset = batch.baseOffset;
    this.baseOffsetNumber = exactNumber(batch.baseOffset);
    this.baseTimestamp = batch.baseTimestamp;
    this.baseTimestampNumber = exactNumber(batch.baseTimestamp);
    this.logAppendTime = logAppend ? batch.maxTimestamp : undefined;
    this.lastTimestamp = batch.baseTimestamp;
  }

  offset(delta: number): bigint {
    // Two exact integers add exactly while the sum is a safe integer (NaN fails the test).
    const n = this.baseOffsetNumber + delta;
    return Number.isSafeInteger(n) ? BigInt(n) : this.baseOffset + BigInt(delta);
  }

  timestamp(delta: number | bigint): bigint {
    if (this.logAppendTime !== undefined) return this.logAppendTime;
    if (delta === this.lastDelta) return this.lastTimestamp;
    const n = typeof delta === 'number' ? this.baseTimestampNumber + delta : Number.NaN;
    const ts = Number.isSafeInteger(n) ? BigInt(n) : this.baseTimestamp + BigInt(delta);
    this.lastDelta = delta;
    this.lastTimestamp = ts;
    return ts;
  }
}

function exactNumber(v: bigint): number {
  const n = Number(v);
  return Number.isSafeInteger(n) && BigInt(n) === v ? n : Number.NaN;
}

function readRecord<T>(
  c: RecordCursor,
  clock: BatchClock,
  make: RecordMaker<T>,
  rec: SpanRecorder | undefined,
  space: RecordSpace,
  isControl = false,
): T {
  const buf = c.buf;
  const start = c.pos;
  const length = c.varint();
  const lengthEnd = c.pos;
  if (length < MIN_RECORD_SIZE - 1 || length > c.end - c.pos) {
    throw new DecodeError(
      `record length ${length} does not fit: ${c.end - c.pos} bytes left`,
      space.errorBase + start,
      'length',
    );
  }
  const recordEnd = c.pos + length;
  // Reads inside the record stop at its own end, so a bad inner length is blamed on this record.
  const outerEnd = c.end;
  c.end = recordEnd;
  const attributes = buf[c.pos++];
  const tsAt = c.pos;
  const tsDelta = c.varlong();
  const odAt = c.pos;
  const offsetDelta = c.varint();
  const keyAt = c.pos;
  const key = readBytes(c, space, 'key');
  const valueAt = c.pos;
  const value = readBytes(c, space, 'value');
  const hcAt = c.pos;
  const headerCount = c.varint();
  let headers: RecordHeader[];
  let headerAts: number[] | undefined;
  if (headerCount === 0) {
    // Most records have no headers: skip the loop and its bookkeeping.
    headers = [];
    if (rec) headerAts = [];
  } else {
    if (headerCount < 0 || headerCount * 2 > c.end - c.pos) {
      throw new DecodeError(
        `header count ${headerCount} does not fit in the record`,
        space.errorBase + hcAt,
        'headers',
      );
    }
    headers = new Array(headerCount);
    headerAts = rec ? [] : undefined;
    for (let h = 0; h < headerCount; h++) {
      const hAt = c.pos;
      headerAts?.push(hAt);
      const keyLength = c.varint();
      if (keyLength < 0 || keyLength > c.end - c.pos) {
        throw new DecodeError(
          `header key length ${keyLength} is negative or runs past the record`,
          space.errorBase + hAt,
          `headers[${h}].key`,
        );
      }
      const hKey = buf.toString('utf8', c.pos, c.pos + keyLength);
      c.pos += keyLength;
      const hValue = readBytes(c, space, `headers[${h}].value`);
      headers[h] = { key: hKey, value: hValue };
    }
  }
  if (c.pos !== recordEnd) {
    throw new DecodeError(
      `record declared ${length} bytes but its fields took ${c.pos - lengthEnd}`,
      space.errorBase + start,
      'length',
    );
  }
  c.end = outerEnd;
  const record = make(
    clock.offset(offsetDelta),
    clock.timestamp(tsDelta),
    key,
    value,
    headers,
    offsetDelta,
    tsDelta,
    attributes,
  );
  // A control batch's records are always `Record`s (see the maker choice above).
  if (isControl) decodeControl(record as unknown as Record, space, keyAt, valueAt, hcAt);
  if (rec) {
    // With a recorder the maker is always makeRecord (decodeRecordBatchesWith takes no recorder).
    recordSpans(rec, buf, space, record as unknown as Record, {
      start,
      lengthEnd,
      tsAt,
      odAt,
      keyAt,
      valueAt,
      hcAt,
      headerAts: headerAts!,
      end: recordEnd,
      length,
    });
  }
  return record;
}

/**
 * A control record's key and value (control-records.ts), decoded in place; errors point at the key's
 * or the value's bytes. Unknown control types keep their value as bytes, as Kafka does.
 */
function decodeControl(r: Record, space: RecordSpace, keyAt: number, valueAt: number, hcAt: number): void {
  try {
    r.control = decodeControlKey(r.key, space.errorBase + keyAt);
  } catch (err) {
    throw err instanceof DecodeError ? err.within('key') : err;
  }
  try {
    const at = space.errorBase + (r.value ? hcAt - r.value.length : valueAt);
    const decoded = decodeControlValue(r.control, r.value, { at });
    if (decoded) r.controlValue = decoded;
    if (decoded?.schema === 'EndTxnMarker') r.endTxnMarker = decoded.value;
  } catch (err) {
    throw err instanceof DecodeError ? err.within('value') : err;
  }
}

/** VARINT length (-1 = null) then that many bytes, as a view into the batch (no copy). */
function readBytes(c: RecordCursor, space: RecordSpace, path: string): Buffer | null {
  const at = c.pos;
  const n = c.varint();
  if (n === -1) return null;
  if (n < -1 || n > c.end - c.pos) {
    throw new DecodeError(
      `${path} length ${n} is ${n < -1 ? 'negative' : `more than the ${c.end - c.pos} bytes left in the record`}`,
      space.errorBase + at,
      path,
    );
  }
  const v = c.view(c.pos, n);
  c.pos += n;
  return v;
}

// ---- spans ---------------------------------------------------------------------------------------

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function recordHeaderSpans(
  rec: SpanRecorder,
  pos: number,
  base: number,
  batch: Omit<RecordBatch, 'records'>,
  attributeBits: number,
  recordsCount: number,
  computedCrc: number,
): void {
  const notes: { [k: string]: string } = {
    baseOffset: batch.baseOffset === 0n ? 'producers send 0; the broker assigns offsets' : '',
    batchLength: `${batch.batchLength} bytes follow (batch is ${batch.batchLength + LOG_OVERHEAD} bytes in all)`,
    partitionLeaderEpoch: 'set by the leader; outside the CRC so it can be set without recomputing',
    magic: 'record batch v2',
    crc: `CRC-32C of attributes..end: stored 0x${hex32(batch.crc)} computed 0x${hex32(computedCrc)} ${batch.crc === computedCrc ? '✓' : '✗ MISMATCH'}`,
    attributes: describeBatchAttributes(attributeBits),
    lastOffsetDelta: `last offset = ${batch.baseOffset + BigInt(batch.lastOffsetDelta)}`,
    baseTimestamp: batch.attributes.hasDeleteHorizon
      ? 'delete horizon (KIP-534): tombstones may be removed after this time'
      : timeNote(batch.baseTimestamp),
    maxTimestamp: timeNote(batch.maxTimestamp),
    producerId: batch.producerId === -1n ? '-1 = no idempotent/transactional producer' : '',
    producerEpoch: batch.producerEpoch === -1 ? '-1 = none' : '',
    baseSequence: batch.baseSequence === -1 ? '-1 = none' : '',
    recordsCount: plural(recordsCount, 'record'),
  };
  for (const f of BATCH_HEADER_FIELDS) {
    const value =
      f.name === 'recordsCount' ? recordsCount : f.name === 'attributes' ? batch.attributes : batch[f.name];
    const note = notes[f.name];
    rec.add({
      offset: base + pos + f.offset,
      length: f.size,
      path: `${rec.path}.${f.name}`,
      wireType: f.wireType,
      value: f.name === 'attributes' ? { bits: attributeBits, ...batch.attributes } : value,
      kind: f.name === 'batchLength' || f.name === 'recordsCount' ? 'length' : 'value',
      ...(note ? { note } : {}),
    });
  }
}

function timeNote(ts: bigint): string {
  if (ts < 0n) return `${ts} = no timestamp`;
  if (ts > 8_640_000_000_000_000n) return '';
  return new Date(Number(ts)).toISOString();
}

interface RecordPositions {
  start: number;
  lengthEnd: number;
  tsAt: number;
  odAt: number;
  keyAt: number;
  valueAt: number;
  hcAt: number;
  headerAts: number[];
  end: number;
  length: number;
}

function recordSpans(
  rec: SpanRecorder,
  buf: Buffer,
  space: RecordSpace,
  r: Record,
  p: RecordPositions,
): void {
  const o = space.base;
  const mark = (note: string) =>
    space.decompressed ? (note ? `${note} (${DECOMPRESSED_NOTE})` : DECOMPRESSED_NOTE) : note;
  const path = rec.path;
  const add = (
    sub: string,
    offset: number,
    end: number,
    wireType: string,
    value: unknown,
    note: string,
    kind: 'value' | 'length' | 'container' = 'value',
  ) =>
    rec.add({
      offset: o + offset,
      length: end - offset,
      path: path + sub,
      wireType,
      value,
      kind,
      ...(mark(note) ? { note: mark(note) } : {}),
    });
  add('', p.start, p.end, 'RECORD', undefined, '', 'container');
  add('.length', p.start, p.lengthEnd, 'VARINT', p.length, `${plural(p.length, 'byte')} follow`, 'length');
  add('.attributes', p.lengthEnd, p.tsAt, 'INT8', r.attributes, 'unused, always 0');
  add(
    '.timestampDelta',
    p.tsAt,
    p.odAt,
    'VARLONG',
    r.timestampDelta,
    `timestamp = ${r.timestamp} (${timeNote(r.timestamp)})`,
  );
  add('.offsetDelta', p.odAt, p.keyAt, 'VARINT', r.offsetDelta, `offset = ${r.offset}`);
  if (r.control && r.key) {
    // Explained field by field, like a message: key version and type, then the value's schema.
    add(
      '.key.<length>',
      p.keyAt,
      p.valueAt - r.key.length,
      'VARINT',
      r.key.length,
      plural(r.key.length, 'byte'),
      'length',
    );
    const keySpans = new SpanRecorder();
    keySpans.enter(`${path}.key`);
    controlKeySpans(keySpans, o + p.valueAt - r.key.length, r.control);
    for (const s of keySpans.spans)
      rec.add({ ...s, ...(mark(s.note ?? '') ? { note: mark(s.note ?? '') } : {}) });
  } else {
    bytesSpans(add, '.key', p.keyAt, p.valueAt, r.key, '');
  }
  if (r.controlValue && r.value) {
    const valueAt = p.hcAt - r.value.length;
    const summary = describeControlRecord(r.control!, r.controlValue);
    // The one-line summary goes on the value's length (listings show leaves) and on its struct (trees).
    add(
      '.value.<length>',
      p.valueAt,
      valueAt,
      'VARINT',
      r.value.length,
      `${plural(r.value.length, 'byte')}: ${summary}`,
      'length',
    );
    const valueSpans = new SpanRecorder();
    valueSpans.enter(`${path}.value`);
    decodeControlValue(r.control!, r.value, { recorder: valueSpans, spanOffset: o + valueAt });
    valueSpans.spans.forEach((s, i) => {
      const note = i === 0 ? `${summary} (${s.note})` : (s.note ?? '');
      rec.add({ ...s, ...(mark(note) ? { note: mark(note) } : {}) });
    });
  } else {
    bytesSpans(
      add,
      '.value',
      p.valueAt,
      p.hcAt,
      r.value,
      r.control ? `control record of unknown type ${r.control.type}: value not decoded` : '',
    );
  }
  const firstHeader = p.headerAts[0] ?? p.end;
  add('.headers', p.hcAt, p.end, 'ARRAY', undefined, '', 'container');
  add(
    '.headers.<count>',
    p.hcAt,
    firstHeader,
    'VARINT',
    r.headers.length,
    plural(r.headers.length, 'header'),
    'length',
  );
  for (let h = 0; h < r.headers.length; h++) {
    const hAt = p.headerAts[h];
    const hEnd = p.headerAts[h + 1] ?? p.end;
    const header = r.headers[h];
    add(`.headers[${h}]`, hAt, hEnd, 'STRUCT', undefined, '', 'container');
    const keyBytes = Buffer.byteLength(header.key);
    const c = new RecordCursor(buf, hAt, hEnd);
    c.varint();
    add(`.headers[${h}].key.<length>`, hAt, c.pos, 'VARINT', keyBytes, plural(keyBytes, 'byte'), 'length');
    add(`.headers[${h}].key`, c.pos, c.pos + keyBytes, 'RAW', header.key, 'UTF-8');
    bytesSpans(add, `.headers[${h}].value`, c.pos + keyBytes, hEnd, header.value, '');
  }
}

type AddSpan = (
  sub: string,
  offset: number,
  end: number,
  wireType: string,
  value: unknown,
  note: string,
  kind?: 'value' | 'length' | 'container',
) => void;

function bytesSpans(
  add: AddSpan,
  sub: string,
  at: number,
  end: number,
  v: Buffer | null,
  note: string,
): void {
  if (v === null) {
    add(sub, at, end, 'VARINT', null, '-1 = null');
    return;
  }
  const lengthEnd = end - v.length;
  add(`${sub}.<length>`, at, lengthEnd, 'VARINT', v.length, plural(v.length, 'byte'), 'length');
  if (v.length > 0) add(sub, lengthEnd, end, 'RAW', v, note || printable(v));
}

/** A short text rendering when the bytes are printable UTF-8, which keys and values often are. */
function printable(v: Buffer): string {
  if (v.length > 64) return '';
  const s = v.toString('utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we look for
  return /^[^\u0000-\u001f\u007f\ufffd]*$/.test(s) ? JSON.stringify(s) : '';
}
