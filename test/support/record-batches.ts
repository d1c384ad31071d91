/**
 * Random record batches and byte edits for the properties that hold the broker's in-place record
 * walk to the decoder (test/protocol/records/record-walk.test.ts, test/emulator/log-validator.test.ts):
 * records with every shape the walk must read, and edits that break them in the ways a bad client or
 * a flipped bit would.
 */
import fc from 'fast-check';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, OFF } from '../../src/protocol/records/batch-header.js';
import {
  COMPRESSION_TYPES,
  type CompressionType,
  compress,
  crc32c,
  type RecordInput,
} from '../../src/protocol/records/index.js';

/** Records with the shapes that matter to the walk: null and empty keys/values, headers, odd timestamps. */
export const recordArb: fc.Arbitrary<RecordInput> = fc.record({
  key: fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ maxLength: 20 }) }, fc.constant(null)),
  value: fc.oneof(fc.constant(null), fc.uint8Array({ maxLength: 200 })),
  headers: fc.array(
    fc.record({
      key: fc.string({ maxLength: 8 }),
      value: fc.oneof(fc.constant(null), fc.uint8Array({ maxLength: 10 })),
    }),
    { maxLength: 3 },
  ),
  timestamp: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }) },
    { weight: 1, arbitrary: fc.constant(-1) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 5 }) },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 52, 2 ** 52 + 1, -(2 ** 52), 2 ** 53 - 1) },
  ),
});

/** A batch's records, with offsetDeltas dense or (sometimes) not. */
export const recordsArb: fc.Arbitrary<RecordInput[]> = fc
  .tuple(fc.array(recordArb, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.nat())
  .map(([records, dense, seed]) =>
    dense ? records : records.map((r, i) => ({ ...r, offsetDelta: (i * 7 + seed) % 50 })),
  );

/**
 * Byte edits in the records part: a changed byte (most often, so that many edits land in a key or
 * value and leave the batch readable), a cut, an insertion.
 */
export const editsArb = fc.array(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
    },
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }),
    }),
  ),
  { minLength: 1, maxLength: 2 },
);

/** Most often no change to recordsCount; sometimes a count near the real one. */
export const countArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.integer({ min: -2, max: 14 }),
);

export type Edit = typeof editsArb extends fc.Arbitrary<(infer E)[]> ? E : never;

/** Applies edits to `bytes` (positions taken modulo the length). */
export function edit(bytes: Buffer, edits: Edit[]): Buffer {
  let out = Buffer.from(bytes);
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.kind === 'set') {
      if (out.length > 0) out[at] = e.byte;
    } else if (e.kind === 'cut') out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.length)]);
    else out = Buffer.concat([out.subarray(0, at), e.bytes, out.subarray(at)]);
  }
  return out;
}

/** An uncompressed batch with other record bytes in place of its own, lengths fixed up (CRC not). */
export function withRecords(batch: Buffer, records: Buffer, count?: number): Buffer {
  const out = Buffer.concat([batch.subarray(0, BATCH_HEADER_SIZE), records]);
  out.writeInt32BE(out.length - LOG_OVERHEAD, OFF.batchLength);
  if (count !== undefined) out.writeInt32BE(count, OFF.recordsCount);
  return out;
}

/**
 * The same batch with its records section compressed by `codec` (attributes and lengths set; CRC
 * not): edits can then be made to the plain records and still reach a broker's record checks.
 */
export function compressedLike(plain: Buffer, codec: CompressionType): Buffer {
  const out = Buffer.concat([
    plain.subarray(0, BATCH_HEADER_SIZE),
    compress(codec, plain.subarray(BATCH_HEADER_SIZE)),
  ]);
  out.writeInt32BE(out.length - LOG_OVERHEAD, OFF.batchLength);
  const attributes = out.readInt16BE(OFF.attributes);
  out.writeInt16BE((attributes & ~0x07) | COMPRESSION_TYPES.indexOf(codec), OFF.attributes);
  return out;
}

/** A batch with its CRC-32C recomputed, so that a broker looks past it. */
export function withCrc(batch: Buffer): Buffer {
  const out = Buffer.from(batch);
  out.writeUInt32BE(crc32c(out, OFF.attributes, out.length), OFF.crc);
  return out;
}
