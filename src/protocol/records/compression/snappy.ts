import { DecodeError } from '../../errors.js';
import { snappyCompress, snappyDecompress } from './snappy-raw.js';

/**
 * Snappy as Kafka carries it. Java's producer writes the xerial snappy-java stream format
 * (`SnappyOutputStream`): magic `82 'SNAPPY' 00`, int32 version 1, int32 compatible version 1,
 * then blocks of int32 big-endian length + raw snappy (32 KiB of input per block by default).
 * Some clients (librdkafka once, several Go and JS clients) send one bare raw snappy block instead,
 * and Kafka's reader accepts both, so we do too.
 */

export const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = 16;
/** snappy-java's default block size. */
const XERIAL_BLOCK = 32 * 1024;

export function isXerialFramed(src: Uint8Array): boolean {
  if (src.length < XERIAL_HEADER) return false;
  for (let i = 0; i < XERIAL_MAGIC.length; i++) if (src[i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

/** Compresses in the xerial framing, as Java's producer does. */
export function snappyXerialCompress(src: Uint8Array): Buffer {
  const blocks: Buffer[] = [];
  let total = XERIAL_HEADER;
  for (let start = 0; start < src.length; start += XERIAL_BLOCK) {
    const block = snappyCompress(src.subarray(start, Math.min(src.length, start + XERIAL_BLOCK)));
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(total);
  XERIAL_MAGIC.copy(out, 0);
  out.writeInt32BE(1, 8);
  out.writeInt32BE(1, 12);
  let o = XERIAL_HEADER;
  for (const block of blocks) {
    out.writeInt32BE(block.length, o);
    block.copy(out, o + 4);
    o += 4 + block.length;
  }
  return out;
}

/**
 * Decompresses xerial-framed or bare raw snappy; into `scratch` when the output fits there (the
 * result is then a view of it: DecompressOptions.scratch).
 */
export function snappyKafkaDecompress(src: Uint8Array, maxOutput = 1 << 30, scratch?: Uint8Array): Buffer {
  if (!isXerialFramed(src)) return snappyDecompress(src, 0, src.length, maxOutput, scratch);
  const view = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  const parts: Buffer[] = [];
  let total = 0;
  let inScratch = scratch !== undefined;
  let i = XERIAL_HEADER;
  while (i < src.length) {
    if (i + 4 > src.length) throw new DecodeError('snappy (xerial): block length runs past the end', i);
    const len = view.readInt32BE(i);
    if (len < 0 || i + 4 + len > src.length) {
      throw new DecodeError(`snappy (xerial): block of ${len} bytes runs past the end`, i);
    }
    // Blocks go one after another into the scratch while they fit: the result is then one view.
    const rest = scratch !== undefined && inScratch ? scratch.subarray(total) : undefined;
    const part = snappyDecompress(src, i + 4, i + 4 + len, maxOutput - total, rest);
    if (rest === undefined || part.buffer !== rest.buffer || part.byteOffset !== rest.byteOffset)
      inScratch = false;
    parts.push(part);
    total += part.length;
    i += 4 + len;
  }
  if (scratch !== undefined && inScratch) return Buffer.from(scratch.buffer, scratch.byteOffset, total);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}
