import { EncodeError } from '../errors.js';

/** A growable big-endian byte writer. `finish()` returns a view of what was written. */
export class Writer {
  buf: Buffer;
  offset = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.offset);
  }

  int8(v: number): void {
    this.ensure(1);
    this.offset = this.buf.writeInt8(v, this.offset);
  }

  uint8(v: number): void {
    this.ensure(1);
    this.buf[this.offset++] = v;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.offset++] = v ? 1 : 0;
  }

  int16(v: number): void {
    this.ensure(2);
    this.offset = this.buf.writeInt16BE(v, this.offset);
  }

  uint16(v: number): void {
    this.ensure(2);
    this.offset = this.buf.writeUInt16BE(v, this.offset);
  }

  int32(v: number): void {
    this.ensure(4);
    this.offset = this.buf.writeInt32BE(v, this.offset);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.offset = this.buf.writeUInt32BE(v, this.offset);
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.offset = this.buf.writeBigInt64BE(v, this.offset);
  }

  float64(v: number): void {
    this.ensure(8);
    this.offset = this.buf.writeDoubleBE(v, this.offset);
  }

  uvarint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new EncodeError(`unsigned varint out of range: ${v}`);
    }
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.offset++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.offset++] = v;
  }

  varint(v: number): void {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new EncodeError(`varint out of range: ${v}`);
    }
    this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  varlong(v: bigint): void {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (z >= 0x80n) {
      this.buf[this.offset++] = Number(z & 0x7fn) | 0x80;
      z >>= 7n;
    }
    this.buf[this.offset++] = Number(z);
  }

  bytes(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.offset);
    this.offset += v.length;
  }

  /** Writes UTF-8 and returns the byte length written. */
  utf8(v: string, byteLength: number): void {
    this.ensure(byteLength);
    this.offset += this.buf.write(v, this.offset, byteLength, 'utf8');
  }

  /** Reserves `n` bytes to be filled in later (lengths, CRCs); returns their offset. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.offset;
    this.offset += n;
    return at;
  }
}

/** Bytes an unsigned varint of `v` takes on the wire. */
export function uvarintSize(v: number): number {
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}
