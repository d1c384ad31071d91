import { DecodeError } from '../../errors.js';
import { lz4CompressBlock, lz4DecompressBlock, lz4MaxCompressedLength } from './lz4-block.js';
import { xxhash32 } from './xxhash32.js';

/**
 * The LZ4 frame format (lz4/lz4 doc/lz4_Frame_format.md), which Kafka uses for lz4 batches:
 *   magic 0x184D2204 (LE) | FLG | BD | [content size u64 LE] | [dict id u32 LE] | HC
 *   blocks: u32 LE size (high bit = stored uncompressed), data, [xxh32 block checksum]
 *   end mark u32 0 | [xxh32 content checksum]
 * HC = (xxh32(FLG..last descriptor byte) >> 8) & 0xff. Kafka's old message format (magic 0/1)
 * computed HC over the magic too (KAFKA-3160); `allowLegacyHeaderChecksum` accepts that.
 */

export const LZ4_MAGIC = 0x184d2204;
const BLOCK_SIZES = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

export interface Lz4FrameOptions {
  /** Append an xxh32 of the whole content after the end mark (Kafka's producer does not). */
  contentChecksum?: boolean;
}

/** Writes one frame with 64 KiB independent blocks, like Kafka's `Lz4BlockOutputStream`. */
export function lz4FrameCompress(src: Uint8Array, options: Lz4FrameOptions = {}): Buffer {
  const blockSize = BLOCK_SIZES[4];
  const blocks = Math.ceil(src.length / blockSize);
  const out = Buffer.allocUnsafe(7 + blocks * (4 + lz4MaxCompressedLength(blockSize)) + 8);
  out.writeUInt32LE(LZ4_MAGIC, 0);
  // FLG: version 01, block independence, content checksum as asked; BD: 64 KiB max block.
  out[4] = 0x60 | (options.contentChecksum ? 0x04 : 0);
  out[5] = 4 << 4;
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff;
  let o = 7;
  const table = new Int32Array(1 << 12);
  for (let start = 0; start < src.length; start += blockSize) {
    const end = Math.min(src.length, start + blockSize);
    const sizeAt = o;
    const dataEnd = lz4CompressBlock(src, start, end, out, o + 4, table);
    const size = dataEnd - (o + 4);
    if (size >= end - start) {
      // Incompressible: store as is, flagged by the high bit of the size.
      out.set(src.subarray(start, end), o + 4);
      out.writeUInt32LE((0x80000000 | (end - start)) >>> 0, sizeAt);
      o += 4 + (end - start);
    } else {
      out.writeUInt32LE(size, sizeAt);
      o = dataEnd;
    }
  }
  out.writeUInt32LE(0, o);
  o += 4;
  if (options.contentChecksum) {
    out.writeUInt32LE(xxhash32(src), o);
    o += 4;
  }
  return out.subarray(0, o);
}

export interface Lz4DecodeOptions {
  maxOutput?: number;
  /** Accept the pre-KIP-57 header checksum that covers the magic bytes too (magic 0/1 messages). */
  allowLegacyHeaderChecksum?: boolean;
  /** Memory the output may be written to (DecompressOptions.scratch). */
  scratch?: Uint8Array;
}

/** Reads one LZ4 frame. Errors name the byte offset within `src`. */
export function lz4FrameDecompress(src: Uint8Array, options: Lz4DecodeOptions = {}): Buffer {
  const maxOutput = options.maxOutput ?? 1 << 30;
  const view = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  if (src.length < 7) throw new DecodeError(`lz4: frame of ${src.length} bytes is too short`, 0);
  const magic = view.readUInt32LE(0);
  if (magic !== LZ4_MAGIC) {
    throw new DecodeError(`lz4: magic 0x${magic.toString(16)} is not 0x${LZ4_MAGIC.toString(16)}`, 0);
  }
  const flg = src[4];
  const bd = src[5];
  if (flg >>> 6 !== 1) throw new DecodeError(`lz4: frame version ${flg >>> 6} is not 1`, 4);
  const blockChecksum = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const hasDictId = (flg & 0x01) !== 0;
  const blockMax = BLOCK_SIZES[(bd >>> 4) & 7];
  if (!blockMax || (bd & 0x8f) !== 0)
    throw new DecodeError(`lz4: bad block descriptor 0x${bd.toString(16)}`, 5);
  let i = 6 + (hasContentSize ? 8 : 0) + (hasDictId ? 4 : 0);
  if (i >= src.length) throw new DecodeError('lz4: frame descriptor runs past the end', 4);
  const hc = src[i];
  const expected = (xxhash32(src, 4, i) >>> 8) & 0xff;
  if (hc !== expected) {
    const legacy = (xxhash32(src, 0, i) >>> 8) & 0xff;
    if (!(options.allowLegacyHeaderChecksum && hc === legacy)) {
      throw new DecodeError(
        `lz4: header checksum stored 0x${hc.toString(16)} computed 0x${expected.toString(16)}`,
        i,
      );
    }
  }
  i++;
  // A scratch of any size is a start: the output moves to a new Buffer only when it outgrows it.
  const scratch = options.scratch;
  let out =
    scratch !== undefined
      ? Buffer.from(scratch.buffer, scratch.byteOffset, Math.min(scratch.length, maxOutput))
      : Buffer.allocUnsafe(Math.min(maxOutput, Math.max(256, src.length * 4)));
  let o = 0;
  for (;;) {
    if (i + 4 > src.length) throw new DecodeError('lz4: block size runs past the end (no end mark)', i);
    const raw = view.readUInt32LE(i);
    const at = i;
    i += 4;
    if (raw === 0) break;
    const stored = raw >= 0x80000000;
    const size = raw & 0x7fffffff;
    if (size > blockMax) throw new DecodeError(`lz4: block of ${size} bytes exceeds the ${blockMax} max`, at);
    if (i + size + (blockChecksum ? 4 : 0) > src.length) {
      throw new DecodeError(`lz4: block of ${size} bytes runs past the end`, at);
    }
    if (blockChecksum) {
      const sum = view.readUInt32LE(i + size);
      const computed = xxhash32(src, i, i + size);
      if (sum !== computed) {
        throw new DecodeError(
          `lz4: block checksum stored 0x${sum.toString(16)} computed 0x${computed.toString(16)}`,
          at,
        );
      }
    }
    // A compressed block expands at most ~255x (a run of 255 length bytes), so size the output by
    // what this block can really produce rather than by the 4 MiB a descriptor may announce.
    const need = stored ? size : Math.min(blockMax, size * 256);
    const dstEnd = Math.min(o + need, maxOutput);
    // Where the output may not fit, try the room there is first and grow only when the block needs
    // it: a scratch as large as the output (DecompressOptions.scratch) is then enough.
    if (dstEnd > out.length && !stored) {
      const after = decodeIfItFits(src, i, i + size, out, o);
      if (after >= 0) {
        o = after;
        i += size + (blockChecksum ? 4 : 0);
        continue;
      }
    }
    if (dstEnd > out.length) {
      const next = Buffer.allocUnsafe(Math.min(maxOutput, Math.max(out.length * 2, dstEnd)));
      out.copy(next, 0, 0, o);
      out = next;
    }
    try {
      if (stored) {
        if (o + size > dstEnd) throw new DecodeError('lz4: output exceeds the block size', at);
        out.set(src.subarray(i, i + size), o);
        o += size;
      } else {
        o = lz4DecompressBlock(src, i, i + size, out, o, dstEnd);
      }
    } catch (err) {
      if (err instanceof DecodeError && dstEnd === maxOutput && /exceeds the block/.test(err.reason)) {
        throw new DecodeError(`lz4: output exceeds the ${maxOutput}-byte limit`, at);
      }
      throw err;
    }
    i += size + (blockChecksum ? 4 : 0);
  }
  if (contentChecksum) {
    if (i + 4 > src.length) throw new DecodeError('lz4: content checksum runs past the end', i);
    const sum = view.readUInt32LE(i);
    const computed = xxhash32(out, 0, o);
    if (sum !== computed) {
      throw new DecodeError(
        `lz4: content checksum stored 0x${sum.toString(16)} computed 0x${computed.toString(16)}`,
        i,
      );
    }
  }
  return out.subarray(0, o);
}

/**
 * The block at src[start, end) decoded into out[o, out.length): the new output position, or -1 when
 * it needs more room (what it wrote there is then overwritten by the retry). Other errors are the
 * block's own and would be met by any retry first, so they are thrown.
 */
function decodeIfItFits(src: Uint8Array, start: number, end: number, out: Buffer, o: number): number {
  try {
    return lz4DecompressBlock(src, start, end, out, o, out.length);
  } catch (err) {
    if (err instanceof DecodeError && /exceeds the block/.test(err.reason)) return -1;
    throw err;
  }
}
