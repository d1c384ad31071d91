// PartitionLog keeps its own copies of appended batches, packed into shared segments: every stored
// batch must still read back byte for byte as appended (with its broker-assigned baseOffset and the
// partition's leader epoch, bytes 12-15, outside the CRC), across
// segment boundaries, and must not be disturbed by later appends or by the caller reusing its buffer.
import { describe, expect, it } from 'vitest';
import { PartitionLog } from '../../src/emulator/state/partition-log.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/index.js';

/** A valid v2 batch of `count` records whose values are `size` bytes of `fill`. */
function batchOf(count: number, size: number, fill: number): Buffer {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: Buffer.from(`k${i}`),
      value: Buffer.alloc(size, fill),
      timestamp: 1_700_000_000_000 + i,
    })),
  });
}

function appendTo(log: PartitionLog, bytes: Buffer, count: number) {
  return log.append({ bytes, recordCount: count, maxTimestamp: 1_700_000_000_000 + count - 1 });
}

describe('PartitionLog storage', () => {
  it('reads back every batch byte for byte, offsets rewritten, across many segments', () => {
    const log = new PartitionLog('t', 0);
    const expected: Buffer[] = [];
    let offset = 0;
    // Sizes from a few hundred bytes to ~300 KB, so batches fill, straddle and overflow segments.
    for (let i = 0; i < 120; i++) {
      const count = 1 + ((i * 7) % 13);
      const size = i % 10 === 9 ? 30_000 : 20 + ((i * 37) % 900);
      const input = batchOf(count, size, i & 0xff);
      const want = Buffer.from(input);
      want.writeBigInt64BE(BigInt(offset), 0);
      // And the partition's leader epoch (0 for a new log), stamped as Kafka stamps it on append.
      want.writeInt32BE(log.leaderEpoch, 12);
      expected.push(want);
      const stored = appendTo(log, input, count);
      expect(stored.baseOffset).toBe(offset);
      offset += count;
    }
    expect(log.logEndOffset).toBe(offset);
    expect(log.sizeInBytes).toBe(expected.reduce((n, b) => n + b.length, 0));
    const read = log.read(0, Number.MAX_SAFE_INTEGER, true);
    expect(read.batches).toHaveLength(expected.length);
    // Buffer.equals, not toEqual: a deep compare of megabytes element by element takes a minute.
    const differing = read.batches.flatMap((b, i) => (b.bytes.equals(expected[i]) ? [] : [i]));
    expect(differing).toEqual([]);
    // Byte-exact means decodable with the CRC checked, at the offsets the log assigned.
    const decoded = decodeRecordBatches(Buffer.concat(read.batches.map((b) => b.bytes)));
    expect(decoded.batches.map((b) => Number(b.baseOffset))).toEqual(read.batches.map((b) => b.baseOffset));
  });

  it('keeps its own copy: the appended buffer is left as it was and may be reused', () => {
    const log = new PartitionLog('t', 0);
    appendTo(log, batchOf(3, 10, 1), 3);
    const input = batchOf(2, 10, 2);
    const original = Buffer.from(input);
    const stored = appendTo(log, input, 2);
    expect(input).toEqual(original); // baseOffset 0 still, not the assigned 3
    input.fill(0xee);
    expect(stored.bytes.readBigInt64BE(0)).toBe(3n);
    expect(decodeRecordBatches(stored.bytes).batches[0].records.map((r) => r.value)).toEqual([
      Buffer.alloc(10, 2),
      Buffer.alloc(10, 2),
    ]);
  });

  it('stores a batch larger than any segment whole', () => {
    const log = new PartitionLog('t', 0);
    appendTo(log, batchOf(1, 100, 3), 1);
    const big = batchOf(5, 1_000_000, 4); // ~5 MB, over the largest segment size
    const want = Buffer.from(big);
    want.writeBigInt64BE(1n, 0);
    want.writeInt32BE(log.leaderEpoch, 12);
    const stored = appendTo(log, big, 5);
    expect(stored.bytes.equals(want)).toBe(true);
    appendTo(log, batchOf(1, 100, 5), 1);
    const read = log.read(1, 1, true);
    expect(read.batches.map((b) => b.baseOffset)).toEqual([1]);
    expect(read.batches[0].bytes.equals(want)).toBe(true);
  });
});
