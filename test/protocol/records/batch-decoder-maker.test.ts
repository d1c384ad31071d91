// Absolute offsets and timestamps must stay exact int64 whichever way the decoder sums them (as
// numbers below 2^53, as bigints above), and decodeRecordBatchesWith must see exactly what
// decodeRecordBatches sees. Expected values are computed here in bigint arithmetic from the inputs
// given to the encoder, never taken from the decoder's own output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecordBatchesWith } from '../../../src/protocol/records/batch-decoder.js';
import {
  decodeRecordBatches,
  encodeControlBatch,
  encodeRecordBatch,
} from '../../../src/protocol/records/index.js';

const INT64_MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Offsets around the places where a number stops being exact, and anywhere else in int64. */
const baseOffsetArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 1_000_000n }),
  fc.bigInt({ min: SAFE - 300n, max: SAFE + 300n }),
  fc.bigInt({ min: 0n, max: INT64_MAX - 2n ** 31n }),
);
/** Timestamps: ordinary epoch ms, near ±2^53, and far out (the delta must still fit int64). */
const tsArb = fc.oneof(
  fc.bigInt({ min: 1_600_000_000_000n, max: 1_800_000_000_000n }),
  fc.bigInt({ min: SAFE - 100n, max: SAFE + 100n }),
  fc.bigInt({ min: -SAFE - 100n, max: -SAFE + 100n }),
  fc.bigInt({ min: -(2n ** 61n), max: 2n ** 61n }),
);

const recordsArb = fc.array(
  fc.record({
    timestamp: tsArb,
    gap: fc.integer({ min: 0, max: 1000 }),
    repeatTimestamp: fc.boolean(),
    headers: fc.array(fc.record({ key: fc.string(), value: fc.option(fc.uint8Array({ maxLength: 8 })) }), {
      maxLength: 2,
    }),
    key: fc.option(fc.uint8Array({ maxLength: 8 })),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('record offsets and timestamps', () => {
  it('are baseOffset + offsetDelta and baseTimestamp + timestampDelta, exactly, on both paths', () => {
    fc.assert(
      fc.property(
        baseOffsetArb,
        tsArb,
        recordsArb,
        fc.boolean(),
        (baseOffset, baseTimestamp, spec, logAppend) => {
          let delta = 0;
          let previous = baseTimestamp;
          const records = spec.map((r) => {
            delta += r.gap;
            // Runs of equal timestamps, as producers make them, exercise the decoder's reuse of the last one.
            const timestamp = r.repeatTimestamp ? previous : r.timestamp;
            previous = timestamp;
            return {
              offsetDelta: delta,
              timestamp,
              key: r.key === null ? null : Buffer.from(r.key),
              value: Buffer.from([delta & 0xff]),
              headers: r.headers.map((h) => ({
                key: h.key,
                value: h.value === null ? null : Buffer.from(h.value),
              })),
            };
          });
          const maxTimestamp = 1_700_000_000_123n;
          const bytes = encodeRecordBatch({
            records,
            baseOffset,
            baseTimestamp,
            maxTimestamp,
            lastOffsetDelta: delta,
            timestampType: logAppend ? 'log-append' : 'create',
          });
          const plain = decodeRecordBatches(bytes).batches[0].records;
          const made = decodeRecordBatchesWith(bytes, {}, (offset, timestamp, key, value, headers) => ({
            offset,
            timestamp,
            key,
            value,
            headers,
          })).batches[0].records;
          expect(plain).toHaveLength(records.length);
          expect(made).toHaveLength(records.length);
          records.forEach((r, i) => {
            const offset = baseOffset + BigInt(r.offsetDelta);
            const timestamp = logAppend ? maxTimestamp : r.timestamp;
            expect(plain[i].offset).toBe(offset);
            expect(plain[i].timestamp).toBe(timestamp);
            expect(plain[i].timestampDelta).toBe(r.timestamp - baseTimestamp);
            expect(made[i].offset).toBe(offset);
            expect(made[i].timestamp).toBe(timestamp);
            expect(made[i].key).toEqual(r.key);
            expect(made[i].value).toEqual(r.value);
            expect(made[i].headers).toEqual(r.headers);
            expect(typeof made[i].offset).toBe('bigint');
            expect(typeof made[i].timestamp).toBe('bigint');
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decodeRecordBatchesWith', () => {
  it('hands keys and values as Buffers that share the fetched bytes (no copy)', () => {
    const bytes = encodeRecordBatch({ records: [{ key: 'k', value: 'value', timestamp: 1 }] });
    const [r] = decodeRecordBatchesWith(bytes, {}, (_o, _t, key, value) => ({ key, value })).batches[0]
      .records;
    expect(Buffer.isBuffer(r.key)).toBe(true);
    expect(r.value!.toString()).toBe('value');
    expect(r.value!.buffer).toBe(bytes.buffer);
    bytes[bytes.length - 2] = 'E'.charCodeAt(0); // the last byte of "value" (the header count follows)
    expect(r.value!.toString()).toBe('valuE');
  });

  it('checks control batches but makes none of their records', () => {
    const commit = encodeControlBatch({ type: 'commit', baseOffset: 5n, producerId: 1n, producerEpoch: 0 });
    const batches = decodeRecordBatchesWith(commit, {}, () => {
      throw new Error('no record of a control batch is made');
    }).batches;
    expect(batches).toHaveLength(1);
    expect(batches[0].attributes.isControl).toBe(true);
    expect(batches[0].records).toEqual([]);
    // The same batch through decodeRecordBatches still carries the decoded marker.
    expect(decodeRecordBatches(commit).batches[0].records[0].control?.typeName).toBe('commit');
  });

  it('still rejects a control batch whose record key is not a control key', () => {
    const bad = encodeRecordBatch({ isControl: true, records: [{ key: 'k', value: 'v', timestamp: 0 }] });
    expect(() => decodeRecordBatchesWith(bad, {}, () => 0)).toThrow(/control record key must hold/);
  });

  it('rejects what decodeRecordBatches rejects, with the same error', () => {
    const bytes = encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp: 0 }] });
    bytes[bytes.length - 2] ^= 0x20; // 'v' → 'V' (before the header count): the CRC no longer matches
    const make = () => 0;
    expect(() => decodeRecordBatchesWith(bytes, {}, make)).toThrow(/CRC-32C mismatch/);
    expect(() => decodeRecordBatchesWith(bytes, {}, make)).toThrow(
      (() => {
        try {
          decodeRecordBatches(bytes);
        } catch (err) {
          return (err as Error).message;
        }
        return 'no error';
      })(),
    );
    expect(decodeRecordBatchesWith(bytes, { verifyCrc: false }, make).batches[0].records).toEqual([0]);
  });
});
