import { DecodeError } from '../errors.js';
import type { SpanRecorder } from './spans.js';

/**
 * A bounds-checked cursor over a byte buffer. Every read checks the bytes remaining first, so a
 * length or count taken from the wire can never make us allocate more than the input holds.
 */
export class Reader {
  readonly buf: Buffer;
  offset: number;
  /** Exclusive end of the readable window (a frame may sit inside a larger buffer). */
  readonly end: number;
  /** Present only when the caller asked for an explanation of every byte. */
  readonly recorder: SpanRecorder | undefined;

  constructor(bytes: Uint8Array, options: { offset?: number; end?: number; recorder?: SpanRecorder } = {}) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = options.offset ?? 0;
    this.end = options.end ?? this.buf.length;
    this.recorder = options.recorder;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws the canonical "need N bytes, have M" error unless `n` bytes remain. */
  need(n: number): void {
    if (n > this.end - this.offset) {
      throw new DecodeError(`need ${n} bytes, have ${this.end - this.offset}`, this.offset);
    }
  }

  /** A count or length read from the wire must fit in what is left (each element needs `minEach` bytes). */
  checkCount(count: number, minEach: number, what: string, at: number): void {
    if (count * minEach > this.end - this.offset) {
      throw new DecodeError(
        `${what} ${count} needs at least ${count * minEach} bytes, have ${this.end - this.offset}`,
        at,
      );
    }
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }

  uint8(): number {
    this.need(1);
    return this.buf[this.offset++];
  }

  bool(): boolean {
    this.need(1);
    return this.buf[this.offset++] !== 0;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  uint16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  /** Kafka's UNSIGNED_VARINT for 32-bit values: at most 5 bytes, the fifth may not continue. */
  uvarint(): number {
    const start = this.offset;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.offset >= this.end) throw new DecodeError('varint runs past the end of the buffer', start);
      const b = this.buf[this.offset++];
      if (shift === 28 && b > 0x0f)
        throw new DecodeError('varint is longer than 5 bytes or exceeds 32 bits', start);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new DecodeError('varint is longer than 5 bytes', start);
  }

  /** Zigzag-encoded signed 32-bit VARINT (record fields). */
  varint(): number {
    const n = this.uvarint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** Zigzag-encoded signed 64-bit VARLONG (record timestamps): at most 10 bytes. */
  varlong(): bigint {
    const start = this.offset;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.offset >= this.end) throw new DecodeError('varlong runs past the end of the buffer', start);
      const b = this.buf[this.offset++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
    }
    throw new DecodeError('varlong is longer than 10 bytes', start);
  }

  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  utf8(n: number): string {
    this.need(n);
    const v = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
}
