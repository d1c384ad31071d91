// Segments of a partition log roll as Kafka's LogSegment.shouldRoll decides (segment.bytes: the next
// batch would take the active segment past it; segment.ms: the next batch's timestamp is more than
// that after the segment's first), reads cross segment boundaries, and the log start offset moves
// only forward and never past the high watermark.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../src/emulator/state/log/log-config.js';
import { PartitionLog } from '../../src/emulator/state/partition-log.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/index.js';

const T0 = 1_700_000_000_000;

function batchOf(count: number, size: number, timestamp: number): Buffer {
  return encodeRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: Buffer.from(`k${i}`),
      value: Buffer.alloc(size, i & 0xff),
      timestamp,
    })),
  });
}

function logWith(overrides: Partial<LogConfig>, clock = { now: T0 }) {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  const log = new PartitionLog('t', 0, { env: { now: () => clock.now, config: () => config } });
  return { log, config, clock };
}

function append(log: PartitionLog, count: number, size: number, timestamp = T0) {
  return log.append({ bytes: batchOf(count, size, timestamp), recordCount: count, maxTimestamp: timestamp });
}

describe('log segments', () => {
  it('rolls when the next batch would take the active segment past segment.bytes', () => {
    const { log } = logWith({ segmentBytes: 1_048_576 });
    const sizes: number[] = [];
    for (let i = 0; i < 25; i++) sizes.push(append(log, 1, 100_000).bytes.length);
    const perSegment = Math.floor(1_048_576 / sizes[0]); // every batch has the same size
    expect(perSegment).toBe(10);
    expect(log.segments.map((s) => s.batches.length)).toEqual([10, 10, 5]);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 10, 20]);
    for (const s of log.segments) expect(s.size).toBeLessThanOrEqual(1_048_576);
    expect(log.sizeInBytes).toBe(sizes.reduce((a, b) => a + b, 0));
    // A read from the middle crosses into later segments and returns every batch from there on.
    const read = log.read(8, Number.MAX_SAFE_INTEGER, true);
    expect(read.batches.map((b) => b.baseOffset)).toEqual(Array.from({ length: 17 }, (_, i) => 8 + i));
    const decoded = decodeRecordBatches(Buffer.concat(read.batches.map((b) => b.bytes)));
    expect(decoded.batches.map((b) => Number(b.baseOffset))).toEqual(read.batches.map((b) => b.baseOffset));
  });

  it('rolls on segment.ms counted between the first batch timestamp and the incoming one', () => {
    const { log } = logWith({ segmentMs: 60_000 });
    append(log, 2, 10, T0);
    append(log, 2, 10, T0 + 60_000); // exactly segment.ms later: not more than it, no roll
    expect(log.segments).toHaveLength(1);
    append(log, 2, 10, T0 + 60_001);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 4]);
    // The clock does not matter while batches carry timestamps (Kafka rolls on record time).
    append(log, 1, 10, T0 + 60_002);
    expect(log.segments).toHaveLength(2);
  });

  it('a batch without timestamps rolls on the clock since the segment was made', () => {
    const { log, clock } = logWith({ segmentMs: 1000 });
    append(log, 1, 10, -1);
    clock.now += 1000;
    append(log, 1, 10, -1);
    expect(log.segments).toHaveLength(1);
    clock.now += 1;
    append(log, 1, 10, -1);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2]);
  });

  it('takes a config change at the next append', () => {
    const { log, config } = logWith({});
    append(log, 1, 10, T0);
    config.segmentMs = 10;
    append(log, 1, 10, T0 + 11);
    expect(log.segments).toHaveLength(2);
  });

  it('moves the log start offset forward only, never past the high watermark', () => {
    const { log } = logWith({});
    append(log, 5, 10);
    expect(log.maybeIncrementLogStartOffset(3)).toBeUndefined();
    expect(log.logStartOffset).toBe(3);
    expect(log.maybeIncrementLogStartOffset(1)).toBeUndefined();
    expect(log.logStartOffset).toBe(3);
    expect(log.maybeIncrementLogStartOffset(6)).toEqual({
      errorCode: 1,
      message:
        'Cannot increment the log start offset to 6 of partition t-0 since it is larger than the high watermark 5',
    });
    expect(log.inRange(2)).toBe(false);
    expect(log.inRange(3)).toBe(true);
    // The batch holding offset 3 still starts at 0: a fetch at 3 gets it whole (the client skips 0-2).
    expect(log.read(3, 1000, true).batches.map((b) => b.baseOffset)).toEqual([0]);
  });

  it('deletes whole segments oldest first, rolling a new active segment when all go', () => {
    const { log } = logWith({ segmentMs: 10 });
    for (let i = 0; i < 3; i++) append(log, 2, 10, T0 + i * 100);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2, 4]);
    const first = log.deleteOldSegments((s) => s.baseOffset < 2);
    expect(first.map((s) => s.baseOffset)).toEqual([0]);
    expect(log.logStartOffset).toBe(2);
    const rest = log.deleteOldSegments(() => true);
    expect(rest.map((s) => s.baseOffset)).toEqual([2, 4]);
    expect(log.segments.map((s) => [s.baseOffset, s.size])).toEqual([[6, 0]]);
    expect(log.logStartOffset).toBe(6);
    expect(log.logEndOffset).toBe(6);
    // An empty active segment is never deleted.
    expect(log.deleteOldSegments(() => true)).toEqual([]);
    append(log, 1, 10, T0 + 1000);
    expect(log.read(6, 1000, true).batches.map((b) => b.baseOffset)).toEqual([6]);
  });
});
