import { DecodeError } from '../errors.js';
import type { SpanRecorder } from '../primitives/spans.js';
import {
  COMPRESSION_TYPES,
  type CompressionType,
  DEFAULT_MAX_DECOMPRESSED,
  decompress,
} from './compression/index.js';
import { crc32 } from './crc32.js';

/**
 * Legacy message sets, magic 0 (Kafka 0.8) and magic 1 (0.10, KIP-31/KIP-32 added a timestamp),
 * for explaining old frames. No count prefix: messages follow each other to the end of the bytes.
 *
 *   offset int64 | messageSize int32 | crc uint32 (CRC-32 of magic..end) | magic int8 |
 *   attributes int8 | timestamp int64 (magic 1) | key BYTES | value BYTES
 *
 * A compressed message is a wrapper whose value is a compressed inner message set. In magic 1 the
 * inner offsets are relative (0..n-1) and the wrapper holds the absolute offset of the last inner
 * message (KIP-31), so absolute = wrapper offset - last relative + relative.
 */

export interface LegacyMessage {
  /** Absolute offset (for inner magic-1 messages: worked out from the wrapper). */
  offset: bigint;
  /** The offset as written on the wire (relative inside a magic-1 wrapper). */
  wireOffset: bigint;
  messageSize: number;
  crc: number;
  magic: 0 | 1;
  attributes: { compression: CompressionType; timestampType: 'create' | 'log-append' };
  /** null for magic 0, which has no timestamp. */
  timestamp: bigint | null;
  key: Buffer | null;
  value: Buffer | null;
  /** The decompressed inner messages of a compressed wrapper. */
  inner?: LegacyMessage[];
}

export interface DecodeLegacyOptions {
  verifyCrc?: boolean;
  recorder?: SpanRecorder;
  /** Where `bytes[0]` sits in the enclosing frame (added to span and error offsets). */
  frameOffset?: number;
  maxDecompressedBytes?: number;
}

export interface DecodedLegacyMessageSet {
  messages: LegacyMessage[];
  /** A Fetch response may end with a partial message, as with batches: skipped. */
  truncatedBytes: number;
}

/** offset, messageSize */
const LOG_OVERHEAD = 12;
/** crc, magic, attributes, key length, value length (magic 0). */
const MIN_MESSAGE_V0 = 14;

interface Ctx {
  verifyCrc: boolean;
  rec: SpanRecorder | undefined;
  maxOutput: number;
  /** Added to positions for span offsets. */
  spanBase: number;
  /** Positions inside decompressed data cannot be located in the frame: errors point here instead. */
  errorAt: ((pos: number) => number) | undefined;
  note: string;
  depth: number;
}

export function decodeLegacyMessageSet(
  bytes: Uint8Array,
  options: DecodeLegacyOptions = {},
): DecodedLegacyMessageSet {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = options.frameOffset ?? 0;
  const rec = options.recorder;
  if (rec) rec.enter('messages');
  try {
    return readSet(buf, 0, buf.length, {
      verifyCrc: options.verifyCrc ?? true,
      rec,
      maxOutput: options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED,
      spanBase: base,
      errorAt: undefined,
      note: '',
      depth: 0,
    });
  } catch (err) {
    if (err instanceof DecodeError) throw err.within('messages');
    throw err;
  } finally {
    if (rec) rec.leave();
  }
}

function readSet(buf: Buffer, pos: number, end: number, ctx: Ctx): DecodedLegacyMessageSet {
  const messages: LegacyMessage[] = [];
  const at = (p: number) => (ctx.errorAt ? ctx.errorAt(p) : ctx.spanBase + p);
  // Each message takes at least 26 bytes, so the loop is bounded by the input.
  while (pos < end) {
    const index = messages.length;
    const remaining = end - pos;
    if (remaining < LOG_OVERHEAD) return { messages, truncatedBytes: remaining };
    const messageSize = buf.readInt32BE(pos + 8);
    if (messageSize < MIN_MESSAGE_V0) {
      throw new DecodeError(
        `messageSize ${messageSize} is smaller than the ${MIN_MESSAGE_V0}-byte minimum`,
        at(pos + 8),
        `[${index}].messageSize`,
      );
    }
    if (messageSize > remaining - LOG_OVERHEAD) {
      if (ctx.depth > 0) {
        throw new DecodeError(
          `inner message of ${messageSize} bytes runs past the wrapper`,
          at(pos + 8),
          `[${index}].messageSize`,
        );
      }
      return { messages, truncatedBytes: remaining };
    }
    if (ctx.rec) ctx.rec.enter(`[${index}]`);
    try {
      messages.push(readMessage(buf, pos, pos + LOG_OVERHEAD + messageSize, ctx));
    } catch (err) {
      if (err instanceof DecodeError) throw err.within(`[${index}]`);
      throw err;
    }
    if (ctx.rec) ctx.rec.leave();
    pos += LOG_OVERHEAD + messageSize;
  }
  return { messages, truncatedBytes: 0 };
}

function readMessage(buf: Buffer, pos: number, end: number, ctx: Ctx): LegacyMessage {
  const at = (p: number) => (ctx.errorAt ? ctx.errorAt(p) : ctx.spanBase + p);
  const rec = ctx.rec;
  const spans: {
    name: string;
    offset: number;
    length: number;
    wireType: string;
    value: unknown;
    note?: string;
  }[] = [];
  const field = (
    name: string,
    offset: number,
    length: number,
    wireType: string,
    value: unknown,
    note?: string,
  ) => {
    if (rec) spans.push({ name, offset, length, wireType, value, note });
  };
  const wireOffset = buf.readBigInt64BE(pos);
  const messageSize = buf.readInt32BE(pos + 8);
  const crc = buf.readUInt32BE(pos + 12);
  const magic = buf.readInt8(pos + 16);
  if (magic !== 0 && magic !== 1) {
    throw new DecodeError(`magic ${magic} is not 0 or 1`, at(pos + 16), 'magic');
  }
  const computed = crc32(buf, pos + 16, end);
  if (ctx.verifyCrc && crc !== computed) {
    throw new DecodeError(
      `CRC-32 mismatch: stored 0x${hex32(crc)}, computed 0x${hex32(computed)} over magic..end`,
      at(pos + 12),
      'crc',
    );
  }
  const attributeBits = buf.readInt8(pos + 17);
  const compression = COMPRESSION_TYPES[attributeBits & 7];
  if (compression === undefined || compression === 'zstd') {
    throw new DecodeError(
      `compression codec id ${attributeBits & 7} is not valid for magic ${magic}`,
      at(pos + 17),
      'attributes',
    );
  }
  const timestampType = magic === 1 && attributeBits & 8 ? 'log-append' : 'create';
  field('offset', pos, 8, 'INT64', wireOffset);
  field('messageSize', pos + 8, 4, 'INT32', messageSize, `${messageSize} bytes follow`);
  field(
    'crc',
    pos + 12,
    4,
    'UINT32',
    crc,
    `CRC-32 of magic..end: stored 0x${hex32(crc)} computed 0x${hex32(computed)} ${crc === computed ? '✓' : '✗ MISMATCH'}`,
  );
  field(
    'magic',
    pos + 16,
    1,
    'INT8',
    magic,
    magic === 0 ? 'message format v0 (Kafka 0.8)' : 'message format v1 (Kafka 0.10, KIP-32 timestamps)',
  );
  field(
    'attributes',
    pos + 17,
    1,
    'INT8',
    { bits: attributeBits, compression, timestampType },
    `compression=${compression}, timestamp=${timestampType}`,
  );
  let p = pos + 18;
  let timestamp: bigint | null = null;
  if (magic === 1) {
    if (p + 8 > end) throw new DecodeError('timestamp runs past the end of the message', at(p), 'timestamp');
    timestamp = buf.readBigInt64BE(p);
    field('timestamp', p, 8, 'INT64', timestamp);
    p += 8;
  }
  const readBytes = (name: string): Buffer | null => {
    if (p + 4 > end) throw new DecodeError(`${name} length runs past the end of the message`, at(p), name);
    const n = buf.readInt32BE(p);
    if (n < -1 || n > end - p - 4) {
      throw new DecodeError(`${name} length ${n} does not fit in the ${end - p - 4} bytes left`, at(p), name);
    }
    if (n === -1) {
      field(name, p, 4, 'NULLABLE_BYTES', null, '-1 = null');
      p += 4;
      return null;
    }
    const v = buf.subarray(p + 4, p + 4 + n);
    field(name, p, 4 + n, 'NULLABLE_BYTES', v, `${n} bytes`);
    p += 4 + n;
    return v;
  };
  const key = readBytes('key');
  const value = readBytes('value');
  if (p !== end) throw new DecodeError(`${end - p} bytes left after the value`, at(p), 'value');
  if (rec) {
    rec.add({
      offset: ctx.spanBase + pos,
      length: end - pos,
      wireType: 'MESSAGE',
      kind: 'container',
      note: `legacy message v${magic}${ctx.note}`,
    });
    for (const s of spans) {
      const note = [s.note, ctx.note.trim()].filter(Boolean).join(' ');
      rec.add({
        offset: ctx.spanBase + s.offset,
        length: s.length,
        path: `${rec.path}.${s.name}`,
        wireType: s.wireType,
        value: s.value,
        kind: s.name === 'messageSize' ? 'length' : 'value',
        ...(note ? { note } : {}),
      });
    }
  }
  const message: LegacyMessage = {
    offset: wireOffset,
    wireOffset,
    messageSize,
    crc,
    magic,
    attributes: { compression, timestampType },
    timestamp,
    key,
    value,
  };
  if (compression !== 'none') message.inner = readInner(message, ctx, at(p - (value?.length ?? 0)));
  return message;
}

function readInner(wrapper: LegacyMessage, ctx: Ctx, valueAt: number): LegacyMessage[] {
  if (ctx.depth > 0)
    throw new DecodeError('compressed message nested inside a compressed message', valueAt, 'value');
  if (wrapper.value === null) throw new DecodeError('compressed wrapper has a null value', valueAt, 'value');
  let data: Buffer;
  try {
    data = decompress(wrapper.attributes.compression, wrapper.value, {
      maxOutput: ctx.maxOutput,
      legacyLz4: true,
    });
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw new DecodeError(
      `${err.reason} (byte ${err.offset} of the ${wrapper.attributes.compression} value)`,
      valueAt + err.offset,
      'value',
    );
  }
  const rec = ctx.rec;
  if (rec) {
    rec.add({
      offset: valueAt,
      length: wrapper.value.length,
      path: `${rec.path}.inner`,
      wireType: 'RAW',
      kind: 'container',
      note: `compressed with ${wrapper.attributes.compression}: ${wrapper.value.length} → ${data.length} bytes, messages below are decompressed (their offsets are in decompressed data)`,
    });
    rec.enter('inner');
  }
  let inner: DecodedLegacyMessageSet;
  try {
    inner = readSet(data, 0, data.length, {
      ...ctx,
      spanBase: 0,
      errorAt: () => valueAt,
      note: ' (offset in decompressed data)',
      depth: 1,
    });
  } catch (err) {
    if (err instanceof DecodeError) throw err.within('inner');
    throw err;
  } finally {
    if (rec) rec.leave();
  }
  const messages = inner.messages;
  if (wrapper.magic === 1 && messages.length > 0) {
    // KIP-31: inner offsets are relative; the wrapper carries the last inner message's offset.
    const last = messages[messages.length - 1].wireOffset;
    for (const m of messages) m.offset = wrapper.wireOffset - last + m.wireOffset;
  }
  if (wrapper.magic === 1 && wrapper.attributes.timestampType === 'log-append') {
    for (const m of messages) m.timestamp = wrapper.timestamp;
  }
  return messages;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
