// FrameSplitter: cutting a TCP byte stream into frames must not depend on where the stream was cut,
// and must refuse a size it should never buffer (negative, above the limit) with a DecodeError.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import { FrameSplitter } from '../../../src/protocol/frame.js';
import { Rng } from './fuzz-support.js';

/** A frame as the wire has it: int32 size, then that many bytes. */
function frame(body: number[]): Buffer {
  const b = Buffer.alloc(4 + body.length);
  b.writeInt32BE(body.length, 0);
  Buffer.from(body).copy(b, 4);
  return b;
}

const f1 = frame([1, 2, 3]);
const f2 = frame([]);
const f3 = frame(Array.from({ length: 40 }, (_, i) => i));
const stream = Buffer.concat([f1, f2, f3]);

function pushAll(chunks: Buffer[], splitter = new FrameSplitter()): Buffer[] {
  return chunks.flatMap((c) => splitter.push(c));
}

describe('FrameSplitter', () => {
  it('returns one whole frame, size prefix included', () => {
    const s = new FrameSplitter();
    expect(s.push(f1)).toEqual([f1]);
    expect(s.buffered).toBe(0);
  });

  it('returns several frames from one chunk, an empty-bodied frame included', () => {
    expect(pushAll([stream])).toEqual([f1, f2, f3]);
  });

  it('gives the same frames whichever byte the stream is split at', () => {
    for (let at = 0; at <= stream.length; at++) {
      expect(pushAll([stream.subarray(0, at), stream.subarray(at)])).toEqual([f1, f2, f3]);
    }
  });

  it('gives the same frames when split at every pair of positions, and byte by byte', () => {
    for (let i = 0; i <= stream.length; i += 3) {
      for (let j = i; j <= stream.length; j += 2) {
        expect(pushAll([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)])).toEqual([
          f1,
          f2,
          f3,
        ]);
      }
    }
    expect(pushAll([...stream].map((b) => Buffer.from([b])))).toEqual([f1, f2, f3]);
  });

  it('holds a partial frame until the rest arrives', () => {
    const s = new FrameSplitter();
    expect(s.push(f3.subarray(0, 10))).toEqual([]);
    expect(s.buffered).toBe(10);
    expect(s.push(f3.subarray(10))).toEqual([f3]);
    expect(s.buffered).toBe(0);
  });

  it('refuses a negative size with a DecodeError at the size field', () => {
    const s = new FrameSplitter();
    const bad = Buffer.from('ffffffff00', 'hex');
    expect(() => s.push(bad)).toThrow(DecodeError);
    expect(() => new FrameSplitter().push(bad)).toThrow(/frame size -1 is negative at 0x0 \(size\)/);
  });

  it('refuses a size above the limit before buffering the body, even split inside the size', () => {
    const s = new FrameSplitter({ maxFrameBytes: 16 });
    expect(s.push(Buffer.from('0000', 'hex'))).toEqual([]);
    expect(() => s.push(Buffer.from('0011', 'hex'))).toThrow(/frame size 17 is larger than the limit 16/);
    // Exactly at the limit is fine.
    expect(new FrameSplitter({ maxFrameBytes: 3 }).push(f1)).toEqual([f1]);
    expect(() => new FrameSplitter().push(Buffer.from('7fffffff', 'hex'))).toThrow(DecodeError);
  });

  it('survives random streams of random frames cut into random chunks', () => {
    const rng = new Rng(0x5917);
    for (let round = 0; round < 200; round++) {
      const frames = Array.from({ length: 1 + rng.int(5) }, () => frame([...rng.bytes(rng.int(30))]));
      const all = Buffer.concat(frames);
      const chunks: Buffer[] = [];
      for (let at = 0; at < all.length; ) {
        const n = 1 + rng.int(12);
        chunks.push(all.subarray(at, at + n));
        at += n;
      }
      expect(pushAll(chunks)).toEqual(frames);
    }
  });
});
