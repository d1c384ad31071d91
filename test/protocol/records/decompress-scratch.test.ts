/**
 * DecompressOptions.scratch: with memory to write to, every codec gives the same bytes as without,
 * whatever the scratch's size (too small, exact, larger) or place in its ArrayBuffer; snappy and
 * lz4 write into it when the output fits, and a xerial stream's blocks land there one after another.
 * Also what the broker relies on: a too-small scratch is never written past.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COMPRESSION_TYPES,
  compress,
  decompress,
  ensureCodecs,
  snappyCompress,
  snappyXerialCompress,
} from '../../../src/protocol/records/compression/index.js';

const payload = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3000 }))
    .map(([unit, times]) => Buffer.concat(Array.from({ length: times }, () => unit))),
);

/** A scratch `slack` bytes longer (or shorter) than the output, at `offset` in a larger ArrayBuffer. */
function scratchFor(length: number, slack: number, offset: number): { scratch: Buffer; guard: Buffer } {
  const size = Math.max(0, length + slack);
  const whole = Buffer.alloc(offset + size + 16, 0xee);
  return { scratch: whole.subarray(offset, offset + size), guard: whole };
}

beforeAll(async () => {
  await ensureCodecs();
});

describe('decompress into a scratch', () => {
  it('gives the same output as without, for every codec and scratch size', () => {
    fc.assert(
      fc.property(
        payload,
        fc.constantFrom(...COMPRESSION_TYPES),
        fc.integer({ min: -40, max: 40 }),
        fc.nat(7),
        (data, codec, slack, offset) => {
          const compressed = compress(codec, data);
          const plain = decompress(codec, compressed, { maxOutput: 1 << 20 });
          const { scratch, guard } = scratchFor(plain.length, slack, offset);
          const out = decompress(codec, compressed, { maxOutput: 1 << 20, scratch });
          expect(out.equals(data)).toBe(true);
          const intoScratch = out.buffer === scratch.buffer && out.byteOffset === scratch.byteOffset;
          if ((codec === 'snappy' || codec === 'lz4') && slack >= 0) expect(intoScratch).toBe(true);
          // Nothing written outside the scratch's own bytes.
          expect(guard.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
          expect(guard.subarray(offset + scratch.length).every((b) => b === 0xee)).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('puts the blocks of a xerial snappy stream one after another in the scratch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 32 * 1024 }), (blocks, tail) => {
        const data = Buffer.alloc((blocks - 1) * 32 * 1024 + tail);
        for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
        const framed = snappyXerialCompress(data);
        const { scratch } = scratchFor(data.length, 0, 3);
        const out = decompress('snappy', framed, { maxOutput: 1 << 20, scratch });
        expect(out.byteOffset).toBe(scratch.byteOffset);
        expect(out.equals(data)).toBe(true);
        // A raw (unframed) block too.
        const raw = decompress('snappy', snappyCompress(data), { maxOutput: 1 << 20, scratch });
        expect(raw.byteOffset).toBe(scratch.byteOffset);
        expect(raw.equals(data)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
