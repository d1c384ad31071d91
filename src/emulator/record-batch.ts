/**
 * The broker's view of a stored or produced v2 record batch. Parsing, CRC-32C and codecs are the
 * protocol layer's (src/protocol/records/); what lives here is only what a broker adds on top:
 * cutting a Produce partition's bytes into batches the way Kafka's ByteBufferLogInputStream does,
 * reading the fixed header without decoding the records (the hot path of every Produce), and opening
 * the records (decompressing when needed) for validation and timestamp lookups.
 */
import { DecodeError } from '../protocol/errors.js';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from '../protocol/records/batch-header.js';
import { COMPRESSION_TYPES, decompress } from '../protocol/records/compression/index.js';
import { crc32c } from '../protocol/records/crc32c.js';
import { decodeRecordBatches, type KafkaRecord } from '../protocol/records/index.js';
import { type RecordsSummary, walkRecords } from '../protocol/records/record-walk.js';

export { crc32c, LOG_OVERHEAD };

/** Bytes before the records in a v2 batch (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
export const BATCH_HEADER_BYTES = BATCH_HEADER_SIZE;
/** RECORD_OVERHEAD_V0: a smaller size field means corruption (ByteBufferLogInputStream). */
const MIN_BATCH_LENGTH = 14;
/**
 * Cap on one produced batch's decompressed size. Kafka has none, but a 1 MiB batch of zeros can
 * claim gigabytes; an in-memory emulator shared with tests must not follow it there.
 */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export const Compression = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;

/** The 61-byte header as numbers (the protocol decoder would also decode every record). */
export interface BatchHeader {
  baseOffset: bigint;
  /** Whole batch size in bytes (batchLength + 12). */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  /** Codec id, attributes bits 0-2 (5-7 are unknown codecs). */
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

/** Reads the header at the protocol layer's offsets (batch-header.ts); the caller checked the length. */
export function readBatchHeader(b: Buffer, at = 0): BatchHeader {
  const attributes = b.readInt16BE(at + OFF.attributes);
  return {
    baseOffset: b.readBigInt64BE(at + OFF.baseOffset),
    sizeInBytes: b.readInt32BE(at + OFF.batchLength) + LOG_OVERHEAD,
    partitionLeaderEpoch: b.readInt32BE(at + OFF.partitionLeaderEpoch),
    magic: b.readInt8(at + OFF.magic),
    crc: b.readUInt32BE(at + OFF.crc),
    attributes,
    compression: attributes & 0x07,
    logAppendTime: (attributes & 0x08) !== 0,
    isTransactional: (attributes & 0x10) !== 0,
    isControl: (attributes & 0x20) !== 0,
    lastOffsetDelta: b.readInt32BE(at + OFF.lastOffsetDelta),
    baseTimestamp: Number(b.readBigInt64BE(at + OFF.baseTimestamp)),
    maxTimestamp: Number(b.readBigInt64BE(at + OFF.maxTimestamp)),
    producerId: b.readBigInt64BE(at + OFF.producerId),
    producerEpoch: b.readInt16BE(at + OFF.producerEpoch),
    baseSequence: b.readInt32BE(at + OFF.baseSequence),
    recordsCount: b.readInt32BE(at + OFF.recordsCount),
  };
}

/** The CRC covers attributes..end, not baseOffset/length/leader epoch, so the broker may rewrite those. */
export function batchCrcMatches(batch: Buffer): boolean {
  return crc32c(batch, OFF.attributes, batch.length) === batch.readUInt32BE(OFF.crc);
}

export function rewriteCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch, OFF.attributes, batch.length), OFF.crc);
}

// ---- splitting a Produce partition's records into batches -----------------------------------------

export type SplitResult =
  | { ok: true; batches: Buffer[] }
  /** code: 2 CORRUPT_MESSAGE (bad size or magic), 87 INVALID_RECORD (none at all). */
  | { ok: false; errorCode: number; message: string };

/**
 * Cuts `records` into whole batches as Kafka's ByteBufferLogInputStream does: a size below 14 or a
 * magic outside 0-2 is corrupt; a trailing partial batch is ignored. (The protocol decoder is stricter
 * — it wants magic 2 and a whole header — which is right for a client but not what a broker answers.)
 */
export function splitBatches(records: Buffer): SplitResult {
  const out: Buffer[] = [];
  let at = 0;
  // Bounded: each step consumes at least LOG_OVERHEAD + MIN_BATCH_LENGTH bytes.
  while (records.length - at >= LOG_OVERHEAD) {
    const length = records.readInt32BE(at + OFF.batchLength);
    if (length < MIN_BATCH_LENGTH) {
      return {
        ok: false,
        errorCode: 2,
        message: `Record size ${length} is less than the minimum record overhead (${MIN_BATCH_LENGTH})`,
      };
    }
    if (records.length - at <= OFF.magic) break;
    const magic = records.readInt8(at + OFF.magic);
    if (magic < 0 || magic > 2)
      return { ok: false, errorCode: 2, message: `Invalid magic found in record: ${magic}` };
    if (records.length - at < length + LOG_OVERHEAD) break;
    out.push(records.subarray(at, at + length + LOG_OVERHEAD));
    at += length + LOG_OVERHEAD;
  }
  return { ok: true, batches: out };
}

// ---- the records of one batch ---------------------------------------------------------------------

export type OpenedRecords =
  | { ok: true; records: KafkaRecord[] }
  /**
   * CORRUPT_MESSAGE (2) when the compressed payload does not decompress (Kafka's ProduceRequestTest
   * testCorruptLz4ProduceRequest); INVALID_RECORD (87) when the records do not match the batch —
   * DefaultRecordBatch's "Incorrect declared batch size" and DefaultRecord's "Found invalid record
   * structure" are InvalidRecordExceptions.
   */
  | { ok: false; errorCode: 2 | 87; message: string };

/**
 * Decodes every record of one whole batch with the protocol's decoder, decompressing first when the
 * batch is compressed. The CRC is not checked here (the caller did, in Kafka's order). zstd needs the
 * codecs loaded (`ensureCodecs()`); the server does that before the first Produce or ListOffsets.
 */
export function openRecords(batch: Buffer, maxDecompressed = MAX_DECOMPRESSED_BYTES): OpenedRecords {
  const codec = batch.readInt16BE(OFF.attributes) & 0x07;
  const type = COMPRESSION_TYPES[codec];
  if (type === undefined) {
    // CompressionType.forId refuses ids 5-7; the batch cannot be read at all.
    return { ok: false, errorCode: 2, message: `Unknown compression type id ${codec}` };
  }
  let uncompressed = batch;
  if (type !== 'none') {
    let data: Buffer;
    try {
      data = decompress(type, batch.subarray(BATCH_HEADER_SIZE), { maxOutput: maxDecompressed });
    } catch (err) {
      return { ok: false, errorCode: 2, message: `Failed to decompress record stream: ${reason(err)}` };
    }
    // The same header with codec "none" in front of the plain records: one decoder reads both kinds.
    uncompressed = Buffer.allocUnsafe(BATCH_HEADER_SIZE + data.length);
    batch.copy(uncompressed, 0, 0, BATCH_HEADER_SIZE);
    data.copy(uncompressed, BATCH_HEADER_SIZE);
    uncompressed.writeInt32BE(uncompressed.length - LOG_OVERHEAD, OFF.batchLength);
    uncompressed.writeInt16BE(batch.readInt16BE(OFF.attributes) & ~0x07, OFF.attributes);
  }
  try {
    const decoded = decodeRecordBatches(uncompressed, { verifyCrc: false });
    if (decoded.batches.length !== 1) {
      return { ok: false, errorCode: 87, message: 'Incorrect declared batch size' };
    }
    return { ok: true, records: decoded.batches[0].records };
  } catch (err) {
    return { ok: false, errorCode: 87, message: `Found invalid record structure: ${reason(err)}` };
  }
}

/**
 * The facts validation needs about one whole batch's records (record-walk.ts), read in place after
 * decompressing when needed, without decoding them. Undefined when the batch is anything but a
 * readable set of exactly recordsCount records — an unknown codec, a payload that does not
 * decompress, a malformed record: `openRecords` then says what, with Kafka's error code.
 */
export function summarizeRecords(
  batch: Buffer,
  maxDecompressed = MAX_DECOMPRESSED_BYTES,
): RecordsSummary | undefined {
  const codec = batch.readInt16BE(OFF.attributes) & 0x07;
  const type = COMPRESSION_TYPES[codec];
  if (type === undefined) return undefined;
  const count = batch.readInt32BE(OFF.recordsCount);
  const base = batch.readBigInt64BE(OFF.baseTimestamp);
  const baseTimestamp = Number(base);
  const exactBase = BigInt(baseTimestamp) === base ? baseTimestamp : Number.NaN;
  if (type === 'none') return walkRecords(batch, BATCH_HEADER_SIZE, batch.length, count, exactBase);
  let data: Buffer;
  try {
    data = decompress(type, batch.subarray(BATCH_HEADER_SIZE), { maxOutput: maxDecompressed, scratch });
  } catch {
    return undefined;
  }
  // Next time the output fits: one scratch as large as the largest batch seen, up to a cap (only for
  // the codecs that write into it; gzip and zstd make their own output).
  const fillsScratch = type === 'snappy' || type === 'lz4';
  if (
    fillsScratch &&
    data.buffer !== scratch.buffer &&
    data.length > scratch.length &&
    data.length <= SCRATCH_MAX_BYTES
  )
    scratch = Buffer.allocUnsafeSlow(data.length);
  return walkRecords(data, 0, data.length, count, exactBase);
}

/**
 * Where summarizeRecords decompresses: the walk reads the records once and keeps nothing, so one
 * buffer serves every Produce instead of a new one the size of each batch (1 MiB a request under
 * franz-go's default batch size: most of the emulator's garbage). Its own ArrayBuffer (not the
 * Buffer pool), so that a result in it is told apart by its `.buffer`.
 */
let scratch: Buffer = Buffer.allocUnsafeSlow(0);
/** Batches decompressing to more than this get a Buffer of their own, so the scratch stays small. */
const SCRATCH_MAX_BYTES = 8 * 1024 * 1024;

function reason(err: unknown): string {
  if (err instanceof DecodeError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * ListOffsets by timestamp inside one stored batch: the first record whose timestamp is ≥ `ts`
 * (Kafka's LogSegment.findOffsetByTimestamp decompresses too). Undefined when no record qualifies or
 * the batch cannot be read.
 */
export function findOffsetByTimestamp(
  batch: Buffer,
  ts: number,
): { offset: number; timestamp: number } | undefined {
  const opened = openRecords(batch);
  if (!opened.ok) return undefined;
  const target = BigInt(ts);
  for (const r of opened.records) {
    if (r.timestamp >= target) return { offset: Number(r.offset), timestamp: Number(r.timestamp) };
  }
  return undefined;
}
