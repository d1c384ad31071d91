import { DecodeError } from '../../errors.js';
import { gzipCompress, gzipDecompress } from './gzip.js';
import { lz4FrameCompress, lz4FrameDecompress } from './lz4-frame.js';
import { snappyKafkaDecompress, snappyXerialCompress } from './snappy.js';
import { ensureZstd, zstdCompress, zstdDecompress } from './zstd.js';

/** The compression codec ids of attributes bits 0-2, in Kafka's order. */
export const COMPRESSION_TYPES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionType = (typeof COMPRESSION_TYPES)[number];

/** A decompressor is told the cap on output size so that a hostile batch cannot exhaust memory. */
export interface DecompressOptions {
  maxOutput: number;
  /** Magic 0/1 lz4 frames used a header checksum over the magic too (KAFKA-3160). */
  legacyLz4?: boolean;
  /**
   * Memory the output may be written to instead of a new Buffer (snappy and lz4; the others
   * ignore it): the result is then a view of it, good only until the scratch is used again. For a
   * reader that looks at the records once and drops them — the broker's validation of a Produce —
   * this saves a Buffer the size of the batch per request.
   */
  scratch?: Uint8Array;
}

export const DEFAULT_MAX_DECOMPRESSED = 256 * 1024 * 1024;

/** Loads the codecs that need asynchronous set-up (zstd's wasm). Call once at start-up. */
export async function ensureCodecs(): Promise<void> {
  await ensureZstd();
}

export function compress(type: CompressionType, data: Uint8Array): Buffer {
  switch (type) {
    case 'none':
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    case 'gzip':
      return gzipCompress(data);
    case 'snappy':
      return snappyXerialCompress(data);
    case 'lz4':
      return lz4FrameCompress(data);
    case 'zstd':
      return zstdCompress(data);
  }
}

/** Errors are DecodeErrors whose offset is relative to `data`. */
export function decompress(
  type: CompressionType,
  data: Uint8Array,
  options: DecompressOptions = { maxOutput: DEFAULT_MAX_DECOMPRESSED },
): Buffer {
  switch (type) {
    case 'none':
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    case 'gzip':
      return gzipDecompress(data, options.maxOutput);
    case 'snappy':
      return snappyKafkaDecompress(data, options.maxOutput, options.scratch);
    case 'lz4':
      return lz4FrameDecompress(data, {
        maxOutput: options.maxOutput,
        allowLegacyHeaderChecksum: options.legacyLz4,
        scratch: options.scratch,
      });
    case 'zstd':
      return zstdDecompress(data, options.maxOutput);
    default:
      throw new DecodeError(`unknown compression type ${String(type)}`, 0);
  }
}

export { lz4CompressBlock, lz4DecompressBlock } from './lz4-block.js';
export { lz4FrameCompress, lz4FrameDecompress } from './lz4-frame.js';
export { isXerialFramed, snappyKafkaDecompress, snappyXerialCompress } from './snappy.js';
export { snappyCompress, snappyDecompress } from './snappy-raw.js';
export { xxhash32 } from './xxhash32.js';
export { zstdFrameContentSize, zstdReady } from './zstd.js';
