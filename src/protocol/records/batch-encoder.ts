import { EncodeError } from '../errors.js';
import { encodeBatchAttributes } from './attributes.js';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from './batch-header.js';
import { type CompressionType, compress } from './compression/index.js';
import { encodeControlKey, encodeEndTxnMarker } from './control-records.js';
import { crc32c } from './crc32c.js';
import { varintSize, varlongSize, writeVarint, writeVarlong } from './record-varint.js';

export type BytesInput = Uint8Array | string | null | undefined;

export interface HeaderInput {
  key: string;
  value?: BytesInput;
}

export interface RecordInput {
  key?: BytesInput;
  value?: BytesInput;
  headers?: HeaderInput[];
  /** Milliseconds since the epoch; defaults to the time of encoding. */
  timestamp?: bigint | number;
  /** Defaults to the record's index; compacted batches have gaps. */
  offsetDelta?: number;
}

export interface RecordBatchInput {
  records: RecordInput[];
  /** Producers send 0; the broker assigns the real offset. */
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  compression?: CompressionType;
  timestampType?: 'create' | 'log-append';
  isTransactional?: boolean;
  isControl?: boolean;
  hasDeleteHorizon?: boolean;
  /** -1 (with epoch and sequence -1) when the producer is not idempotent. */
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  /** Defaults to the first record's timestamp, as Kafka's producer does. */
  baseTimestamp?: bigint | number;
  /** Defaults to the largest record timestamp. */
  maxTimestamp?: bigint | number;
  /** Defaults to the last record's offsetDelta. */
  lastOffsetDelta?: number;
}

/** A timestamp as a number when that is exact, else a bigint; int64 values must survive. */
type Ts = number | bigint;

function toTs(v: bigint | number, path: string): Ts {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v))
      throw new EncodeError(`timestamp ${v} is not a safe integer; pass a bigint`, path);
    return v;
  }
  if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new EncodeError(`timestamp ${v} does not fit int64`, path);
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function tsDelta(ts: Ts, base: Ts): Ts {
  if (typeof ts === 'number' && typeof base === 'number') {
    const d = ts - base;
    if (Number.isSafeInteger(d)) return d;
  }
  return BigInt(ts) - BigInt(base);
}

function tsMax(a: Ts, b: Ts): Ts {
  if (typeof a === 'number' && typeof b === 'number') return a >= b ? a : b;
  return BigInt(a) >= BigInt(b) ? a : b;
}

function byteLength(v: BytesInput): number {
  if (v === null || v === undefined) return -1;
  return typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length;
}

function writeBytes(buf: Buffer, o: number, v: BytesInput, length: number): number {
  o = writeVarint(buf, o, length);
  if (length <= 0) return o;
  if (typeof v === 'string') return o + buf.write(v, o, length, 'utf8');
  buf.set(v as Uint8Array, o);
  return o + length;
}

/**
 * Encodes one magic-2 record batch. Sizes are worked out first so that the records are written once
 * into a buffer of the exact size (no per-record allocations or concatenation); batchLength and the
 * CRC-32C are back-filled at the end.
 */
export function encodeRecordBatch(input: RecordBatchInput): Buffer {
  const records = input.records;
  const n = records.length;
  const compression = input.compression ?? 'none';
  const now = Date.now();

  // Pass 1: timestamps, deltas and sizes.
  const timestamps: Ts[] = new Array(n);
  const sizes = new Int32Array(n * 3); // [bodyLength, keyLength, valueLength] per record
  let maxTs: Ts = -1;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const ts = r.timestamp === undefined ? now : toTs(r.timestamp, `records[${i}].timestamp`);
    timestamps[i] = ts;
    maxTs = i === 0 ? ts : tsMax(maxTs, ts);
  }
  const baseTs: Ts =
    input.baseTimestamp !== undefined
      ? toTs(input.baseTimestamp, 'baseTimestamp')
      : n > 0
        ? timestamps[0]
        : -1;
  const maxTimestamp: Ts =
    input.maxTimestamp !== undefined ? toTs(input.maxTimestamp, 'maxTimestamp') : maxTs;
  let recordsSize = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const offsetDelta = r.offsetDelta ?? i;
    const keyLength = byteLength(r.key);
    const valueLength = byteLength(r.value);
    let body = 1 + varlongSize(tsDelta(timestamps[i], baseTs)) + varintSize(offsetDelta);
    body += varintSize(keyLength) + Math.max(0, keyLength);
    body += varintSize(valueLength) + Math.max(0, valueLength);
    const headers = r.headers;
    const hc = headers ? headers.length : 0;
    body += varintSize(hc);
    for (let h = 0; h < hc; h++) {
      const header = headers![h];
      if (typeof header.key !== 'string')
        throw new EncodeError('header key must be a string', `records[${i}].headers[${h}].key`);
      const hk = Buffer.byteLength(header.key, 'utf8');
      const hv = byteLength(header.value);
      body += varintSize(hk) + hk + varintSize(hv) + Math.max(0, hv);
    }
    sizes[i * 3] = body;
    sizes[i * 3 + 1] = keyLength;
    sizes[i * 3 + 2] = valueLength;
    recordsSize += varintSize(body) + body;
  }

  // Pass 2: records, straight into the batch when uncompressed, else into a scratch block.
  const plain = compression === 'none';
  const out = plain ? Buffer.allocUnsafe(BATCH_HEADER_SIZE + recordsSize) : Buffer.allocUnsafe(recordsSize);
  let o = plain ? BATCH_HEADER_SIZE : 0;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    o = writeVarint(out, o, sizes[i * 3]);
    out[o++] = 0; // record attributes: unused
    o = writeVarlong(out, o, tsDelta(timestamps[i], baseTs));
    o = writeVarint(out, o, r.offsetDelta ?? i);
    o = writeBytes(out, o, r.key, sizes[i * 3 + 1]);
    o = writeBytes(out, o, r.value, sizes[i * 3 + 2]);
    const headers = r.headers;
    const hc = headers ? headers.length : 0;
    o = writeVarint(out, o, hc);
    for (let h = 0; h < hc; h++) {
      const header = headers![h];
      o = writeBytes(out, o, header.key, Buffer.byteLength(header.key, 'utf8'));
      o = writeBytes(out, o, header.value, byteLength(header.value));
    }
  }
  let batch: Buffer;
  if (plain) {
    batch = out;
  } else {
    const block = compress(compression, out);
    batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + block.length);
    block.copy(batch, BATCH_HEADER_SIZE);
  }

  const lastOffsetDelta = input.lastOffsetDelta ?? (n > 0 ? (records[n - 1].offsetDelta ?? n - 1) : -1);
  const attributes = encodeBatchAttributes({
    compression,
    timestampType: input.timestampType ?? 'create',
    isTransactional: input.isTransactional ?? false,
    isControl: input.isControl ?? false,
    hasDeleteHorizon: input.hasDeleteHorizon ?? false,
  });
  try {
    batch.writeBigInt64BE(input.baseOffset ?? 0n, OFF.baseOffset);
    batch.writeInt32BE(batch.length - LOG_OVERHEAD, OFF.batchLength);
    batch.writeInt32BE(input.partitionLeaderEpoch ?? -1, OFF.partitionLeaderEpoch);
    batch.writeInt8(2, OFF.magic);
    batch.writeInt16BE(attributes, OFF.attributes);
    batch.writeInt32BE(lastOffsetDelta, OFF.lastOffsetDelta);
    batch.writeBigInt64BE(BigInt(baseTs), OFF.baseTimestamp);
    batch.writeBigInt64BE(BigInt(maxTimestamp), OFF.maxTimestamp);
    batch.writeBigInt64BE(input.producerId ?? -1n, OFF.producerId);
    batch.writeInt16BE(input.producerEpoch ?? -1, OFF.producerEpoch);
    batch.writeInt32BE(input.baseSequence ?? -1, OFF.baseSequence);
    batch.writeInt32BE(n, OFF.recordsCount);
  } catch (err) {
    throw new EncodeError(`record batch header: ${(err as Error).message}`);
  }
  batch.writeUInt32BE(crc32c(batch, OFF.attributes, batch.length), OFF.crc);
  return batch;
}

export interface ControlBatchInput {
  type: 'commit' | 'abort';
  producerId: bigint;
  producerEpoch: number;
  /** The transaction coordinator's epoch, carried in the marker's value. */
  coordinatorEpoch?: number;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  timestamp?: bigint | number;
}

/** A transaction marker: a transactional control batch holding one commit or abort record. */
export function encodeControlBatch(input: ControlBatchInput): Buffer {
  return encodeRecordBatch({
    records: [
      {
        key: encodeControlKey(input.type),
        value: encodeEndTxnMarker(input.coordinatorEpoch ?? 0),
        timestamp: input.timestamp,
      },
    ],
    baseOffset: input.baseOffset,
    partitionLeaderEpoch: input.partitionLeaderEpoch,
    isTransactional: true,
    isControl: true,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    // Markers carry no sequence: the producer did not write them.
    baseSequence: -1,
  });
}
