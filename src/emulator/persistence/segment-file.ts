/**
 * Reading one segment file of a data dir back (`<topic>-<partition>/<20-digit base offset>.log`):
 * record batches back to back in Kafka's v2 format, baseOffset written in — the same bytes Kafka's
 * own .log files hold, without the .index/.timeindex beside them (the emulator keeps its index in
 * memory and rebuilds it here).
 *
 * Recovery follows Kafka's LogSegment.recover where it can: a last batch that is cut short (fewer
 * bytes than its length field says, or a length field itself cut) or whose CRC does not match at
 * the very end of the partition's last file is a torn write — the process died inside a write —
 * and is cut off at the last whole batch (the file is truncated there). Anything wrong before the
 * tail (a bad CRC, magic, length or offset in a batch followed by more data) is not a torn write but
 * damage: the emulator refuses to start and names the file and byte offset, rather than serving
 * what is left (Kafka would truncate there too, losing every later record silently).
 */
import { readFileSync, truncateSync } from 'node:fs';
import { crc32c } from '../../protocol/records/index.js';
import type { StoredBatch } from '../state/partition-log.js';

/** v2 batch header positions (DefaultRecordBatch). */
export const BATCH = {
  baseOffset: 0,
  length: 8,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
  records: 61,
} as const;
/** The bytes before the length field's end: baseOffset + batchLength. */
const LOG_OVERHEAD = 12;

/** A data file the emulator will not serve: which file, where, and why. */
export class CorruptDataError extends Error {
  constructor(
    readonly file: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`corrupt data file ${file} at byte ${position}: ${reason}`);
    this.name = 'CorruptDataError';
  }
}

export interface ScannedSegment {
  batches: StoredBatch[];
  /** Set when a torn tail was cut off: the byte offset the file was truncated to, and bytes dropped. */
  truncated?: { at: number; dropped: number };
}

/**
 * Reads and checks every batch of `file`. `nextOffset` is the first offset it may hold (the file's
 * base offset, or past the previous file's last batch); `isTail` says whether this is the
 * partition's last file, the only place a torn write can be.
 */
export function scanSegmentFile(file: string, nextOffset: number, isTail: boolean): ScannedSegment {
  const data = readFileSync(file);
  const batches: StoredBatch[] = [];
  let pos = 0;
  let expected = nextOffset;
  const torn = (reason: string): ScannedSegment => {
    if (!isTail) throw new CorruptDataError(file, pos, reason);
    truncateSync(file, pos);
    return { batches, truncated: { at: pos, dropped: data.length - pos } };
  };
  while (pos < data.length) {
    if (data.length - pos < LOG_OVERHEAD) return torn('batch header cut short');
    const length = data.readInt32BE(pos + BATCH.length);
    if (length < BATCH.records - LOG_OVERHEAD)
      throw new CorruptDataError(file, pos, `batch length ${length} is below the v2 header size`);
    const end = pos + LOG_OVERHEAD + length;
    if (end > data.length) return torn(`batch of ${LOG_OVERHEAD + length} bytes cut short`);
    const bytes = data.subarray(pos, end);
    const magic = bytes.readInt8(BATCH.magic);
    if (magic !== 2) throw new CorruptDataError(file, pos, `magic ${magic}, expected 2`);
    const stored = bytes.readUInt32BE(BATCH.crc);
    const computed = crc32c(bytes, BATCH.attributes, bytes.length);
    if (stored !== computed) {
      const reason = `CRC-32C ${stored} stored, ${computed} computed`;
      if (end === data.length) return torn(reason);
      throw new CorruptDataError(file, pos, reason);
    }
    const baseOffset = Number(bytes.readBigInt64BE(BATCH.baseOffset));
    const lastOffsetDelta = bytes.readInt32BE(BATCH.lastOffsetDelta);
    if (baseOffset < expected || lastOffsetDelta < 0)
      throw new CorruptDataError(
        file,
        pos,
        `batch offsets ${baseOffset}..${baseOffset + lastOffsetDelta} do not follow offset ${expected - 1}`,
      );
    const lastOffset = baseOffset + lastOffsetDelta;
    batches.push({
      baseOffset,
      lastOffset,
      bytes,
      maxTimestamp: Number(bytes.readBigInt64BE(BATCH.maxTimestamp)),
      maxTimestampOffset: baseOffset + maxTimestampDelta(bytes, lastOffsetDelta),
    });
    expected = lastOffset + 1;
    pos = end;
  }
  return { batches };
}

/** Attribute bits of a v2 batch. */
export const ATTR = { compression: 0x07, logAppendTime: 0x08, transactional: 0x10, control: 0x20 } as const;

/**
 * The offset delta of the record with the largest timestamp (the first of equals), as the produce
 * path computed it: read from the records of an uncompressed CreateTime batch; the last record
 * otherwise (compressed, or LogAppendTime where every record shares the batch's time).
 */
function maxTimestampDelta(bytes: Buffer, lastOffsetDelta: number): number {
  const attributes = bytes.readInt16BE(BATCH.attributes);
  if ((attributes & (ATTR.compression | ATTR.logAppendTime)) !== 0) return lastOffsetDelta;
  const count = bytes.readInt32BE(BATCH.recordsCount);
  const at: { pos: number } = { pos: BATCH.records };
  let best = Number.NEGATIVE_INFINITY;
  let bestDelta = lastOffsetDelta;
  try {
    for (let i = 0; i < count; i++) {
      const length = readVarint(bytes, at);
      const start = at.pos;
      at.pos += 1; // record attributes
      const timestampDelta = readVarint(bytes, at);
      const offsetDelta = readVarint(bytes, at);
      if (timestampDelta > best) {
        best = timestampDelta;
        bestDelta = offsetDelta;
      }
      at.pos = start + length;
    }
  } catch {
    return lastOffsetDelta; // the CRC passed, so a record layout we cannot walk is the client's
  }
  return bestDelta;
}

/** A zigzag varint (records' lengths and deltas); exact to 2^53, enough for any delta in a batch. */
export function readVarint(bytes: Buffer, at: { pos: number }): number {
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at.pos >= bytes.length) throw new RangeError('varint past the end');
    const b = bytes[at.pos++];
    raw += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    scale *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}

/**
 * The control type of a control batch's record (ControlRecordType: 0 ABORT, 1 COMMIT), or
 * undefined when it cannot be read. Control batches are never compressed.
 */
export function controlType(bytes: Buffer): number | undefined {
  try {
    const at: { pos: number } = { pos: BATCH.records };
    readVarint(bytes, at); // record length
    at.pos += 1; // attributes
    readVarint(bytes, at); // timestamp delta
    readVarint(bytes, at); // offset delta
    const keyLength = readVarint(bytes, at);
    if (keyLength < 4) return undefined;
    return bytes.readInt16BE(at.pos + 2); // key: version int16, type int16
  } catch {
    return undefined;
  }
}
