import { DecodeError } from '../../errors.js';
import { createWasmSnappy, type SnappyExpand } from './snappy-wasm.js';

/**
 * Raw snappy (the block format from google/snappy's format_description.txt): an unsigned varint
 * holding the uncompressed length, then elements whose low two tag bits say what they are:
 *   00 literal (length-1 in the upper 6 bits; 60..63 = length-1 in the next 1..4 bytes, little-endian)
 *   01 copy, length 4..11 in bits 2-4, 11-bit offset (3 high bits in the tag, low 8 in the next byte)
 *   10 copy, length 1..64 in the upper 6 bits, 16-bit little-endian offset
 *   11 copy, length 1..64, 32-bit little-endian offset
 * The compressor works on 64 KiB fragments like the reference one, so its offsets always fit 16 bits.
 */

const FRAGMENT = 1 << 16;
const HASH_BITS = 14;
/** The densest element is a 3-byte copy of 64 bytes; a claimed length beyond that ratio is a lie. */
const MAX_EXPANSION = 22;

/** Worst case output size: every byte a literal, plus literal tags and the length preamble. */
export function snappyMaxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

function hash4(src: Uint8Array, i: number): number {
  const v = src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24);
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function emitLiteral(src: Uint8Array, from: number, to: number, dst: Uint8Array, o: number): number {
  const n = to - from - 1;
  if (n < 60) {
    dst[o++] = n << 2;
  } else if (n < 0x100) {
    dst[o++] = 60 << 2;
    dst[o++] = n;
  } else if (n < 0x10000) {
    dst[o++] = 61 << 2;
    dst[o++] = n & 0xff;
    dst[o++] = n >>> 8;
  } else if (n < 0x1000000) {
    dst[o++] = 62 << 2;
    dst[o++] = n & 0xff;
    dst[o++] = (n >>> 8) & 0xff;
    dst[o++] = n >>> 16;
  } else {
    dst[o++] = 63 << 2;
    dst[o++] = n & 0xff;
    dst[o++] = (n >>> 8) & 0xff;
    dst[o++] = (n >>> 16) & 0xff;
    dst[o++] = n >>> 24;
  }
  dst.set(src.subarray(from, to), o);
  return o + (to - from);
}

function emitCopy(offset: number, len: number, dst: Uint8Array, o: number): number {
  // Long matches go out as 64-byte copies; keep at least 4 for the last so a 1-byte-offset form fits.
  while (len >= 68) {
    dst[o++] = (63 << 2) | 2;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
    len -= 64;
  }
  if (len > 64) {
    dst[o++] = (59 << 2) | 2;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    dst[o++] = ((offset >>> 8) << 5) | ((len - 4) << 2) | 1;
    dst[o++] = offset & 0xff;
  } else {
    dst[o++] = ((len - 1) << 2) | 2;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
  }
  return o;
}

function compressFragment(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  o: number,
  table: Int32Array,
): number {
  table.fill(-1);
  let literalStart = start;
  let i = start;
  // A match needs 4 bytes to hash and must not run into the last bytes we read ahead.
  const limit = end - 4;
  while (i <= limit) {
    const h = hash4(src, i);
    const candidate = table[h];
    table[h] = i;
    if (
      candidate >= 0 &&
      src[candidate] === src[i] &&
      src[candidate + 1] === src[i + 1] &&
      src[candidate + 2] === src[i + 2] &&
      src[candidate + 3] === src[i + 3]
    ) {
      if (literalStart < i) o = emitLiteral(src, literalStart, i, dst, o);
      let len = 4;
      while (i + len < end && src[candidate + len] === src[i + len]) len++;
      o = emitCopy(i - candidate, len, dst, o);
      i += len;
      literalStart = i;
    } else {
      i++;
    }
  }
  if (literalStart < end) o = emitLiteral(src, literalStart, end, dst, o);
  return o;
}

/** Compresses `src` into raw snappy. */
export function snappyCompress(src: Uint8Array): Buffer {
  const dst = Buffer.allocUnsafe(snappyMaxCompressedLength(src.length));
  let o = 0;
  let n = src.length;
  while (n >= 0x80) {
    dst[o++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  dst[o++] = n;
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < src.length; start += FRAGMENT) {
    o = compressFragment(src, start, Math.min(src.length, start + FRAGMENT), dst, o, table);
  }
  return dst.subarray(0, o);
}

/** Reads the uncompressed-length preamble; returns [length, bytes used]. */
export function snappyUncompressedLength(src: Uint8Array, start = 0, end = src.length): [number, number] {
  let result = 0;
  let i = start;
  for (let shift = 0; shift < 35; shift += 7) {
    if (i >= end) throw new DecodeError('snappy: length preamble runs past the end', start);
    const b = src[i++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, i - start];
  }
  throw new DecodeError('snappy: length preamble is longer than 5 bytes', start);
}

/** Outputs from this size on go to the WebAssembly kernel; below it the call costs what it saves. */
export const SNAPPY_WASM_MIN_BYTES = 4096;

const wasmExpand = createWasmSnappy();

/** Whether large blocks decompress in WebAssembly on this runtime. */
export const SNAPPY_USES_WASM = wasmExpand !== undefined;

/**
 * Decompresses one raw snappy block held in `src[start, end)`. Errors name the byte offset within
 * `src`. `maxOutput` caps what the preamble may claim. With `scratch` long enough the output is
 * written there and the result is a view of it (see DecompressOptions.scratch), else a new Buffer.
 * Large blocks are expanded by the WebAssembly kernel (snappy-wasm.ts); one it refuses is decoded
 * again here, for the error.
 */
export function snappyDecompress(
  input: Uint8Array,
  start = 0,
  end = input.length,
  maxOutput = 1 << 30,
  scratch?: Uint8Array,
): Buffer {
  return decompressBlock(input, start, end, maxOutput, scratch, wasmExpand);
}

/** snappyDecompress in TypeScript alone (the fallback, and the reference the kernel is tested against). */
export function snappyDecompressPortable(
  input: Uint8Array,
  start = 0,
  end = input.length,
  maxOutput = 1 << 30,
  scratch?: Uint8Array,
): Buffer {
  return decompressBlock(input, start, end, maxOutput, scratch, undefined);
}

function decompressBlock(
  input: Uint8Array,
  start: number,
  end: number,
  maxOutput: number,
  scratch: Uint8Array | undefined,
  wasm: SnappyExpand | undefined,
): Buffer {
  // Plain Uint8Array views for the loop: element access on a Buffer (a subclass) is several times
  // slower in V8 (measured: 0.3 → 1 GB/s on record batches).
  const src = new Uint8Array(input.buffer, input.byteOffset, input.length);
  const [length, used] = snappyUncompressedLength(src, start, end);
  if (length > (end - start) * MAX_EXPANSION + 64 || length > maxOutput) {
    throw new DecodeError(
      `snappy: claims ${length} uncompressed bytes from ${end - start} compressed (impossible or over the limit)`,
      start,
    );
  }
  const dst =
    scratch !== undefined && scratch.length >= length
      ? Buffer.from(scratch.buffer, scratch.byteOffset, length)
      : Buffer.allocUnsafe(length);
  if (wasm !== undefined && length >= SNAPPY_WASM_MIN_BYTES) {
    const expanded = wasm(input, start + used, end, length);
    if (expanded !== undefined) {
      dst.set(expanded);
      return dst;
    }
  }
  const out = new Uint8Array(dst.buffer, dst.byteOffset, length);
  let o = 0;
  let i = start + used;
  while (i < end) {
    const at = i;
    const tag = src[i++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (i + extra > end) throw new DecodeError('snappy: literal length runs past the end', at);
        len = 0;
        for (let k = 0; k < extra; k++) len += src[i + k] * 2 ** (8 * k);
        i += extra;
      }
      len += 1;
      if (i + len > end) throw new DecodeError(`snappy: literal of ${len} bytes runs past the end`, at);
      if (o + len > length) throw new DecodeError('snappy: output exceeds the declared length', at);
      // Most literals between copies are a few bytes: a loop beats making a subarray for each.
      if (len < 16) for (let k = 0; k < len; k++) out[o + k] = src[i + k];
      else out.set(src.subarray(i, i + len), o);
      i += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (i + 1 > end) throw new DecodeError('snappy: copy runs past the end', at);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[i++];
    } else if (kind === 2) {
      if (i + 2 > end) throw new DecodeError('snappy: copy runs past the end', at);
      len = (tag >>> 2) + 1;
      offset = src[i] | (src[i + 1] << 8);
      i += 2;
    } else {
      if (i + 4 > end) throw new DecodeError('snappy: copy runs past the end', at);
      len = (tag >>> 2) + 1;
      offset = (src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24)) >>> 0;
      i += 4;
    }
    if (offset === 0 || offset > o)
      throw new DecodeError(`snappy: copy offset ${offset} is outside the output`, at);
    if (o + len > length) throw new DecodeError('snappy: output exceeds the declared length', at);
    let from = o - offset;
    if (offset >= len && len >= 32) {
      // Apart: one memmove (a record's repeated value is a copy of up to 64 bytes).
      out.copyWithin(o, from, from + len);
      o += len;
    } else {
      // Overlapping copies (offset < len) repeat a pattern, so copy byte by byte.
      for (let k = 0; k < len; k++) out[o++] = out[from++];
    }
  }
  if (o !== length) throw new DecodeError(`snappy: produced ${o} bytes, the preamble said ${length}`, end);
  return dst;
}
