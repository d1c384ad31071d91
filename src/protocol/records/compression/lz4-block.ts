import { DecodeError } from '../../errors.js';

/**
 * The LZ4 block format (lz4/lz4 doc/lz4_Block_format.md): sequences of
 *   token (high nibble literal length, low nibble match length - 4; 15 = more bytes follow, each
 *   255 = keep adding) | literals | match offset (uint16 LE) | extra match-length bytes.
 * The last sequence has literals only. End-of-block rules the decoder of the reference library
 * relies on: the last 5 bytes are literals and the last match starts at least 12 bytes before the end.
 */

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const HASH_BITS = 12;
const MAX_OFFSET = 65535;

export function lz4MaxCompressedLength(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

function hash4(src: Uint8Array, i: number): number {
  const v = src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24);
  return Math.imul(v, 2654435761) >>> (32 - HASH_BITS);
}

function writeLength(dst: Uint8Array, o: number, n: number): number {
  while (n >= 255) {
    dst[o++] = 255;
    n -= 255;
  }
  dst[o++] = n;
  return o;
}

/**
 * Compresses `src[start, end)` into `dst` at `o` as one independent block; returns the new end of
 * `dst`. `dst` must hold `lz4MaxCompressedLength(end - start)` bytes from `o`.
 */
export function lz4CompressBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  o: number,
  table: Int32Array = new Int32Array(1 << HASH_BITS),
): number {
  table.fill(-1);
  let anchor = start;
  let i = start;
  const matchLimit = end - MF_LIMIT;
  const copyLimit = end - LAST_LITERALS;
  while (i < matchLimit) {
    const h = hash4(src, i);
    const ref = table[h];
    table[h] = i;
    if (
      ref < 0 ||
      i - ref > MAX_OFFSET ||
      src[ref] !== src[i] ||
      src[ref + 1] !== src[i + 1] ||
      src[ref + 2] !== src[i + 2] ||
      src[ref + 3] !== src[i + 3]
    ) {
      i++;
      continue;
    }
    let len = MIN_MATCH;
    while (i + len < copyLimit && src[ref + len] === src[i + len]) len++;
    const litLen = i - anchor;
    const token = o++;
    const litNibble = litLen >= 15 ? 15 : litLen;
    if (litLen >= 15) o = writeLength(dst, o, litLen - 15);
    dst.set(src.subarray(anchor, i), o);
    o += litLen;
    const offset = i - ref;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
    const m = len - MIN_MATCH;
    dst[token] = (litNibble << 4) | (m >= 15 ? 15 : m);
    if (m >= 15) o = writeLength(dst, o, m - 15);
    i += len;
    anchor = i;
  }
  const litLen = end - anchor;
  if (litLen >= 15) {
    dst[o++] = 0xf0;
    o = writeLength(dst, o, litLen - 15);
  } else {
    dst[o++] = litLen << 4;
  }
  dst.set(src.subarray(anchor, end), o);
  return o + litLen;
}

/**
 * Decompresses the block `src[start, end)` into `dst` from `o`, never past `dstEnd`; returns the new
 * end of `dst`. Errors name the byte offset within `src`.
 */
export function lz4DecompressBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  o: number,
  dstEnd: number,
): number {
  const dstStart = o;
  let i = start;
  while (i < end) {
    const at = i;
    const token = src[i++];
    let litLen = token >>> 4;
    if (litLen === 15) {
      let b = 255;
      while (b === 255) {
        if (i >= end) throw new DecodeError('lz4: literal length runs past the end of the block', at);
        b = src[i++];
        litLen += b;
      }
    }
    if (i + litLen > end) throw new DecodeError(`lz4: ${litLen} literals run past the end of the block`, at);
    if (o + litLen > dstEnd) throw new DecodeError('lz4: output exceeds the block size', at);
    dst.set(src.subarray(i, i + litLen), o);
    i += litLen;
    o += litLen;
    if (i === end) return o;
    if (i + 2 > end) throw new DecodeError('lz4: match offset runs past the end of the block', i);
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    if (offset === 0 || offset > o - dstStart) {
      throw new DecodeError(`lz4: match offset ${offset} is outside the output`, i - 2);
    }
    let len = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let b = 255;
      while (b === 255) {
        if (i >= end) throw new DecodeError('lz4: match length runs past the end of the block', at);
        b = src[i++];
        len += b;
      }
    }
    if (o + len > dstEnd) throw new DecodeError('lz4: output exceeds the block size', at);
    let from = o - offset;
    if (offset >= len) {
      dst.copyWithin(o, from, from + len);
      o += len;
    } else {
      for (let k = 0; k < len; k++) dst[o++] = dst[from++];
    }
  }
  // An empty block (no token at all) only happens for empty input.
  return o;
}
