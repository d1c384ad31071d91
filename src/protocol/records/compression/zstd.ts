import { DecodeError, EncodeError } from '../../errors.js';

/**
 * zstd (Produce/Fetch v7+, KIP-110). Node 20 has no zstd, so we use @bokuweb/zstd-wasm: the
 * reference C library compiled to wasm, shipped inside the npm package. Its wasm instance is built
 * asynchronously once; after `await ensureCodecs()` compress/decompress are synchronous.
 */

type ZstdModule = {
  init(): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array, opts?: { defaultHeapSize?: number }): Uint8Array;
};

let zstd: ZstdModule | undefined;
let loading: Promise<void> | undefined;
let loadError: Error | undefined;

/** Loads the zstd wasm codec once; every other codec is always ready. Safe to call many times. */
export function ensureZstd(): Promise<void> {
  loading ??= (async () => {
    try {
      const mod = (await import('@bokuweb/zstd-wasm')) as unknown as ZstdModule & { default?: ZstdModule };
      const m = typeof mod.init === 'function' ? mod : mod.default!;
      await m.init();
      zstd = m;
    } catch (err) {
      loadError = err as Error;
    }
  })();
  return loading;
}

function ready(): ZstdModule {
  if (zstd) return zstd;
  const why = loadError
    ? `loading @bokuweb/zstd-wasm failed (${loadError.message}); check that the package is installed (npm ci)`
    : 'call `await ensureCodecs()` once before using zstd (its wasm module loads asynchronously)';
  throw new Error(`zstd codec is not ready: ${why}`);
}

export function zstdReady(): boolean {
  return zstd !== undefined;
}

export function zstdCompress(src: Uint8Array, level = 3): Buffer {
  let codec: ZstdModule;
  try {
    codec = ready();
  } catch (err) {
    throw new EncodeError((err as Error).message);
  }
  const out = codec.compress(src, level);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * Reads the first frame header's content size: a number, or undefined when the writer streamed
 * (Java's zstd-jni output stream, and the CLI reading a pipe, leave it out). Also rejects input
 * that is not a zstd frame before it reaches the wasm code.
 */
export function zstdFrameContentSize(src: Uint8Array): number | undefined {
  if (src.length < 6) throw new DecodeError(`zstd: frame of ${src.length} bytes is too short`, 0);
  const magic = (src[0] | (src[1] << 8) | (src[2] << 16) | (src[3] << 24)) >>> 0;
  if (magic !== ZSTD_MAGIC) throw new DecodeError(`zstd: magic 0x${magic.toString(16)} is not 0xfd2fb528`, 0);
  const fhd = src[4];
  if (fhd & 0x08) throw new DecodeError('zstd: reserved frame header bit is set', 4);
  const fcsFlag = fhd >>> 6;
  const singleSegment = (fhd & 0x20) !== 0;
  const dictIdBytes = [0, 1, 2, 4][fhd & 3];
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag];
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (at + fcsBytes > src.length) throw new DecodeError('zstd: frame header runs past the end', 4);
  if (fcsBytes === 0) return undefined;
  let size = 0;
  for (let k = 0; k < fcsBytes; k++) size += src[at + k] * 2 ** (8 * k);
  return fcsBytes === 2 ? size + 256 : size;
}

export function zstdDecompress(src: Uint8Array, maxOutput = 1 << 30): Buffer {
  const codec = ready();
  const known = zstdFrameContentSize(src);
  if (known !== undefined && known > maxOutput) {
    throw new DecodeError(`zstd: frame claims ${known} bytes, over the ${maxOutput}-byte limit`, 0);
  }
  // Without a content size the wasm wrapper needs an output size up front; start at 8x and double
  // while zstd reports that the destination was too small.
  let heap = Math.min(maxOutput, Math.max(64 * 1024, src.length * 8));
  for (let attempt = 0; attempt < 32; attempt++) {
    try {
      const out = codec.decompress(src, { defaultHeapSize: heap });
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    } catch (err) {
      if (known !== undefined || heap >= maxOutput) {
        throw new DecodeError(`zstd: ${(err as Error).message} (limit ${maxOutput} bytes)`, 0);
      }
      heap = Math.min(maxOutput, heap * 2);
    }
  }
  throw new DecodeError('zstd: could not size the output', 0);
}
