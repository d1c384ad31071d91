// offsetAfterWholeBatches reads only batch headers; it must agree with what the decoder (which checks
// everything) says about the same bytes: the offset after the last whole batch, never past a batch
// the decoder would refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  offsetAfterWholeBatches,
} from '../../../src/protocol/records/index.js';

const batch = (baseOffset: bigint, n: number) =>
  encodeRecordBatch({
    baseOffset,
    records: Array.from({ length: n }, (_, i) => ({ value: `v${i}`, timestamp: 1_700_000_000_000 })),
  });

describe('offsetAfterWholeBatches', () => {
  it('is null without a whole batch', () => {
    expect(offsetAfterWholeBatches(Buffer.alloc(0))).toBeNull();
    expect(offsetAfterWholeBatches(batch(5n, 2).subarray(0, 40))).toBeNull();
  });

  it('stops before a batch cut short, and before bytes that are not a v2 batch', () => {
    const a = batch(10n, 3);
    const b = batch(13n, 2);
    expect(offsetAfterWholeBatches(Buffer.concat([a, b]))).toBe(15n);
    expect(offsetAfterWholeBatches(Buffer.concat([a, b.subarray(0, b.length - 1)]))).toBe(13n);
    const legacy = Buffer.from(b);
    legacy[16] = 1; // magic 1
    expect(offsetAfterWholeBatches(Buffer.concat([a, legacy]))).toBe(13n);
  });

  it('agrees with the decoder on any cut of a log', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (sizes, cutAt) => {
          let offset = 0n;
          const log = Buffer.concat(
            sizes.map((n) => {
              const b = batch(offset, n);
              offset += BigInt(n);
              return b;
            }),
          );
          const bytes = log.subarray(0, cutAt % (log.length + 1));
          const { batches } = decodeRecordBatches(bytes);
          const last = batches.at(-1);
          const expected = last ? last.baseOffset + BigInt(last.lastOffsetDelta) + 1n : null;
          expect(offsetAfterWholeBatches(bytes)).toBe(expected);
        },
      ),
    );
  });
});
