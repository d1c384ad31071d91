/**
 * The Produce validation's two paths must give the same answer for every input: the in-place walk
 * (validateProduceRecords, what the handler runs) and the path that decodes every record first
 * (validateProduceRecordsDecoding, the one before it). Random batches — uncompressed and compressed
 * with every codec — valid, or with their plain records edited before compression and the CRC fixed
 * so that the record checks are reached; random topic settings (compacted, LogAppendTime, timestamp
 * windows) and broker clocks. Same error code, message and record errors, or the same batch to append.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ValidationContext,
  validateProduceRecords,
  validateProduceRecordsDecoding,
} from '../../src/emulator/log-validator.js';
import { BATCH_HEADER_SIZE, OFF } from '../../src/protocol/records/batch-header.js';
import { type CompressionType, encodeRecordBatch, ensureCodecs } from '../../src/protocol/records/index.js';
import {
  compressedLike,
  countArb,
  edit,
  editsArb,
  recordsArb,
  withCrc,
  withRecords,
} from '../support/record-batches.js';

const INT64_MAX = 2n ** 63n - 1n;
const CODECS: CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const windowArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(INT64_MAX) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 200_000n }) },
  { weight: 1, arbitrary: fc.constantFrom(3_600_000n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 62n) },
);

const contextArb: fc.Arbitrary<ValidationContext> = fc.record({
  produceVersion: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 7, max: 12 }) },
    fc.integer({ min: 3, max: 6 }),
  ),
  maxMessageBytes: fc.constant(1_048_588),
  compacted: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
  logAppendTimeTopic: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
  now: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }) },
    fc.constantFrom(0, 2 ** 52, 2 ** 52 + 2, Number.MAX_SAFE_INTEGER),
  ),
  timestampBeforeMaxMs: windowArb,
  timestampAfterMaxMs: windowArb,
});

/** A produced batch: random records, maybe edited, in a random codec, its CRC right. */
const batchArb = fc
  .tuple(
    recordsArb,
    fc.constantFrom(...CODECS),
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, editsArb),
    countArb,
    fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, editsArb),
    fc.option(fc.record({ producerId: fc.bigInt({ min: 0n, max: 1000n }), baseSequence: fc.nat(100) })),
  )
  .map(([records, codec, edits, count, compressedEdits, producer]) => {
    const plain = encodeRecordBatch({ records, ...(producer && { ...producer, producerEpoch: 0 }) });
    const edited =
      edits || count !== undefined
        ? withRecords(
            plain,
            edits ? edit(plain.subarray(BATCH_HEADER_SIZE), edits) : plain.subarray(BATCH_HEADER_SIZE),
          )
        : plain;
    if (count !== undefined) {
      // Header consistent with the new count, so that the check on the records is the one that speaks.
      edited.writeInt32BE(count, OFF.recordsCount);
      edited.writeInt32BE(count - 1, OFF.lastOffsetDelta);
    }
    if (codec === 'none') return withCrc(edited);
    const compressed = compressedLike(edited, codec);
    // Now and then the compressed bytes themselves are broken: a payload that does not decompress.
    if (compressedEdits === undefined) return withCrc(compressed);
    return withCrc(withRecords(compressed, edit(compressed.subarray(BATCH_HEADER_SIZE), compressedEdits)));
  });

beforeAll(async () => {
  await ensureCodecs();
});

describe('validateProduceRecords (in-place walk) = validateProduceRecordsDecoding', () => {
  it('gives the same answer on random valid and edited batches under random topic settings', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(batchArb, contextArb, (batch, c) => {
        const expected = validateProduceRecordsDecoding(Buffer.from(batch), c);
        const actual = validateProduceRecords(Buffer.from(batch), c);
        expect(actual).toEqual(expected);
        const key = expected.ok ? 'ok' : String(expected.errorCode);
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // Every kind of answer was reached: accepted, corrupt (a payload that does not decompress),
    // invalid record (bad structure, a null key on a compacted topic, offsets) and invalid timestamp.
    for (const code of ['ok', '2', '87', '32']) expect(outcomes.get(code) ?? 0).toBeGreaterThan(30);
  });
});
