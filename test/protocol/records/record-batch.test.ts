import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/protocol/errors.js';
import { SpanRecorder } from '../../../src/protocol/primitives/spans.js';
import { BATCH_HEADER_FIELDS, BATCH_HEADER_LAYOUT, OFF } from '../../../src/protocol/records/batch-header.js';
import {
  COMPRESSION_TYPES,
  decodeRecordBatches,
  encodeControlBatch,
  encodeRecordBatch,
  ensureCodecs,
} from '../../../src/protocol/records/index.js';
import * as V from './fixtures/independent-vectors.js';

const hex = (h: string) => Buffer.from(h, 'hex');

beforeAll(async () => {
  await ensureCodecs();
});

/**
 * One record, key "k", value "v", timestamp 0, worked out by hand from the layout in
 * shared/notes/wire-format.md. The CRC-32C was computed with kafka-python's `calc_crc32c` over
 * bytes 21..69, and kafka-python's DefaultRecordBatchBuilder produced the same 70 bytes
 * (with partitionLeaderEpoch 0, which it always writes).
 */
const GOLDEN = hex(
  [
    '0000000000000000', // baseOffset 0
    '0000003a', // batchLength 58 = 49 header bytes after this field + 9 record bytes
    'ffffffff', // partitionLeaderEpoch -1 (producers do not know it)
    '02', // magic 2
    'fe917cab', // crc: CRC-32C of attributes..end
    '0000', // attributes: no compression, create time, not transactional, not control
    '00000000', // lastOffsetDelta 0
    '0000000000000000', // baseTimestamp 0
    '0000000000000000', // maxTimestamp 0
    'ffffffffffffffff', // producerId -1
    'ffff', // producerEpoch -1
    'ffffffff', // baseSequence -1
    '00000001', // recordsCount 1
    '10', // record length: zigzag(8) = 16
    '00', // attributes
    '00', // timestampDelta 0
    '00', // offsetDelta 0
    '02', // key length zigzag(1)
    '6b', // "k"
    '02', // value length zigzag(1)
    '76', // "v"
    '00', // header count 0
  ].join(''),
);

describe('batch header layout', () => {
  it('the buffer-layout description and the hot-path offsets agree', () => {
    expect(BATCH_HEADER_LAYOUT.span).toBe(61);
    for (const f of BATCH_HEADER_FIELDS) expect(f.offset, f.name).toBe(OFF[f.name]);
  });

  it('decoding the header with buffer-layout gives the same values as the decoder', () => {
    const h = BATCH_HEADER_LAYOUT.decode(hex(V.V2_TRANSACTIONAL), 0);
    const b = decodeRecordBatches(hex(V.V2_TRANSACTIONAL)).batches[0];
    expect(h.producerId).toBe(b.producerId);
    expect(h.baseTimestamp).toBe(b.baseTimestamp);
    expect(h.crc).toBe(b.crc);
    expect(h.batchLength).toBe(b.batchLength);
    expect(h.recordsCount).toBe(3);
  });
});

describe('golden batch', () => {
  it('encodes to the hand-worked bytes', () => {
    expect(encodeRecordBatch({ records: [{ key: 'k', value: 'v', timestamp: 0 }] }).toString('hex')).toBe(
      GOLDEN.toString('hex'),
    );
  });

  it('decodes the hand-worked bytes', () => {
    const { batches, truncatedBytes } = decodeRecordBatches(GOLDEN);
    expect(truncatedBytes).toBe(0);
    expect(batches).toHaveLength(1);
    const b = batches[0];
    expect(b).toMatchObject({
      baseOffset: 0n,
      batchLength: 58,
      partitionLeaderEpoch: -1,
      magic: 2,
      crc: 0xfe917cab,
      lastOffsetDelta: 0,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      attributes: { compression: 'none', timestampType: 'create', isTransactional: false, isControl: false },
    });
    expect(b.records).toEqual([
      {
        attributes: 0,
        timestampDelta: 0n,
        offsetDelta: 0,
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        headers: [],
        offset: 0n,
        timestamp: 0n,
      },
    ]);
  });
});

describe('kafka-python batches (independent producer)', () => {
  const expected = [
    {
      offset: 0n,
      timestamp: 1700000000000n,
      key: 'k0',
      value: 'hello hello hello hello',
      headers: [
        { key: 'h1', value: Buffer.from('x') },
        { key: 'n', value: null },
      ],
    },
    { offset: 1n, timestamp: 1700000000005n, key: null, value: 'hello hello hello world', headers: [] },
    { offset: 2n, timestamp: 1699999999999n, key: 'k2', value: null, headers: [] },
  ];

  it.each([
    ['none', V.V2_NONE],
    ['gzip', V.V2_GZIP],
    ['snappy', V.V2_SNAPPY],
    ['lz4', V.V2_LZ4],
  ])('%s', (compression, h) => {
    const { batches } = decodeRecordBatches(hex(h));
    const b = batches[0];
    expect(b.attributes.compression).toBe(compression);
    expect(b.maxTimestamp).toBe(1700000000005n);
    expect(b.lastOffsetDelta).toBe(2);
    expect(
      b.records.map((r) => ({
        offset: r.offset,
        timestamp: r.timestamp,
        key: r.key?.toString() ?? null,
        value: r.value?.toString() ?? null,
        headers: r.headers,
      })),
    ).toEqual(expected);
    expect(b.records[2].timestampDelta).toBe(-1n);
  });

  it('transactional batch header', () => {
    const b = decodeRecordBatches(hex(V.V2_TRANSACTIONAL)).batches[0];
    expect(b).toMatchObject({ producerId: 4242n, producerEpoch: 3, baseSequence: 7 });
    expect(b.attributes.isTransactional).toBe(true);
  });

  it('our encoder writes the same bytes as kafka-python for the same uncompressed batch', () => {
    const ours = encodeRecordBatch({
      partitionLeaderEpoch: 0,
      records: expected.map((r) => ({
        key: r.key,
        value: r.value,
        timestamp: r.timestamp,
        headers: r.headers,
      })),
    });
    expect(ours.toString('hex')).toBe(V.V2_NONE);
  });
});

const header = fc.record({
  key: fc.string({ maxLength: 8 }),
  value: fc.option(fc.uint8Array({ maxLength: 16 })),
});
const recordArb = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 20 })),
  value: fc.option(fc.uint8Array({ maxLength: 200 })),
  headers: fc.array(header, { maxLength: 3 }),
  timestamp: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
});

describe('round trip', () => {
  it.each(COMPRESSION_TYPES)('%s: decode(encode(batch)) gives back every field', (compression) => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 12 }),
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        fc.record({
          producerId: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
          producerEpoch: fc.integer({ min: -1, max: 32767 }),
          baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
          isTransactional: fc.boolean(),
        }),
        (records, baseOffset, producer) => {
          const bytes = encodeRecordBatch({ records, baseOffset, compression, ...producer });
          const { batches, truncatedBytes } = decodeRecordBatches(bytes);
          expect(truncatedBytes).toBe(0);
          const b = batches[0];
          expect(b.batchLength + 12).toBe(bytes.length);
          const { isTransactional, ...ids } = producer;
          expect(b).toMatchObject({ baseOffset, ...ids, lastOffsetDelta: records.length - 1 });
          expect(b.attributes).toMatchObject({ compression, isTransactional, isControl: false });
          expect(b.baseTimestamp).toBe(records[0].timestamp);
          expect(b.maxTimestamp).toBe(
            records.reduce((m, r) => (r.timestamp > m ? r.timestamp : m), records[0].timestamp),
          );
          b.records.forEach((r, i) => {
            const input = records[i];
            expect(r.offset).toBe(baseOffset + BigInt(i));
            expect(r.timestamp).toBe(input.timestamp);
            expect(r.key === null ? null : new Uint8Array(r.key)).toEqual(input.key);
            expect(r.value === null ? null : new Uint8Array(r.value)).toEqual(input.value);
            expect(r.headers.map((h) => ({ key: h.key, value: h.value && new Uint8Array(h.value) }))).toEqual(
              input.headers,
            );
          });
        },
      ),
      { numRuns: compression === 'none' ? 200 : 60 },
    );
  });

  it('several batches back to back', () => {
    const a = encodeRecordBatch({ records: [{ value: 'a', timestamp: 1 }], baseOffset: 10n });
    const b = encodeRecordBatch({
      records: [
        { value: 'b', timestamp: 2 },
        { value: 'c', timestamp: 3 },
      ],
      baseOffset: 11n,
      compression: 'lz4',
    });
    const { batches } = decodeRecordBatches(Buffer.concat([a, b]));
    expect(batches.flatMap((x) => x.records.map((r) => [r.offset, r.value?.toString()]))).toEqual([
      [10n, 'a'],
      [11n, 'b'],
      [12n, 'c'],
    ]);
  });

  it('log-append time: every record takes the batch maxTimestamp', () => {
    const bytes = encodeRecordBatch({
      records: [{ value: 'x', timestamp: 5 }],
      timestampType: 'log-append',
      maxTimestamp: 99,
    });
    expect(decodeRecordBatches(bytes).batches[0].records[0].timestamp).toBe(99n);
  });
});

describe('control batches', () => {
  it('encodes and decodes a commit marker', () => {
    const bytes = encodeControlBatch({
      type: 'commit',
      producerId: 7n,
      producerEpoch: 2,
      coordinatorEpoch: 5,
      timestamp: 1000,
    });
    const b = decodeRecordBatches(bytes).batches[0];
    expect(b.attributes).toMatchObject({ isControl: true, isTransactional: true });
    expect(b.records[0].control).toEqual({ version: 0, type: 1, typeName: 'commit' });
    expect(b.records[0].endTxnMarker).toEqual({ version: 0, coordinatorEpoch: 5 });
    // Control key by hand: version int16 0, type int16 1.
    expect(b.records[0].key?.toString('hex')).toBe('00000001');
  });

  it('decodes an abort marker and rejects a control record without a proper key', () => {
    const abort = encodeControlBatch({ type: 'abort', producerId: 7n, producerEpoch: 2 });
    expect(decodeRecordBatches(abort).batches[0].records[0].control?.typeName).toBe('abort');
    const bad = encodeRecordBatch({ records: [{ key: 'x', value: null, timestamp: 0 }], isControl: true });
    expect(() => decodeRecordBatches(bad)).toThrow(/control record key must hold/);
  });
});

describe('truncation and errors', () => {
  const two = Buffer.concat([
    GOLDEN,
    encodeRecordBatch({ records: [{ key: 'a', value: 'b', timestamp: 1 }], baseOffset: 1n }),
  ]);

  it('a cut-off last batch is skipped and reported, at every cut point', () => {
    for (let cut = GOLDEN.length; cut < two.length; cut++) {
      const { batches, truncatedBytes } = decodeRecordBatches(two.subarray(0, cut));
      expect(batches).toHaveLength(1);
      expect(truncatedBytes).toBe(cut - GOLDEN.length);
    }
    expect(decodeRecordBatches(GOLDEN.subarray(0, 5))).toEqual({ batches: [], truncatedBytes: 5 });
  });

  it('CRC mismatch names the offset, path, stored and computed values', () => {
    const bad = Buffer.from(two);
    bad[GOLDEN.length + 66] ^= 1; // a byte of the second batch's record
    const err = catchDecode(() => decodeRecordBatches(bad));
    expect(err.path).toBe('batches[1].crc');
    expect(err.offset).toBe(GOLDEN.length + 17);
    expect(err.message).toMatch(/stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
    expect(err.message).toContain(
      `stored 0x${bad
        .readUInt32BE(GOLDEN.length + 17)
        .toString(16)
        .padStart(8, '0')}`,
    );
    expect(decodeRecordBatches(bad, { verifyCrc: false }).batches).toHaveLength(2);
  });

  it('bad magic names batches[i].magic and its offset', () => {
    const bad = Buffer.from(two);
    bad[GOLDEN.length + 16] = 1;
    const err = catchDecode(() => decodeRecordBatches(bad));
    expect(err.path).toBe('batches[1].magic');
    expect(err.offset).toBe(GOLDEN.length + 16);
    expect(err.message).toMatch(/legacy message set/);
  });

  it('a batchLength below the header size is an error, not a truncation', () => {
    const bad = Buffer.from(GOLDEN);
    bad.writeInt32BE(10, 8);
    const err = catchDecode(() => decodeRecordBatches(bad));
    expect(err.path).toBe('batches[0].batchLength');
    expect(err.offset).toBe(8);
  });

  it('record lengths that lie are caught at the record, before allocating', () => {
    const bad = Buffer.from(GOLDEN);
    bad[65] = 0x7e; // key length zigzag 63: more than the record holds
    const err = catchDecode(() => decodeRecordBatches(bad, { verifyCrc: false }));
    expect(err.path).toBe('batches[0].records[0].key');
    expect(err.offset).toBe(65);
    const count = Buffer.from(GOLDEN);
    count.writeInt32BE(1_000_000, 57);
    expect(catchDecode(() => decodeRecordBatches(count, { verifyCrc: false })).path).toBe(
      'batches[0].recordsCount',
    );
  });

  it('errors inside compressed records point at the block and say where in the decompressed data', () => {
    // A valid compressed block whose records are garbage: compress bytes that are not records.
    const bytes = encodeRecordBatch({ records: [{ value: 'v', timestamp: 0 }], compression: 'gzip' });
    const { batches } = decodeRecordBatches(bytes);
    expect(batches[0].records[0].value?.toString()).toBe('v');
    const bad = encodeRecordBatch({
      records: [{ key: 'x', value: null, timestamp: 0 }],
      isControl: true,
      compression: 'lz4',
    });
    const err = catchDecode(() => decodeRecordBatches(bad));
    expect(err.offset).toBe(61);
    expect(err.message).toMatch(/of the decompressed records/);
    // The control key is too short: blamed on the key itself.
    expect(err.path).toBe('batches[0].records[0].key');
  });

  it('random corruption never escapes as anything but DecodeError', () => {
    const base = encodeRecordBatch({
      records: [{ key: 'key', value: 'value', headers: [{ key: 'h', value: 'v' }], timestamp: 1 }],
    });
    fc.assert(
      fc.property(
        fc.nat(base.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (at, flip, crc) => {
          const bad = Buffer.from(base);
          bad[at] ^= flip;
          try {
            decodeRecordBatches(bad, { verifyCrc: crc });
          } catch (err) {
            expect(err).toBeInstanceOf(DecodeError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('spans', () => {
  it('leaf spans of an uncompressed batch cover every byte exactly once', () => {
    const bytes = encodeRecordBatch({
      records: [
        {
          key: 'k',
          value: 'v',
          timestamp: 0,
          headers: [
            { key: 'h', value: 'x' },
            { key: 'n', value: null },
          ],
        },
        { key: null, value: null, timestamp: 3 },
      ],
    });
    const rec = new SpanRecorder();
    decodeRecordBatches(bytes, { recorder: rec });
    const covered = new Array(bytes.length).fill(0);
    for (const s of rec.spans)
      if (s.kind !== 'container') for (let i = s.offset; i < s.offset + s.length; i++) covered[i]++;
    expect(covered.every((c) => c === 1)).toBe(true);
    const byPath = new Map(rec.spans.map((s) => [s.path, s]));
    expect(byPath.get('batches[0].crc')?.note).toMatch(/stored 0x[0-9a-f]{8} computed 0x[0-9a-f]{8} ✓/);
    expect(byPath.get('batches[0].records[0].headers[1].value')).toMatchObject({
      value: null,
      wireType: 'VARINT',
    });
    expect(byPath.get('batches[0].records[1].timestampDelta')).toMatchObject({
      value: 3n,
      wireType: 'VARLONG',
    });
    expect(byPath.get('batches[0].attributes')?.note).toContain('compression=none');
  });

  it('records of a compressed batch are marked as offsets in decompressed data', () => {
    const bytes = encodeRecordBatch({
      records: [{ key: 'k', value: 'v', timestamp: 0 }],
      compression: 'snappy',
    });
    const rec = new SpanRecorder();
    decodeRecordBatches(bytes, { recorder: rec, frameOffset: 100 });
    const block = rec.spans.find((s) => s.path === 'batches[0].records');
    expect(block?.offset).toBe(161);
    expect(block?.note).toMatch(/compressed with snappy: \d+ → 9 bytes/);
    const value = rec.spans.find((s) => s.path === 'batches[0].records[0].value');
    expect(value).toMatchObject({ offset: 7, length: 1 });
    expect(value?.note).toContain('offset in decompressed data');
    expect(rec.spans.find((s) => s.path === 'batches[0].magic')?.offset).toBe(116);
  });
});

function catchDecode(f: () => unknown): DecodeError {
  try {
    f();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}
