import zlib from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import {
  COMPRESSION_TYPES,
  compress,
  decompress,
  ensureCodecs,
  isXerialFramed,
  lz4CompressBlock,
  lz4DecompressBlock,
  lz4FrameCompress,
  lz4FrameDecompress,
  snappyCompress,
  snappyDecompress,
  snappyKafkaDecompress,
  snappyXerialCompress,
  xxhash32,
  zstdFrameContentSize,
} from '../../../src/protocol/records/compression/index.js';
import { lz4MaxCompressedLength } from '../../../src/protocol/records/compression/lz4-block.js';
import * as V from './fixtures/independent-vectors.js';

const hex = (h: string) => Buffer.from(h, 'hex');
const PLAIN = hex(V.PLAIN);

/** Inputs with repetition (so the match paths run), runs, and plain random bytes. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 400 }))
    .map(([unit, times]) => Buffer.concat(Array.from({ length: times }, () => unit))),
  fc
    .array(fc.tuple(fc.constantFrom(...Buffer.from('abcab')), fc.integer({ min: 1, max: 300 })), {
      maxLength: 30,
    })
    .map((runs) => Buffer.concat(runs.map(([b, n]) => Buffer.alloc(n, b)))),
);

beforeAll(async () => {
  await ensureCodecs();
});

describe('xxhash32', () => {
  it('matches the reference values', () => {
    // From the xxHash reference implementation and python-xxhash's documentation.
    expect(xxhash32(Buffer.from(''))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });
});

describe('independent vectors decode', () => {
  it('raw snappy from python-snappy', () => {
    expect(snappyDecompress(hex(V.SNAPPY_RAW))).toEqual(PLAIN);
  });

  it('lz4 frame with block + content checksums and content size, from python lz4', () => {
    expect(lz4FrameDecompress(hex(V.LZ4_FRAME_WITH_CHECKSUMS))).toEqual(PLAIN);
  });

  it('bare lz4 block from python lz4', () => {
    const src = hex(V.LZ4_BLOCK);
    const out = Buffer.alloc(PLAIN.length);
    expect(lz4DecompressBlock(src, 0, src.length, out, 0, out.length)).toBe(PLAIN.length);
    expect(out).toEqual(PLAIN);
  });

  it('zstd from the zstd CLI, with and without a content size', () => {
    expect(zstdFrameContentSize(hex(V.ZSTD_WITH_CONTENT_SIZE))).toBe(PLAIN.length);
    expect(zstdFrameContentSize(hex(V.ZSTD_STREAMED))).toBeUndefined();
    expect(decompress('zstd', hex(V.ZSTD_WITH_CONTENT_SIZE))).toEqual(PLAIN);
    expect(decompress('zstd', hex(V.ZSTD_STREAMED))).toEqual(PLAIN);
  });

  it('gzip from the zlib command-line format (Node writes it, we read it with no shared state)', () => {
    const gz = zlib.gzipSync(PLAIN, { level: 9 });
    expect(decompress('gzip', gz)).toEqual(PLAIN);
  });
});

describe('our output decodes with the standard reader', () => {
  it('gzip output is a standard gzip stream', () => {
    expect(zlib.gunzipSync(compress('gzip', PLAIN))).toEqual(PLAIN);
  });
});

describe('round trips', () => {
  it.each(COMPRESSION_TYPES)('%s: decompress(compress(x)) = x', (type) => {
    fc.assert(
      fc.property(payload, (data) => {
        expect(decompress(type, compress(type, data))).toEqual(Buffer.from(data));
      }),
      { numRuns: 150 },
    );
  });

  it('raw snappy and bare lz4 blocks round-trip and stay within their bounds', () => {
    fc.assert(
      fc.property(payload, (data) => {
        expect(snappyDecompress(snappyCompress(data))).toEqual(Buffer.from(data));
        const block = Buffer.alloc(lz4MaxCompressedLength(data.length));
        const size = lz4CompressBlock(data, 0, data.length, block, 0);
        expect(size).toBeLessThanOrEqual(block.length);
        const out = Buffer.alloc(data.length);
        expect(lz4DecompressBlock(block, 0, size, out, 0, out.length)).toBe(data.length);
        expect(out).toEqual(Buffer.from(data));
      }),
      { numRuns: 150 },
    );
  });

  it('raw snappy: any stream of literals and copies (1-, 2- and 4-byte offsets, overlapping or apart) decodes as written', () => {
    // Streams another compressor could write, built op by op beside the bytes they stand for: the
    // decoder's fast paths (short literals, one memmove for copies apart) must agree with plain
    // byte-by-byte expansion. The input sits inside a larger buffer, as a Fetch'd batch does.
    const op = fc.oneof(
      fc.record({ literal: fc.uint8Array({ minLength: 1, maxLength: 80 }) }),
      fc.record({
        copy: fc.integer({ min: 1, max: 64 }),
        back: fc.integer({ min: 1, max: 300 }),
        tag: fc.constantFrom(1, 2, 4),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.nat(7), (ops, pad) => {
        const out: number[] = [];
        const stream: number[] = [];
        for (const o of ops) {
          if ('literal' in o) {
            const n = o.literal.length - 1;
            if (n < 60) stream.push(n << 2);
            else stream.push(60 << 2, n);
            stream.push(...o.literal);
            out.push(...o.literal);
            continue;
          }
          if (out.length === 0) continue;
          const offset = Math.min(o.back, out.length);
          let len = o.copy;
          if (o.tag === 1 && (offset > 2047 || len < 4 || len > 11)) len = Math.max(4, Math.min(11, len));
          if (o.tag === 1 && offset <= 2047)
            stream.push(1 | ((len - 4) << 2) | ((offset >> 8) << 5), offset & 0xff);
          else if (o.tag === 2) stream.push(2 | ((len - 1) << 2), offset & 0xff, offset >> 8);
          else stream.push(3 | ((len - 1) << 2), offset & 0xff, (offset >> 8) & 0xff, 0, 0);
          for (let k = 0; k < len; k++) out.push(out[out.length - offset]);
        }
        const preamble: number[] = [];
        for (let n = out.length; ; n >>>= 7) {
          if (n < 0x80) {
            preamble.push(n);
            break;
          }
          preamble.push((n & 0x7f) | 0x80);
        }
        const framed = Buffer.concat([
          Buffer.alloc(pad, 0xee),
          Buffer.from([...preamble, ...stream]),
          Buffer.alloc(3, 0xee),
        ]);
        const start = pad;
        const end = pad + preamble.length + stream.length;
        expect(snappyDecompress(framed.subarray(start, end))).toEqual(Buffer.from(out));
        expect(snappyDecompress(framed, start, end)).toEqual(Buffer.from(out));
      }),
      { numRuns: 300 },
    );
  });

  it('repetitive input really compresses', () => {
    for (const type of ['snappy', 'lz4', 'gzip', 'zstd'] as const) {
      expect(compress(type, PLAIN).length, type).toBeLessThan(PLAIN.length / 2);
    }
  });

  it('multi-block inputs: xerial (32 KiB blocks) and lz4 frames (64 KiB blocks)', () => {
    const big = Buffer.alloc(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251 < 120 ? 65 : i & 0xff;
    expect(snappyKafkaDecompress(snappyXerialCompress(big))).toEqual(big);
    expect(lz4FrameDecompress(lz4FrameCompress(big, { contentChecksum: true }))).toEqual(big);
  });

  it('incompressible lz4 blocks are stored with the uncompressed flag', () => {
    let x = 0x9e3779b9;
    const noise = Buffer.alloc(5000);
    for (let i = 0; i < noise.length; i++) {
      // xorshift32: no repeats for lz4 to find
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x >>> 24;
    }
    const frame = lz4FrameCompress(noise);
    expect(frame.readUInt32LE(7) >>> 31).toBe(1);
    expect(lz4FrameDecompress(frame)).toEqual(noise);
  });
});

describe('snappy framing', () => {
  it('writes the xerial header Java writes and reads bare raw snappy too', () => {
    const framed = snappyXerialCompress(PLAIN);
    expect(framed.subarray(0, 16).toString('hex')).toBe('82534e415050590000000001' + '00000001');
    expect(isXerialFramed(framed)).toBe(true);
    expect(snappyKafkaDecompress(framed)).toEqual(PLAIN);
    expect(snappyKafkaDecompress(hex(V.SNAPPY_RAW))).toEqual(PLAIN);
  });
});

describe('bad input', () => {
  it('never crashes or hangs: every codec throws DecodeError or returns bytes', () => {
    for (const type of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          try {
            decompress(type, bytes, { maxOutput: 1 << 20 });
          } catch (err) {
            expect(err, type).toBeInstanceOf(DecodeError);
          }
        }),
        { numRuns: 200 },
      );
    }
  });

  it('corrupted valid streams throw DecodeError', () => {
    for (const type of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const good = compress(type, PLAIN);
      fc.assert(
        fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
          const bad = Buffer.from(good);
          bad[at] ^= flip;
          try {
            decompress(type, bad, { maxOutput: 1 << 20 });
          } catch (err) {
            expect(err, type).toBeInstanceOf(DecodeError);
          }
        }),
        { numRuns: 100 },
      );
    }
  });

  it('lz4: wrong header checksum names stored and computed, legacy form accepted only when asked', () => {
    const frame = lz4FrameCompress(PLAIN);
    const bad = Buffer.from(frame);
    bad[6] ^= 0xff;
    expect(() => lz4FrameDecompress(bad)).toThrow(/header checksum stored 0x[0-9a-f]+ computed 0x[0-9a-f]+/);
    // KAFKA-3160: magic 0/1 producers hashed the magic bytes too.
    const legacy = Buffer.from(frame);
    legacy[6] = (xxhash32(legacy, 0, 6) >>> 8) & 0xff;
    expect(() => lz4FrameDecompress(legacy)).toThrow(DecodeError);
    expect(lz4FrameDecompress(legacy, { allowLegacyHeaderChecksum: true })).toEqual(PLAIN);
  });

  it('snappy: a preamble that claims an impossible size is refused before allocating', () => {
    // Preamble 0xffffffff0f = 4 GiB from a 6-byte input.
    expect(() => snappyDecompress(hex('ffffffff0f00'))).toThrow(/claims 4294967295 uncompressed bytes/);
  });

  it('output limits stop decompression bombs', () => {
    const zeros = Buffer.alloc(1 << 20);
    for (const type of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      expect(() => decompress(type, compress(type, zeros), { maxOutput: 1000 }), type).toThrow(DecodeError);
    }
  });
});
