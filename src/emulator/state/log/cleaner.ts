/**
 * The log cleaner for cleanup.policy=compact (Kafka's LogCleaner / Cleaner.doClean, simplified to
 * one pass per log): keep the last record per key, offsets unchanged (the gaps are what consumers of
 * a compacted topic see), batches re-encoded with their own base offset, producer fields and
 * compression, the CRC computed anew.
 *
 * One pass over a log:
 * 1. The cleanable range ends at the first segment that must not be cleaned: the active segment,
 *    one holding the last stable offset (an open transaction), or one with a record newer than
 *    min.compaction.lag.ms.
 * 2. The dirty part is what lies between the last cleaning's end (the cleaner checkpoint; the log
 *    start at first) and that bound. The log is cleaned when the dirty share of the cleanable bytes
 *    is at least min.cleanable.dirty.ratio, or when a dirty record is older than max.compaction.lag.ms.
 * 3. An offset map of the dirty part gives each key's latest offset; every segment below the bound is
 *    filtered: a record survives when no later offset for its key exists in the map. Records without
 *    a key are dropped, and so are records of aborted transactions (their markers stay).
 * 4. Tombstones (null value) and the batches holding them get a delete horizon (KIP-534: the batch's
 *    baseTimestamp = now + delete.retention.ms, attribute bit 6) the first time they are cleaned, and
 *    are removed by a later cleaning after it — so a consumer has delete.retention.ms to see them.
 * A batch with nothing to remove is kept byte for byte (G3); a rewritten one keeps its last offset
 * (lastOffsetDelta) as Kafka's does; a batch left empty is dropped.
 *
 * Not done as Kafka: segments are cleaned in place, not regrouped into fewer (groupSegmentsBySize);
 * an empty batch is not kept for an idempotent producer's last sequence; commit/abort markers are
 * never removed (SKIPPED.md).
 */
import { OFF } from '../../../protocol/records/batch-header.js';
import { decodeRecordBatches, encodeRecordBatch, type RecordInput } from '../../../protocol/records/index.js';
import type { PartitionLog } from '../partition-log.js';
import type { LogSegment, StoredBatch } from './segment.js';

/** Where the last cleaning of each log ended (Kafka's cleaner-offset-checkpoint). */
const checkpoints = new WeakMap<PartitionLog, number>();
/**
 * The earliest delete horizon a cleaning gave a batch of each log: once the clock passes it the log
 * is cleaned again even with nothing dirty, to remove the tombstones (LogCleanerManager picks such
 * logs by their latest delete horizon).
 */
const horizons = new WeakMap<PartitionLog, number>();

export interface CleanerStats {
  /** Records dropped: an older value of a key, an expired tombstone, no key, an aborted transaction. */
  recordsRemoved: number;
  batchesRewritten: number;
  bytesBefore: number;
  bytesAfter: number;
  /** The earliest delete horizon among the batches left, if any still holds a tombstone. */
  nextHorizon?: number;
}

/** The cleaner checkpoint of a log (the first dirty offset), as DescribeLogDirs-like tools might show. */
export function firstDirtyOffset(log: PartitionLog): number {
  return Math.max(checkpoints.get(log) ?? 0, log.logStartOffset);
}

/** Sets the checkpoint (persistence restores it). */
export function setCleanerCheckpoint(log: PartitionLog, offset: number): void {
  checkpoints.set(log, offset);
}

/** Index of the first segment that must not be cleaned (step 1). */
function firstUncleanableSegment(log: PartitionLog, now: number): number {
  const config = log.env.config();
  const lso = log.lastStableOffset;
  const segs = log.segments;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    if (s.nextOffset > lso) return i;
    if (config.minCompactionLagMs > 0 && s.largestTimestamp() > now - config.minCompactionLagMs) return i;
  }
  return segs.length - 1;
}

const keyOf = (key: Buffer): string => key.toString('latin1');

/** Cleans `log` if it is due (steps 1-2); answers 1 when it cleaned, 0 when not (LogManager counts). */
export function cleanLog(log: PartitionLog, now: number, options: { force?: boolean } = {}): number {
  const config = log.env.config();
  const bound = firstUncleanableSegment(log, now);
  if (bound === 0) return 0;
  const cleanable = log.segments.slice(0, bound);
  const firstDirty = firstDirtyOffset(log);
  const end = cleanable[cleanable.length - 1].nextOffset;
  let dirtyBytes = 0;
  let totalBytes = 0;
  let oldestDirty = Number.POSITIVE_INFINITY;
  for (const s of cleanable) {
    totalBytes += s.size;
    if (s.nextOffset > firstDirty) {
      dirtyBytes += s.size;
      for (const b of s.batches)
        if (b.lastOffset >= firstDirty && b.maxTimestamp >= 0)
          oldestDirty = Math.min(oldestDirty, b.maxTimestamp);
    }
  }
  const ratio = totalBytes === 0 ? 0 : dirtyBytes / totalBytes;
  const lagDue = now - oldestDirty > config.maxCompactionLagMs;
  const horizonDue = now >= (horizons.get(log) ?? Number.POSITIVE_INFINITY);
  if (
    !options.force &&
    !horizonDue &&
    (firstDirty >= end || (ratio < config.minCleanableDirtyRatio && !lagDue))
  )
    return 0;
  const stats = clean(log, cleanable, Math.min(firstDirty, end), now, config.deleteRetentionMs);
  checkpoints.set(log, end);
  if (stats.nextHorizon === undefined) horizons.delete(log);
  else horizons.set(log, stats.nextHorizon);
  return 1;
}

/** Steps 3-4 over the segments given; answers what changed. */
export function clean(
  log: PartitionLog,
  segments: readonly LogSegment[],
  firstDirty: number,
  now: number,
  deleteRetentionMs: number,
): CleanerStats {
  const stats: CleanerStats = { recordsRemoved: 0, batchesRewritten: 0, bytesBefore: 0, bytesAfter: 0 };
  // The offset map: each key's latest offset in the dirty part.
  const latest = new Map<string, number>();
  for (const s of segments) {
    for (const b of s.batches) {
      if (b.lastOffset < firstDirty || isControl(b)) continue;
      for (const r of decodeRecordBatches(b.bytes, { verifyCrc: false }).batches[0].records) {
        if (r.key && Number(r.offset) >= firstDirty) latest.set(keyOf(r.key), Number(r.offset));
      }
    }
  }
  const changed: LogSegment[] = [];
  for (const s of segments) {
    stats.bytesBefore += s.size;
    let touched = false;
    const kept: StoredBatch[] = [];
    for (const b of s.batches) {
      const out = filterBatch(log, b, latest, now, deleteRetentionMs, stats);
      if (out !== b) touched = true;
      if (!out) continue;
      kept.push(out);
      const h = deleteHorizonOf(out);
      if (h !== undefined && (stats.nextHorizon === undefined || h < stats.nextHorizon))
        stats.nextHorizon = h;
    }
    if (touched) {
      s.replaceBatches(kept);
      changed.push(s);
    }
    stats.bytesAfter += s.size;
  }
  if (changed.length > 0) log.store?.segmentsReplaced(log, changed);
  return stats;
}

/** A batch's delete horizon (attribute bit 6: baseTimestamp holds it), if set. */
function deleteHorizonOf(b: StoredBatch): number | undefined {
  return (b.bytes.readInt16BE(OFF.attributes) & 0x40) !== 0
    ? Number(b.bytes.readBigInt64BE(OFF.baseTimestamp))
    : undefined;
}

function isControl(b: StoredBatch): boolean {
  return (b.bytes.readInt16BE(OFF.attributes) & 0x20) !== 0;
}

function isAborted(log: PartitionLog, producerId: bigint, offset: number): boolean {
  const id = Number(producerId);
  return log.abortedTransactions.some(
    (t) => t.producerId === id && t.firstOffset <= offset && offset <= t.lastOffset,
  );
}

/** The batch as it leaves the cleaner: the same object, a re-encoded one, or undefined when empty. */
function filterBatch(
  log: PartitionLog,
  b: StoredBatch,
  latest: Map<string, number>,
  now: number,
  deleteRetentionMs: number,
  stats: CleanerStats,
): StoredBatch | undefined {
  if (isControl(b)) return b;
  const batch = decodeRecordBatches(b.bytes, { verifyCrc: false }).batches[0];
  const aborted = batch.attributes.isTransactional && isAborted(log, batch.producerId, b.baseOffset);
  const horizon = batch.attributes.hasDeleteHorizon ? Number(batch.baseTimestamp) : undefined;
  const kept = batch.records.filter((r) => {
    if (aborted || !r.key) return false;
    const last = latest.get(keyOf(r.key));
    if (last !== undefined && last > Number(r.offset)) return false;
    // A tombstone lives until the delete horizon its batch got when it was first cleaned.
    if (r.value === null && horizon !== undefined && now >= horizon) return false;
    return true;
  });
  stats.recordsRemoved += batch.records.length - kept.length;
  const hasTombstone = kept.some((r) => r.value === null);
  const needsHorizon = hasTombstone && horizon === undefined;
  if (kept.length === batch.records.length && !needsHorizon) return b;
  if (kept.length === 0) return undefined;
  stats.batchesRewritten++;
  const logAppend = batch.attributes.timestampType === 'log-append';
  const newHorizon = needsHorizon ? now + deleteRetentionMs : horizon;
  const records: RecordInput[] = kept.map((r) => ({
    key: r.key,
    value: r.value,
    headers: r.headers,
    // The raw stored timestamp (a log-append batch's records carry their producer's deltas).
    timestamp: batch.baseTimestamp + r.timestampDelta,
    offsetDelta: r.offsetDelta,
  }));
  let maxTimestamp = -1n;
  let maxOffset = b.baseOffset;
  for (const r of kept) {
    if (r.timestamp > maxTimestamp) {
      maxTimestamp = r.timestamp;
      maxOffset = Number(r.offset);
    }
  }
  if (logAppend) maxTimestamp = batch.maxTimestamp;
  const bytes = encodeRecordBatch({
    records,
    baseOffset: batch.baseOffset,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    compression: batch.attributes.compression,
    timestampType: batch.attributes.timestampType,
    isTransactional: batch.attributes.isTransactional,
    hasDeleteHorizon: newHorizon !== undefined,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    baseTimestamp: newHorizon ?? batch.baseTimestamp,
    maxTimestamp,
    // The batch keeps its last offset, so the producer's last sequence survives compaction
    // (MemoryRecords.buildRetainedRecordsInto's overrideLastOffset).
    lastOffsetDelta: batch.lastOffsetDelta,
  });
  return {
    baseOffset: b.baseOffset,
    lastOffset: b.lastOffset,
    bytes,
    maxTimestamp: Number(maxTimestamp),
    maxTimestampOffset: logAppend ? Number(kept[kept.length - 1].offset) : maxOffset,
  };
}
