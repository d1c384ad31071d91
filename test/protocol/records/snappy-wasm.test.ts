/**
 * The WebAssembly snappy kernel (snappy-wasm.ts) against the TypeScript decoder (snappy-raw.ts) it
 * stands in for: on element streams built op by op (literals with every length encoding, copies
 * with 1-, 2- and 4-byte offsets, overlapping or apart, offsets that point before the output,
 * lengths past it), on valid compressed data with bytes changed, and on plain noise, the kernel
 * gives the TypeScript decoder's bytes wherever that decoder succeeds and refuses wherever it throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SNAPPY_USES_WASM,
  SNAPPY_WASM_MIN_BYTES,
  snappyCompress,
  snappyDecompress,
  snappyDecompressPortable,
  snappyUncompressedLength,
} from '../../../src/protocol/records/compression/snappy-raw.js';
import { createWasmSnappy } from '../../../src/protocol/records/compression/snappy-wasm.js';

const expand = createWasmSnappy()!;

/** What the TypeScript decoder makes of a block (undefined = it throws). */
function portable(block: Uint8Array): Buffer | undefined {
  try {
    return snappyDecompressPortable(block);
  } catch {
    return undefined;
  }
}

/** What the kernel makes of it, given the preamble's length as the host reads it. */
function kernel(block: Uint8Array): Buffer | undefined {
  let length: number;
  let used: number;
  try {
    [length, used] = snappyUncompressedLength(block);
  } catch {
    return undefined;
  }
  if (length > 1 << 20) return undefined;
  const out = expand(block, used, block.length, length);
  return out === undefined ? undefined : Buffer.from(out);
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    if (n < 0x80) return [...out, n];
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
}

/** Elements as another compressor might write them, some of them wrong. */
const element = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      literal: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        // lengths at the kernel's edges: its two 8-byte moves, the tag's 60 limit, 1 vs 2 length bytes
        fc
          .constantFrom(7, 8, 9, 15, 16, 17, 24, 60, 61, 62, 64, 65, 255, 256, 257)
          .chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      ),
      // 0 = length in the tag when it fits, 1-4 = in that many extra bytes (60-63)
      lengthBytes: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 40,
    arbitrary: fc.record({
      copy: fc.integer({ min: 1, max: 64 }),
      back: fc.integer({ min: 1, max: 400 }),
      tag: fc.constantFrom(1, 2, 4),
      // now and then an offset that may point before the output (refused), else one inside it
      wild: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, fc.constant(true)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ raw: fc.uint8Array({ minLength: 1, maxLength: 6 }) }) },
);

type Element = typeof element extends fc.Arbitrary<infer E> ? E : never;

function encode(elements: Element[], lengthSkew: number): Buffer {
  let produced = 0;
  const stream: number[] = [];
  for (const e of elements) {
    if ('raw' in e) {
      stream.push(...e.raw);
      continue;
    }
    if ('literal' in e) {
      const n = e.literal.length - 1;
      if (e.lengthBytes === 0 && n < 60) stream.push(n << 2);
      else {
        const bytes = Math.max(e.lengthBytes, n < 256 ? 1 : 2);
        stream.push((59 + bytes) << 2);
        for (let k = 0; k < bytes; k++) stream.push((n >>> (8 * k)) & 0xff);
      }
      stream.push(...e.literal);
      produced += e.literal.length;
      continue;
    }
    // A wild offset may point before the start of the output: the decoder refuses those.
    const offset = e.wild || produced === 0 ? e.back : Math.min(e.back, produced);
    let len = e.copy;
    if (e.tag === 1 && offset <= 2047) {
      len = Math.max(4, Math.min(11, len));
      stream.push(1 | ((len - 4) << 2) | ((offset >> 8) << 5), offset & 0xff);
    } else if (e.tag === 2) stream.push(2 | ((len - 1) << 2), offset & 0xff, offset >> 8);
    else stream.push(3 | ((len - 1) << 2), offset & 0xff, (offset >> 8) & 0xff, 0, 0);
    produced += len;
  }
  return Buffer.from([...varint(Math.max(0, produced + lengthSkew)), ...stream]);
}

describe('the WebAssembly snappy kernel agrees with the TypeScript decoder', () => {
  it('is used on this runtime for large blocks', () => {
    expect(SNAPPY_USES_WASM).toBe(true);
    expect(expand).toBeDefined();
  });

  it('on element streams, valid or not', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(element, { minLength: 1, maxLength: 60 }),
        fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, fc.integer({ min: -3, max: 3 })),
        fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 4 })),
        (elements, skew, cut) => {
          // A stream cut short (its last element runs past the end) keeps the preamble it had.
          const whole = encode(elements, skew);
          const block = whole.subarray(0, Math.max(1, whole.length - cut));
          const expected = portable(block);
          if (expected === undefined) refused++;
          expect(kernel(block)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(200);
    expect(refused).toBeLessThan(1800);
  });

  it('on compressed data with bytes changed, and on noise', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        (unit, times, edits) => {
          const data = Buffer.concat(Array.from({ length: times }, () => unit));
          const block = Buffer.from(snappyCompress(data));
          for (const [at, byte] of edits) block[at % block.length] = byte;
          expect(kernel(block)).toEqual(portable(block));
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (noise) => {
        expect(kernel(noise)).toEqual(portable(noise));
      }),
      { numRuns: 1000 },
    );
  });

  it('snappyDecompress (kernel above the threshold) gives back what was compressed, within a larger buffer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 50 }),
        fc.integer({ min: SNAPPY_WASM_MIN_BYTES, max: 200_000 }),
        fc.nat(9),
        (unit, size, pad) => {
          const data = Buffer.alloc(size);
          for (let i = 0; i < size; i++) data[i] = unit[i % unit.length] ^ (i % 7 === 0 ? i & 0xff : 0);
          const block = snappyCompress(data);
          const framed = Buffer.concat([Buffer.alloc(pad, 0xee), block, Buffer.alloc(3, 0xee)]);
          expect(snappyDecompress(framed, pad, pad + block.length).equals(data)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
