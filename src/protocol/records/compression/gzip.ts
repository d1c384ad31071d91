import zlib from 'node:zlib';
import { DecodeError } from '../../errors.js';

/** gzip: a standard gzip stream (Java's GZIPOutputStream); Node's zlib does both directions. */
export function gzipCompress(src: Uint8Array): Buffer {
  return zlib.gzipSync(src);
}

export function gzipDecompress(src: Uint8Array, maxOutput = 1 << 30): Buffer {
  try {
    // maxOutputLength stops a gzip bomb before it fills memory.
    return zlib.gunzipSync(src, { maxOutputLength: maxOutput });
  } catch (err) {
    throw new DecodeError(`gzip: ${(err as Error).message}`, 0);
  }
}
