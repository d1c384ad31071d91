// FrameStream never loses or reorders a byte: whatever the chunking, frames come out whole, and once
// the stream stops being Kafka framing, frames + raw output together are exactly the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameStream } from '../../src/proxy/frame-stream.js';

function frame(payload: Uint8Array): Buffer {
  const b = Buffer.alloc(4 + payload.length);
  b.writeInt32BE(payload.length, 0);
  b.set(payload, 4);
  return b;
}

/** Cuts `bytes` at the given points (sorted, deduplicated). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  return out;
}

describe('FrameStream', () => {
  it('gives whole frames for any chunking, then raw bytes after bad framing, losing nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }),
        fc.option(fc.uint8Array({ minLength: 4, maxLength: 30 })),
        fc.array(fc.nat(), { maxLength: 12 }),
        (payloads, tail, cuts) => {
          const frames = payloads.map(frame);
          // A tail starting with a negative size (high bit set) or a size over the limit is not framing.
          const bad = tail ? Buffer.from(tail) : undefined;
          if (bad) bad[0] |= 0x80;
          const input = Buffer.concat([...frames, ...(bad ? [bad] : [])]);
          const stream = new FrameStream(1000);
          const gotFrames: Buffer[] = [];
          const gotRaw: Buffer[] = [];
          for (const c of chunked(input, cuts)) {
            const out = stream.push(c);
            if (out.kind === 'frames') gotFrames.push(...out.frames);
            else gotRaw.push(...out.bytes);
          }
          expect(Buffer.concat([...gotFrames, ...gotRaw]).equals(input)).toBe(true);
          if (!bad) {
            expect(gotFrames.map((f) => f.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
            expect(stream.passingThrough).toBe(false);
          } else {
            expect(stream.passingThrough).toBe(true);
            // Frames handed out before the bad one are a prefix of the real frames.
            expect(gotFrames.length).toBeLessThanOrEqual(frames.length);
            for (const [i, f] of gotFrames.entries()) expect(f.equals(frames[i])).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
