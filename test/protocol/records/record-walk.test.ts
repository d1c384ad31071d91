/**
 * The in-place record walk (record-walk.ts) against the decoder it stands in for: on random valid
 * batches and on batches with bytes of their records changed, cut or added, both must accept the
 * same inputs and, where they accept, agree on every fact the walk reports.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_HEADER_SIZE, OFF } from '../../../src/protocol/records/batch-header.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../../src/protocol/records/index.js';
import { walkRecords } from '../../../src/protocol/records/record-walk.js';
import { countArb, edit, editsArb, recordsArb, withRecords } from '../../support/record-batches.js';

/** What the decoder says about the same bytes, in the walk's terms (undefined = refused). */
function decoderView(batch: Buffer) {
  let records: ReturnType<typeof decodeRecordBatches>['batches'][number]['records'];
  try {
    const decoded = decodeRecordBatches(batch, { verifyCrc: false });
    if (decoded.batches.length !== 1) return undefined;
    records = decoded.batches[0].records;
  } catch {
    return undefined;
  }
  let best = -1n;
  let maxTimestampIndex = -1;
  const stamped = records.map((r) => r.timestamp).filter((t) => t !== -1n);
  records.forEach((r, i) => {
    if (r.timestamp > best) {
      best = r.timestamp;
      maxTimestampIndex = i;
    }
  });
  // The walk's contract: exact when the base, every delta and every timestamp are numbers it can use
  // (base and timestamps within ±2^52, deltas safe integers); otherwise the caller decodes.
  const within = (t: bigint) => t >= -(2n ** 52n) && t <= 2n ** 52n;
  const safe = (d: bigint) => d >= -(2n ** 53n - 1n) && d <= 2n ** 53n - 1n;
  const base = batch.readBigInt64BE(OFF.baseTimestamp);
  const exact = within(base) && records.every((r) => safe(r.timestampDelta) && within(r.timestamp));
  return {
    denseOffsets: records.every((r, i) => r.offsetDelta === i),
    nullKey: records.some((r) => r.key === null),
    exactTimestamps: exact,
    ...(exact && {
      lowTimestamp: stamped.length ? Number(stamped.reduce((a, b) => (a < b ? a : b))) : Infinity,
      highTimestamp: stamped.length ? Number(stamped.reduce((a, b) => (a > b ? a : b))) : -Infinity,
      maxTimestampIndex,
    }),
  };
}

function walkView(batch: Buffer) {
  const base = batch.readBigInt64BE(OFF.baseTimestamp);
  const baseNumber = BigInt(Number(base)) === base ? Number(base) : Number.NaN;
  const s = walkRecords(
    batch,
    BATCH_HEADER_SIZE,
    batch.length,
    batch.readInt32BE(OFF.recordsCount),
    baseNumber,
  );
  if (s === undefined) return undefined;
  const { lowTimestamp, highTimestamp, maxTimestampIndex, ...rest } = s;
  return { ...rest, ...(s.exactTimestamps && { lowTimestamp, highTimestamp, maxTimestampIndex }) };
}

describe('walkRecords agrees with the decoder', () => {
  it('on valid batches', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const batch = encodeRecordBatch({ records });
        const walked = walkView(batch);
        expect(walked).toBeDefined();
        expect(walked).toEqual(decoderView(batch));
      }),
      { numRuns: 500 },
    );
  });

  it('on batches whose record bytes were changed, cut or extended', () => {
    let refused = 0;
    let runs = 0;
    fc.assert(
      fc.property(recordsArb, editsArb, countArb, (records, edits, count) => {
        const batch = encodeRecordBatch({ records });
        const mutated = withRecords(batch, edit(batch.subarray(BATCH_HEADER_SIZE), edits), count);
        const expected = decoderView(mutated);
        runs++;
        if (expected === undefined) refused++;
        expect(walkView(mutated)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // The property says nothing if nearly every mutant is refused (or accepted).
    expect(refused).toBeGreaterThan(runs / 4);
    expect(refused).toBeLessThan(runs - runs / 10);
  });

  it('on every varint the cursor accepts or refuses at a record boundary', () => {
    // Over-long varints (6 bytes, a 5th byte above 0x0f) in the length, key length and header count.
    const batch = encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp: 5 }] });
    const body = batch.subarray(BATCH_HEADER_SIZE);
    for (const bad of [
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
      [0x80, 0x80, 0x80, 0x80, 0x10],
      [0x80, 0x80, 0x80, 0x80, 0x0f],
      [0xff],
    ]) {
      for (let at = 0; at < body.length; at++) {
        const mutated = withRecords(
          batch,
          Buffer.concat([body.subarray(0, at), Buffer.from(bad), body.subarray(at + 1)]),
        );
        expect(walkView(mutated)).toEqual(decoderView(mutated));
      }
    }
  });
});
