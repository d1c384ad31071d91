/**
 * Where partition logs keep their batch bytes: large chunks shared by every log, filled back to back.
 *
 * Memory: batches are copied (never kept as views into the Produce request, which would keep the
 * whole frame alive) back to back into a few large chunks rather than kept one allocation each.
 * A ~100 KB allocation per batch sits below glibc's mmap threshold (128 KiB), so a million retained
 * messages became ~1000 heap chunks interleaved with the request frames freed around them, and the
 * process kept ~1.34× their size resident (issue 3, `npm run bench:emulator`).
 *
 * The chunks are shared by every partition log, not owned by one: with a chunk per log, a topic of
 * 10,000 partitions holding a few small batches each cost 10,000 × 64 KiB for ~2 MB of records —
 * 180× the wire bytes, resident once the heap pages under them had been used by request frames
 * before (issue 11, item 9). Shared, the space allocated and not yet filled is one chunk's tail for
 * the whole process. A chunk is freed by the garbage collector once retention or the cleaner has
 * dropped every batch that is a view into it.
 *
 * (These chunks are not the log's segments: a segment, log/segment.ts, is a range of offsets.)
 */

/** Chunk sizes: the first ones stay small (a test's emulator holds a few records) … */
const MIN_CHUNK_BYTES = 64 * 1024;
/** … later ones grow with what the pool holds (an eighth of it), up to this. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Space lost at chunk ends stays under this share of a chunk: a batch that does not fit in the
 * room left gets an allocation of its own (exact size) while that room is larger, and so does one
 * bigger than this share of the largest chunk (a 1 MiB batch never strands 3 MiB behind it).
 */
const WASTE_SHARE = 16;

/**
 * Chunks that partition logs copy batches into. Filled front to back and never reused: a chunk is
 * freed (by the garbage collector) once no stored batch is a view into it any more.
 */
export class BatchPool {
  private chunk: Buffer | undefined;
  private used = 0;
  /** Bytes copied in so far: the next chunk's size grows with it. */
  private copied = 0;

  /** A copy of `bytes` that lives as long as the returned view. */
  copy(bytes: Buffer): Buffer {
    const n = bytes.length;
    const size = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, this.copied >>> 3));
    this.copied += n;
    const room = this.chunk ? this.chunk.length - this.used : 0;
    if (n > room) {
      if (n > MAX_CHUNK_BYTES / WASTE_SHARE || room > size / WASTE_SHARE) {
        // Uninitialised is safe: every byte is written by the copy.
        const own = Buffer.allocUnsafeSlow(n);
        bytes.copy(own);
        return own;
      }
      // Uninitialised is safe: only the copied ranges are ever handed out, as bounded views. A batch
      // bigger than the chunk size (early on, when chunks are small) gets a chunk of its size.
      this.chunk = Buffer.allocUnsafeSlow(Math.max(n, size));
      this.used = 0;
    }
    const chunk = this.chunk!;
    const at = this.used;
    bytes.copy(chunk, at);
    this.used = at + n;
    return chunk.subarray(at, at + n);
  }
}

/** The pool of every partition log in this process that was not given one. */
export const processBatchPool = new BatchPool();
