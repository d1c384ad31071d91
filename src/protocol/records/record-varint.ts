import { DecodeError } from '../errors.js';

/**
 * Varint helpers for the record format, tuned for the hot path: most record fields are small, so
 * the common one- and two-byte cases stay in 32-bit integer arithmetic and never touch BigInt.
 */

/** A bounds-checked cursor over one stretch of bytes (a batch's records, possibly decompressed). */
export class RecordCursor {
  buf: Buffer;
  pos: number;
  end: number;
  private readonly arrayBuffer: ArrayBufferLike;
  private readonly byteOffset: number;

  constructor(buf: Buffer, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.arrayBuffer = buf.buffer;
    this.byteOffset = buf.byteOffset;
  }

  /**
   * A Buffer over `buf[at, at + length)`, sharing its memory like `buf.subarray` does. Made straight
   * from the ArrayBuffer: subarray goes through the typed-array species lookup, which costs about
   * twice as much, and keys and values make two of these per record.
   */
  view(at: number, length: number): Buffer {
    return Buffer.from(this.arrayBuffer, this.byteOffset + at, length);
  }

  /** Zigzag VARINT, at most 5 bytes (the fifth may carry only 4 bits). */
  varint(): number {
    const buf = this.buf;
    const start = this.pos;
    // One byte (-64..63) is the common case: offset deltas, key lengths, header counts.
    if (start < this.end) {
      const b0 = buf[start];
      if (b0 < 0x80) {
        this.pos = start + 1;
        return (b0 >>> 1) ^ -(b0 & 1);
      }
    }
    let pos = start;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= this.end) throw new DecodeError('varint runs past the end of its record', start);
      const b = buf[pos++];
      if (shift === 28 && b > 0x0f)
        throw new DecodeError('varint is longer than 5 bytes or exceeds 32 bits', start);
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return (result >>> 1) ^ -(result & 1);
      }
    }
    throw new DecodeError('varint is longer than 5 bytes', start);
  }

  /**
   * Zigzag VARLONG, at most 10 bytes, as a number when it fits 53 bits exactly (timestamp deltas
   * nearly always do) and as a bigint otherwise.
   */
  varlong(): number | bigint {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    // Small deltas (one or two bytes) are the rule: keep them in int32 arithmetic.
    if (pos + 1 < this.end || (pos < this.end && buf[pos] < 0x80)) {
      const b0 = buf[pos];
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return (b0 >>> 1) ^ -(b0 & 1);
      }
      const b1 = buf[pos + 1];
      if (b1 < 0x80) {
        const z = (b0 & 0x7f) | (b1 << 7);
        this.pos = pos + 2;
        return (z >>> 1) ^ -(z & 1);
      }
    }
    let result = 0;
    // Seven groups = 49 bits: always exact in a double.
    for (let shift = 0; shift < 49; shift += 7) {
      if (pos >= this.end) throw new DecodeError('varlong runs past the end of its record', start);
      const b = buf[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      }
    }
    let big = BigInt(result);
    for (let shift = 49n; shift < 70n; shift += 7n) {
      if (pos >= this.end) throw new DecodeError('varlong runs past the end of its record', start);
      const b = buf[pos++];
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        big = BigInt.asUintN(64, big);
        const v = (big >> 1n) ^ -(big & 1n);
        return Number.isSafeInteger(Number(v)) ? Number(v) : v;
      }
    }
    throw new DecodeError('varlong is longer than 10 bytes', start);
  }
}

/** Bytes a zigzag VARINT of `v` (a 32-bit signed integer) takes. */
export function varintSize(v: number): number {
  let z = ((v << 1) ^ (v >> 31)) >>> 0;
  let size = 1;
  while (z >= 0x80) {
    z >>>= 7;
    size++;
  }
  return size;
}

/** Writes a zigzag VARINT at `o`; returns the new offset. */
export function writeVarint(buf: Uint8Array, o: number, v: number): number {
  let z = ((v << 1) ^ (v >> 31)) >>> 0;
  while (z >= 0x80) {
    buf[o++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[o++] = z;
  return o;
}

/** Zigzag of a varlong as an unsigned value: a number when exact, else a bigint. */
function zigzag64(v: number | bigint): number | bigint {
  if (typeof v === 'number' && Math.abs(v) < 2 ** 51) return v >= 0 ? v * 2 : -v * 2 - 1;
  const b = BigInt(v);
  return BigInt.asUintN(64, (b << 1n) ^ (b >> 63n));
}

export function varlongSize(v: number | bigint): number {
  let z = zigzag64(v);
  let size = 1;
  if (typeof z === 'number') {
    while (z >= 0x80) {
      z = Math.floor(z / 128);
      size++;
    }
    return size;
  }
  while (z >= 0x80n) {
    z >>= 7n;
    size++;
  }
  return size;
}

export function writeVarlong(buf: Uint8Array, o: number, v: number | bigint): number {
  let z = zigzag64(v);
  if (typeof z === 'number') {
    while (z >= 0x80) {
      buf[o++] = (z % 128) | 0x80;
      z = Math.floor(z / 128);
    }
    buf[o++] = z;
    return o;
  }
  while (z >= 0x80n) {
    buf[o++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  buf[o++] = Number(z);
  return o;
}
