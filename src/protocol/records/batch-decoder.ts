import { DecodeError } from '../errors.js';
import type { SpanRecorder } from '../primitives/spans.js';
import { decodeBatchAttributes, describeBatchAttributes } from './attributes.js';
import { BATCH_HEADER_FIELDS, BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from './batch-header.js';
import { DEFAULT_MAX_DECOMPRESSED, decompress } from './compression/index.js';
import { decodeControlKey, decodeEndTxnMarker } from './control-record.js';
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

/** Reads consecutive magic-2 record batches; see `DecodedRecordBatches` for the truncation rule. */
export function decodeRecordBatches(
  bytes: Uint8Array,
  options: DecodeRecordBatchesOptions = {},
): DecodedRecordBatches {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const verifyCrc = options.verifyCrc ?? true;
  const rec = options.recorder;
  const base = options.frameOffset ?? 0;
  const maxOutput = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  const batches: RecordBatch[] = [];
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
        batches.push(decodeBatch(buf, pos, batchEnd, { verifyCrc, rec, base, maxOutput }));
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

function truncated(
  batches: RecordBatch[],
  truncatedBytes: number,
  rec: SpanRecorder | undefined,
  at: number,
): DecodedRecordBatches {
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

function decodeBatch(buf: Buffer, pos: number, batchEnd: number, ctx: BatchContext): RecordBatch {
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
  const batch: RecordBatch = {
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
  const records = new Array<Record>(recordsCount);
  const logAppend = attributes.timestampType === 'log-append';
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
    const at = cursor.pos;
    try {
      if (rec) rec.enter(`[${i}]`);
      const r = readRecord(cursor, batch, logAppend, rec, space);
      if (attributes.isControl) {
        r.control = decodeControlKey(r.key, space.errorBase + at);
        if (r.control.type === 0 || r.control.type === 1)
          r.endTxnMarker = decodeEndTxnMarker(r.value, space.errorBase + at);
      }
      records[i] = r;
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
  batch.records = records;
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

function readRecord(
  c: RecordCursor,
  batch: RecordBatch,
  logAppend: boolean,
  rec: SpanRecorder | undefined,
  space: RecordSpace,
): Record {
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
  if (headerCount < 0 || headerCount * 2 > c.end - c.pos) {
    throw new DecodeError(
      `header count ${headerCount} does not fit in the record`,
      space.errorBase + hcAt,
      'headers',
    );
  }
  const headers: RecordHeader[] = new Array(headerCount);
  const headerAts: number[] | undefined = rec ? [] : undefined;
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
  if (c.pos !== recordEnd) {
    throw new DecodeError(
      `record declared ${length} bytes but its fields took ${c.pos - lengthEnd}`,
      space.errorBase + start,
      'length',
    );
  }
  c.end = outerEnd;
  const timestampDelta = BigInt(tsDelta);
  const record: Record = {
    attributes,
    timestampDelta,
    offsetDelta,
    key,
    value,
    headers,
    offset: batch.baseOffset + BigInt(offsetDelta),
    // With log-append time the broker's time (maxTimestamp) is every record's timestamp.
    timestamp: logAppend ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta,
  };
  if (rec) {
    recordSpans(rec, buf, space, record, {
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
  const v = c.buf.subarray(c.pos, c.pos + n);
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
  batch: RecordBatch,
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
  bytesSpans(
    add,
    '.key',
    p.keyAt,
    p.valueAt,
    r.key,
    r.control
      ? `control record: version ${r.control.version}, type ${r.control.type} (${r.control.typeName})`
      : '',
  );
  bytesSpans(
    add,
    '.value',
    p.valueAt,
    p.hcAt,
    r.value,
    r.endTxnMarker ? `end-transaction marker: coordinatorEpoch ${r.endTxnMarker.coordinatorEpoch}` : '',
  );
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
