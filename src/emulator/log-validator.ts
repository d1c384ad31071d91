/**
 * The broker's checks on a Produce partition's records, in Kafka's order (ProduceRequest.validateRecords,
 * UnifiedLog.analyzeAndValidateRecords, LogValidator; notes/broker-behaviour.md §1.5-1.6), ending in a
 * batch ready to append: a private copy of the bytes (the request frame can then be freed) with the
 * broker-assigned fields set.
 */
import { OFF } from '../protocol/records/batch-header.js';
import { COMPRESSION_TYPES } from '../protocol/records/compression/index.js';
import { encodeRecordBatch, type KafkaRecord } from '../protocol/records/index.js';
import type { RecordsSummary } from '../protocol/records/record-walk.js';
import {
  BATCH_HEADER_BYTES,
  type BatchHeader,
  batchCrcMatches,
  Compression,
  openRecords,
  readBatchHeader,
  rewriteCrc,
  splitBatches,
  summarizeRecords,
} from './record-batch.js';

export const ProduceErrors = {
  CORRUPT_MESSAGE: 2,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TIMESTAMP: 32,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
  INVALID_TXN_STATE: 48,
} as const;

export interface ValidBatch {
  /** A copy of the batch, safe to keep. */
  bytes: Buffer;
  header: BatchHeader;
  maxTimestamp: number;
  maxTimestampDelta?: number;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTime: number;
}

export type Validation =
  | { ok: true; batch: ValidBatch }
  | {
      ok: false;
      errorCode: number;
      message: string;
      recordErrors?: { batchIndex: number; message: string }[];
    };

export interface ValidationContext {
  produceVersion: number;
  maxMessageBytes: number;
  compacted: boolean;
  logAppendTimeTopic: boolean;
  now: number;
  /** message.timestamp.before.max.ms of the topic (KIP-937); Long.MAX_VALUE turns the check off. */
  timestampBeforeMaxMs: bigint;
  /** message.timestamp.after.max.ms of the topic (KIP-937, 1 hour by default since KIP-1030). */
  timestampAfterMaxMs: bigint;
}

type Refusal = Extract<Validation, { ok: false }>;
const fail = (errorCode: number, message: string): Refusal => ({ ok: false, errorCode, message });

/**
 * Validates one Produce partition's records. The records are walked in place (record-walk.ts), which
 * builds nothing per record; only a batch that fails a check, or that needs its records rebuilt or
 * its timestamps in 64 bits, is decoded record by record as `validateProduceRecordsDecoding` does, so
 * the errors, record errors and messages are the decoder's in every case.
 */
export function validateProduceRecords(input: Buffer | null, c: ValidationContext): Validation {
  const checked = checkBatch(input, c);
  if (!('raw' in checked)) return checked;
  const { raw, header } = checked;
  const s = summarizeRecords(raw);
  if (
    s === undefined ||
    !s.denseOffsets ||
    !s.exactTimestamps ||
    (c.compacted && s.nullKey) ||
    mayBeOutsideWindow(s, c)
  ) {
    return validateDecodedRecords(raw, header, c);
  }
  return accepted(raw, header, c, raw, s.maxTimestampIndex >= 0 ? s.maxTimestampIndex : undefined);
}

/**
 * The same checks with every record decoded to objects first (the path before the in-place walk):
 * the reference the walk is property-tested against, and what `validateProduceRecords` falls back
 * to for a batch with something to report or rebuild.
 */
export function validateProduceRecordsDecoding(input: Buffer | null, c: ValidationContext): Validation {
  const checked = checkBatch(input, c);
  if (!('raw' in checked)) return checked;
  return validateDecodedRecords(checked.raw, checked.header, c);
}

/** Everything before the records: the request's shape, the batch header, the CRC. */
function checkBatch(
  input: Buffer | null,
  c: ValidationContext,
): { raw: Buffer; header: BatchHeader } | Refusal {
  // ProduceRequest.validateRecords (v3+): exactly one v2 batch; zstd needs v7+ (KIP-110).
  const split = splitBatches(input ?? Buffer.alloc(0));
  if (!split.ok) return fail(split.errorCode, split.message);
  if (split.batches.length === 0) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `Produce requests with version ${c.produceVersion} must have at least one record batch per partition`,
    );
  }
  const raw = split.batches[0];
  const magic = raw.readInt8(16);
  if (magic !== 2) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `Produce requests with version ${c.produceVersion} are only allowed to contain record batches with magic version 2`,
    );
  }
  if (raw.length < BATCH_HEADER_BYTES) {
    return fail(
      ProduceErrors.CORRUPT_MESSAGE,
      `Record batch is smaller than its ${BATCH_HEADER_BYTES}-byte header`,
    );
  }
  const header = readBatchHeader(raw);
  if (header.compression === Compression.ZSTD && c.produceVersion < 7) {
    return fail(
      ProduceErrors.UNSUPPORTED_COMPRESSION_TYPE,
      'Produce requests with version < 7 cannot use ZStandard compression',
    );
  }
  if (split.batches.length > 1) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `Produce requests with version ${c.produceVersion} are only allowed to contain exactly one record batch per partition`,
    );
  }
  // UnifiedLog.analyzeAndValidateRecords
  if (header.baseOffset !== 0n) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `The baseOffset of the record batch in the append to a partition should be 0, but it is ${header.baseOffset}`,
    );
  }
  if (raw.length > c.maxMessageBytes) {
    return fail(
      ProduceErrors.MESSAGE_TOO_LARGE,
      `The record batch size in the append is ${raw.length} bytes which exceeds the maximum configured value of ${c.maxMessageBytes}.`,
    );
  }
  if (!batchCrcMatches(raw)) {
    return fail(ProduceErrors.CORRUPT_MESSAGE, `Record batch is corrupt (stored crc = ${header.crc})`);
  }
  // LogValidator.validateBatch
  if (header.recordsCount <= 0 || header.lastOffsetDelta + 1 !== header.recordsCount) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `Inconsistent batch offset range [0, ${header.lastOffsetDelta}] and count of records ${header.recordsCount}`,
    );
  }
  if (header.isControl)
    return fail(ProduceErrors.INVALID_RECORD, 'Clients are not allowed to write control records');
  if (header.producerId >= 0n && header.baseSequence < 0) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `Invalid sequence number ${header.baseSequence} in record batch with producerId ${header.producerId}`,
    );
  }
  // A transactional batch is checked against the transaction coordinator by the Produce handler.
  if (header.logAppendTime) {
    return fail(
      ProduceErrors.INVALID_TIMESTAMP,
      'Invalid timestamp type in batch: clients must not set LogAppendTime',
    );
  }

  return { raw, header };
}

/** The records decoded to objects, checked one by one (LogValidator.validateRecord). */
function validateDecodedRecords(raw: Buffer, header: BatchHeader, c: ValidationContext): Validation {
  // The records themselves, decompressed when needed (LogValidator reads every record of a batch,
  // compressed or not: validateMessagesAndAssignOffsets{Compressed,Uncompressed}).
  const opened = openRecords(raw);
  if (!opened.ok) return fail(opened.errorCode, opened.message);
  const records: KafkaRecord[] = opened.records;
  if (records.length !== header.recordsCount) {
    return fail(
      ProduceErrors.INVALID_RECORD,
      `Incorrect declared batch size: ${header.recordsCount} records declared, ${records.length} read`,
    );
  }
  if (header.compression === Compression.NONE && records.some((r, i) => r.offsetDelta !== i)) {
    // A compressed batch with odd inner offsets is rebuilt by Kafka, not refused (see below).
    return fail(
      ProduceErrors.INVALID_RECORD,
      'Record offsets must be consecutive from 0 in an uncompressed batch',
    );
  }
  // LogValidator.validateRecord, per record: a missing key on a compacted topic, else a CreateTime
  // timestamp outside the window; every bad record is listed, and one bad timestamp makes the whole
  // answer INVALID_TIMESTAMP (processRecordErrors).
  const checkTimestamps = checksTimestamps(c);
  if (c.compacted || checkTimestamps) {
    const now = BigInt(c.now);
    const recordErrors: { batchIndex: number; message: string }[] = [];
    let badTimestamp = false;
    records.forEach((r, i) => {
      if (c.compacted && r.key === null) {
        recordErrors.push({
          batchIndex: i,
          message: 'Compacted topic cannot accept message without key in topic partition',
        });
      } else if (checkTimestamps && outsideWindow(r.timestamp, now, c)) {
        badTimestamp = true;
        recordErrors.push({ batchIndex: i, message: timestampMessage(r.timestamp, r.offsetDelta, now, c) });
      }
    });
    if (recordErrors.length > 0) {
      return {
        ok: false,
        errorCode: badTimestamp ? ProduceErrors.INVALID_TIMESTAMP : ProduceErrors.INVALID_RECORD,
        message: badTimestamp
          ? 'One or more records have been rejected due to invalid timestamp'
          : 'One or more records have been rejected',
        recordErrors,
      };
    }
  }

  // Compressed batches whose inner offsets are not 0..n-1 are rebuilt, not refused: "some older
  // clients do not implement the V1 internal offsets correctly" (LogValidator, compressed path).
  const rebuild = header.compression !== Compression.NONE && records.some((r, i) => r.offsetDelta !== i);
  let maxTimestampDelta: number | undefined;
  let best = -1n;
  records.forEach((r, i) => {
    if (r.timestamp > best) {
      best = r.timestamp;
      maxTimestampDelta = i;
    }
  });
  return accepted(raw, header, c, rebuild ? rebuildWithDenseOffsets(raw, records) : raw, maxTimestampDelta);
}

/**
 * The batch to append. The partition log copies what it stores, so a copy here is needed only where
 * bytes are rewritten (LogAppendTime): `raw` is a view into the request frame, which --record keeps
 * as sent. `maxTimestampDelta`: index of the record with the batch's max timestamp.
 */
function accepted(
  raw: Buffer,
  header: BatchHeader,
  c: ValidationContext,
  records: Buffer,
  maxTimestampDelta: number | undefined,
): Validation {
  if (!c.logAppendTimeTopic) {
    return {
      ok: true,
      batch: {
        bytes: records,
        header,
        maxTimestamp: header.maxTimestamp,
        maxTimestampDelta,
        logAppendTime: -1,
      },
    };
  }
  // LogValidator sets the type bit and maxTimestamp to now, which changes the CRC.
  const bytes = records === raw ? Buffer.from(raw) : records;
  bytes.writeInt16BE(bytes.readInt16BE(OFF.attributes) | 0x08, OFF.attributes);
  bytes.writeBigInt64BE(BigInt(c.now), OFF.maxTimestamp);
  rewriteCrc(bytes);
  return { ok: true, batch: { bytes, header, maxTimestamp: c.now, logAppendTime: c.now } };
}

const INT64_MAX = 0x7fff_ffff_ffff_ffffn;
/** RecordBatch.NO_TIMESTAMP: a record without a timestamp is never out of range. */
const NO_TIMESTAMP = -1n;
/** Java long arithmetic: Kafka computes the window in 64 bits and lets it wrap (now + Long.MAX_VALUE). */
const long = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Whether LogValidator checks CreateTime timestamps against a window on this topic at all. */
function checksTimestamps(c: ValidationContext): boolean {
  return !c.logAppendTimeTopic && (c.timestampBeforeMaxMs < INT64_MAX || c.timestampAfterMaxMs < INT64_MAX);
}

/**
 * Whether a record the walk read may be outside the window. Its timestamps are exact numbers within
 * ±2^52, and the window's test is monotone in the timestamp, so the lowest and the highest decide;
 * with `now` within ±2^52 too, now - t is exact and far from int64's wrap, and comparing it with the
 * bounds as doubles gives the bigint answer (a bound beyond 2^53 is beyond any such difference).
 * Any other `now` answers yes: the decoding path then checks in 64-bit arithmetic.
 */
function mayBeOutsideWindow(s: RecordsSummary, c: ValidationContext): boolean {
  if (!checksTimestamps(c) || s.lowTimestamp > s.highTimestamp) return false;
  if (!(Math.abs(c.now) <= 2 ** 52)) return true;
  const before = Number(c.timestampBeforeMaxMs);
  const after = Number(c.timestampAfterMaxMs);
  return c.now - s.lowTimestamp > before || s.highTimestamp - c.now > after;
}

/** LogValidator.recordHasInvalidTimestamp, in Java's 64-bit arithmetic. */
function outsideWindow(timestamp: bigint, now: bigint, c: ValidationContext): boolean {
  if (timestamp === NO_TIMESTAMP) return false;
  const diff = long(now - timestamp);
  return diff > c.timestampBeforeMaxMs || long(-diff) > c.timestampAfterMaxMs;
}

/**
 * Kafka's wording, bounds included: with the default before-window of Long.MAX_VALUE the lower bound
 * is far in the past, and an after-window of Long.MAX_VALUE wraps the upper bound negative, as in Java.
 */
function timestampMessage(timestamp: bigint, offset: number, now: bigint, c: ValidationContext): string {
  const lower = long(now - c.timestampBeforeMaxMs);
  const upper = long(now + c.timestampAfterMaxMs);
  return `Timestamp ${timestamp} of message with offset ${offset} is out of range. The timestamp should be within [${lower}, ${upper}]`;
}

/** The same records re-encoded with offset deltas 0..n-1, same codec and producer fields. */
function rebuildWithDenseOffsets(raw: Buffer, records: KafkaRecord[]): Buffer {
  const h = readBatchHeader(raw);
  return encodeRecordBatch({
    records: records.map((r, i) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
      offsetDelta: i,
    })),
    compression: COMPRESSION_TYPES[h.compression],
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    baseTimestamp: raw.readBigInt64BE(OFF.baseTimestamp),
    lastOffsetDelta: records.length - 1,
  });
}
