/**
 * What the broker side needs to know about a v2 record batch, read straight from its bytes: the
 * 61-byte header, Kafka's validity checks (magic, size, CRC-32C, offset range, control bit, sequence),
 * and a walk over uncompressed records for timestamps and keys.
 *
 * Interim: src/protocol/records/ (another module, in progress) will own batch parsing and CRC-32C;
 * this file then shrinks to the broker-side checks. Until then it reads the header itself.
 */
import { Reader } from '../protocol/primitives/reader.js';

/** Bytes before the records in a v2 batch (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
export const BATCH_HEADER_BYTES = 61;
/** baseOffset + batchLength: the part of a batch not counted by batchLength. */
export const LOG_OVERHEAD = 12;
/** RECORD_OVERHEAD_V0: a smaller size field means corruption (ByteBufferLogInputStream). */
const MIN_BATCH_LENGTH = 14;

export const Compression = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;

export interface BatchHeader {
  baseOffset: bigint;
  /** Whole batch size in bytes (batchLength + 12). */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: number;
  /** true = LOG_APPEND_TIME */
  logAppendTime: boolean;
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export function readBatchHeader(b: Buffer, at = 0): BatchHeader {
  const attributes = b.readInt16BE(at + 21);
  return {
    baseOffset: b.readBigInt64BE(at),
    sizeInBytes: b.readInt32BE(at + 8) + LOG_OVERHEAD,
    partitionLeaderEpoch: b.readInt32BE(at + 12),
    magic: b.readInt8(at + 16),
    crc: b.readUInt32BE(at + 17),
    attributes,
    compression: attributes & 0x07,
    logAppendTime: (attributes & 0x08) !== 0,
    isTransactional: (attributes & 0x10) !== 0,
    isControl: (attributes & 0x20) !== 0,
    lastOffsetDelta: b.readInt32BE(at + 23),
    baseTimestamp: Number(b.readBigInt64BE(at + 27)),
    maxTimestamp: Number(b.readBigInt64BE(at + 35)),
    producerId: b.readBigInt64BE(at + 43),
    producerEpoch: b.readInt16BE(at + 51),
    baseSequence: b.readInt32BE(at + 53),
    recordsCount: b.readInt32BE(at + 57),
  };
}

// ---- CRC-32C (Castagnoli), bytewise: the batch checksum since KIP-98 ------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC covers attributes..end, not baseOffset/length/leader epoch, so the broker may rewrite those. */
export function batchCrcMatches(batch: Buffer): boolean {
  return crc32c(batch, 21, batch.length) === batch.readUInt32BE(17);
}

export function rewriteCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17);
}

// ---- splitting a Produce partition's records into batches -----------------------------------------

export type SplitResult =
  | { ok: true; batches: Buffer[] }
  /** code: 2 CORRUPT_MESSAGE (bad size or magic), 87 INVALID_RECORD (none at all). */
  | { ok: false; errorCode: number; message: string };

/**
 * Cuts `records` into whole batches as Kafka's ByteBufferLogInputStream does: a size below 14 or a
 * magic outside 0-2 is corrupt; a trailing partial batch is ignored.
 */
export function splitBatches(records: Buffer): SplitResult {
  const out: Buffer[] = [];
  let at = 0;
  // Bounded: each step consumes at least LOG_OVERHEAD + MIN_BATCH_LENGTH bytes.
  while (records.length - at >= LOG_OVERHEAD) {
    const length = records.readInt32BE(at + 8);
    if (length < MIN_BATCH_LENGTH) {
      return {
        ok: false,
        errorCode: 2,
        message: `Record size ${length} is less than the minimum record overhead (${MIN_BATCH_LENGTH})`,
      };
    }
    if (records.length - at < 17) break;
    const magic = records.readInt8(at + 16);
    if (magic < 0 || magic > 2)
      return { ok: false, errorCode: 2, message: `Invalid magic found in record: ${magic}` };
    if (records.length - at < length + LOG_OVERHEAD) break;
    out.push(records.subarray(at, at + length + LOG_OVERHEAD));
    at += length + LOG_OVERHEAD;
  }
  return { ok: true, batches: out };
}

// ---- records inside an uncompressed batch --------------------------------------------------------

export interface RecordInfo {
  offsetDelta: number;
  timestamp: number;
  /** Whether the key is null (compacted topics refuse those). */
  nullKey: boolean;
}

/**
 * Walks the records of an uncompressed batch (bounded by recordsCount and the bytes present).
 * Throws a DecodeError when a record does not fit its batch.
 */
export function readRecords(batch: Buffer, header: BatchHeader): RecordInfo[] {
  const r = new Reader(batch, { offset: BATCH_HEADER_BYTES });
  const out: RecordInfo[] = [];
  r.checkCount(header.recordsCount, 7, 'record count', 57);
  for (let i = 0; i < header.recordsCount; i++) {
    const length = r.varint();
    if (length < 0) throw new Error(`record ${i} has negative length ${length}`);
    const start = r.offset;
    r.need(length);
    r.int8(); // attributes: unused in v2
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const keyLength = r.varint();
    skip(r, keyLength);
    skip(r, r.varint());
    if (r.offset > start + length) throw new Error(`record ${i} is longer than its length ${length}`);
    r.offset = start + length;
    out.push({
      offsetDelta,
      timestamp: header.baseTimestamp + Number(timestampDelta),
      nullKey: keyLength < 0,
    });
  }
  if (r.remaining !== 0) throw new Error(`${r.remaining} bytes after the last record`);
  return out;
}

function skip(r: Reader, n: number): void {
  if (n <= 0) return;
  r.need(n);
  r.offset += n;
}
