/**
 * Retention and compaction end states: what is left of a log once the broker's background tasks have
 * run, compared between targets — the log start offset (ListOffsets EARLIEST), DeleteRecords' low
 * watermark on top of it, and what a consumer reads from a compacted topic.
 *
 * Every batch carries CreateTime timestamps two seconds apart and the topics have segment.ms 1000, so
 * each Produce rolls a new segment on both brokers (LogSegment.shouldRoll counts from the segment's
 * first timestamp): the segment boundaries are fixed by the records, not by when they arrive.
 *   - retention.ms (UnifiedLog.deleteRetentionMsBreachedSegments): three batches two days old, three
 *     recent ones, retention.ms one day → the old segments go, the log starts at 3;
 *   - retention.bytes (deleteRetentionSizeBreachedSegments): six equal batches, retention.bytes two and
 *     a half batches → the three oldest go (a fourth would take the log below the limit);
 *   - cleanup.policy compact (LogCleaner): keys k1 k2 k1 k3 k2(tombstone) k1 k4 | k3 — the active
 *     segment (the last batch) is never cleaned, so the dirty section is offsets 0-6 and the last
 *     record per key there survives (tombstones too, until delete.retention.ms), offsets unchanged;
 *     the log start offset stays 0;
 *   - min.compaction.lag.ms one hour: only the segments whose newest record is older are cleaned;
 *   - delete.retention.ms 0: a tombstone survives the cleaning that reaches it and not a later one;
 *   - compact,delete (compaction held back by its lag): retention.ms deletes old segments and
 *     DeleteRecords is allowed.
 *
 * Kafka's cleaner and retention check run on their own schedule (log.cleaner.backoff.ms,
 * log.retention.check.interval.ms after log.initial.task.delay.ms), so the scenario polls, with a
 * deadline, until each end state holds, and only then takes its checkpoints. It needs both brokers
 * started with short intervals (RETENTION_BROKER_SETTINGS); test/real-kafka/retention-conformance.test.ts
 * runs it so. The suite's default targets keep Kafka's 5-minute retention check, where other scenarios'
 * 2023 timestamps would otherwise be deleted under them, so it is not in SCENARIOS.
 */
import assert from 'node:assert/strict';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { DeleteRecords } from '../../src/protocol/messages/21-delete-records.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/index.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { expectError, fetchRaw, produceRaw, setUpTopic } from './support.js';

/** The broker settings the scenario needs on both targets (server.properties names). */
export const RETENTION_BROKER_SETTINGS: Readonly<Record<string, string>> = {
  'log.retention.check.interval.ms': '1000',
  'log.cleaner.backoff.ms': '500',
  'log.initial.task.delay.ms': '1000',
};

const DAY = 86_400_000;

async function earliest(ctx: ScenarioContext, label: string | null, topic: string): Promise<bigint> {
  const res = await ctx.exchange(label, ListOffsets, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n }] }],
    timeoutMs: 30_000,
  });
  const p = res.topics[0].partitions[0];
  expectError(p.errorCode, 'NONE', `ListOffsets EARLIEST of ${topic}`);
  return p.offset;
}

/**
 * One Produce per record, each its own batch (so its own segment). The answers are not compared: their
 * logStartOffset depends on whether a retention check ran between two requests (seen: Kafka 2, the
 * emulator 0 for the same batch) — the end states are what the scenario compares.
 */
async function produceEach(
  ctx: ScenarioContext,
  /** Names the step in an error. */
  label: string,
  topic: string,
  records: { key: string; value: string | null; timestamp: number }[],
) {
  for (const [i, r] of records.entries()) {
    const p = await produceRaw(ctx, null, topic, 0, encodeRecordBatch({ records: [r] }));
    expectError(p.errorCode, 'NONE', `${label} ${i} to ${topic}`);
  }
}

/** Every record from `from` to the high watermark as offset:key:value, Fetch after Fetch. */
async function readFrom(ctx: ScenarioContext, topic: string, from: bigint): Promise<string[]> {
  const out: string[] = [];
  let next = from;
  for (let round = 0; round < 50; round++) {
    const p = await fetchRaw(ctx, null, topic, 0, next);
    expectError(p.errorCode, 'NONE', `fetch ${topic} at ${next}`);
    if (next >= p.highWatermark) return out;
    const { batches } = decodeRecordBatches(p.records ?? new Uint8Array());
    if (batches.length === 0) throw new Error(`fetch at ${next} below the high watermark returned no batch`);
    for (const b of batches) {
      for (const r of b.records) {
        if (r.offset < next) continue;
        out.push(`${r.offset}:${r.key?.toString() ?? null}:${r.value?.toString() ?? null}`);
      }
      next = b.baseOffset + BigInt(b.lastOffsetDelta) + 1n;
    }
  }
  throw new Error(`more than 50 fetches to read ${topic}`);
}

export const logRetention: Scenario = {
  name: 'log-retention',
  source:
    'UnifiedLog.deleteOldSegments (retention.ms, retention.bytes), LogCleaner/Cleaner.cleanSegments, ReplicaManager.deleteRecords',
  description:
    'end states after the retention check and the cleaner: log start offsets, DeleteRecords low watermark, what a consumer reads of a compacted topic',
  timeoutMs: 180_000,
  async run(ctx) {
    const now = Date.now();
    // ---- retention.ms
    const byTime = ctx.name('time');
    await setUpTopic(ctx, byTime, 1, { 'segment.ms': '1000', 'retention.ms': String(DAY) });
    await produceEach(
      ctx,
      'produce-time',
      byTime,
      [0, 1, 2, 3, 4, 5].map((i) => ({
        key: `k${i}`,
        value: `v${i}`,
        timestamp: (i < 3 ? now - 2 * DAY : now - 60_000) + i * 2000,
      })),
    );
    await ctx.until(
      'retention.ms to delete the old segments',
      async () => ((await earliest(ctx, null, byTime)) > 0n ? true : undefined),
      90_000,
    );
    assert.equal(await earliest(ctx, 'time-earliest', byTime), 3n);
    ctx.checkpoint('time-records', await readFrom(ctx, byTime, 3n));
    const below = await fetchRaw(ctx, 'time-fetch-below-start', byTime, 0, 0n);
    expectError(below.errorCode, 'OFFSET_OUT_OF_RANGE', 'fetch at 0 after retention');

    // ---- retention.bytes, then DeleteRecords on top of it
    const bySize = ctx.name('size');
    const one = (i: number) => ({ key: `k${i}`, value: `value-${i}`, timestamp: now - 60_000 + i * 2000 });
    const batchSize = encodeRecordBatch({ records: [one(0)] }).length;
    await setUpTopic(ctx, bySize, 1, {
      'segment.ms': '1000',
      'retention.bytes': String(Math.floor(batchSize * 2.5)),
    });
    await produceEach(ctx, 'produce-size', bySize, [0, 1, 2, 3, 4, 5].map(one));
    await ctx.until(
      'retention.bytes to delete the oldest segments',
      async () => ((await earliest(ctx, null, bySize)) > 0n ? true : undefined),
      90_000,
    );
    assert.equal(await earliest(ctx, 'size-earliest', bySize), 3n);
    ctx.checkpoint('size-records', await readFrom(ctx, bySize, 3n));
    const del = async (label: string, offset: bigint) => {
      const res = await ctx.exchange(label, DeleteRecords, {
        topics: [{ name: bySize, partitions: [{ partitionIndex: 0, offset }] }],
        timeoutMs: 30_000,
      });
      return res.topics[0].partitions[0];
    };
    const to4 = await del('size-delete-to-4', 4n);
    expectError(to4.errorCode, 'NONE', 'DeleteRecords to 4');
    assert.equal(to4.lowWatermark, 4n);
    const to1 = await del('size-delete-to-1', 1n);
    assert.equal(to1.lowWatermark, 4n, 'below the retention-moved start: the start stays');
    await earliest(ctx, 'size-earliest-after-delete', bySize);

    // ---- cleanup.policy compact
    const compacted = ctx.name('compact');
    await setUpTopic(ctx, compacted, 1, {
      'cleanup.policy': 'compact',
      'segment.ms': '1000',
      'min.cleanable.dirty.ratio': '0.01',
    });
    const keys: [string, string | null][] = [
      ['k1', 'a'],
      ['k2', 'b'],
      ['k1', 'c'],
      ['k3', 'd'],
      ['k2', null],
      ['k1', 'e'],
      ['k4', 'f'],
      ['k3', 'g'],
    ];
    await produceEach(
      ctx,
      'produce-compact',
      compacted,
      keys.map(([key, value], i) => ({ key, value, timestamp: now - 60_000 + i * 2000 })),
    );
    const want = ['3:k3:d', '4:k2:null', '5:k1:e', '6:k4:f', '7:k3:g'];
    const cleaned = await ctx.until(
      'the cleaner to compact the log',
      async () => {
        const seen = await readFrom(ctx, compacted, 0n);
        return seen.length < keys.length ? seen : undefined;
      },
      90_000,
    );
    assert.deepEqual(
      cleaned,
      want,
      'the last record per key in the cleaned section, the active segment whole',
    );
    ctx.checkpoint('compact-records', cleaned);
    assert.equal(await earliest(ctx, 'compact-earliest', compacted), 0n);
    const policy = await ctx.exchange('compact-delete-records', DeleteRecords, {
      topics: [{ name: compacted, partitions: [{ partitionIndex: 0, offset: 2n }] }],
      timeoutMs: 30_000,
    });
    expectError(policy.topics[0].partitions[0].errorCode, 'POLICY_VIOLATION', 'DeleteRecords on compact');

    // What a consumer reads of it from the beginning: the gaps as the broker left them.
    const consumer = ctx.consumer({ autoOffsetReset: 'earliest', fetchMaxWaitMs: 100 });
    consumer.assign([{ topic: compacted, partition: 0 }]);
    const read: string[] = [];
    await ctx.until('the consumer to read the compacted log', async () => {
      for (const b of await consumer.poll())
        for (const r of b.records)
          read.push(`${r.offset}:${r.key?.toString() ?? null}:${r.value?.toString() ?? null}`);
      return read.length >= want.length ? true : undefined;
    });
    await consumer.close();
    ctx.checkpoint('compact-consumer', read);

    // ---- min.compaction.lag.ms: only segments whose newest record is older than the lag are cleaned
    // (LogCleanerManager.cleanableOffsets, by the segments' largest timestamps).
    const lagged = ctx.name('lag');
    await setUpTopic(ctx, lagged, 1, {
      'cleanup.policy': 'compact',
      'segment.ms': '1000',
      'min.cleanable.dirty.ratio': '0.01',
      'min.compaction.lag.ms': '3600000',
    });
    await produceEach(
      ctx,
      'produce-lag',
      lagged,
      [
        ['k1', 'a', 3 * 3_600_000],
        ['k1', 'b', 2 * 3_600_000],
        ['k1', 'c', 10_000],
        ['k1', 'd', 5000],
        ['k2', 'z', 0],
      ].map(([key, value, ago]) => ({
        key: String(key),
        value: String(value),
        timestamp: now - Number(ago),
      })),
    );
    ctx.checkpoint(
      'lag-records',
      await ctx.until(
        'the cleaner to clean the lagged log',
        async () => {
          const seen = await readFrom(ctx, lagged, 0n);
          return seen.length < 5 ? seen : undefined;
        },
        90_000,
      ),
    );

    // ---- A tombstone with delete.retention.ms 0: kept by the cleaning that reaches it (which sets the
    // batch's delete horizon, KIP-534's hasDeleteHorizonMs), gone at a later cleaning.
    const tomb = ctx.name('tomb');
    await setUpTopic(ctx, tomb, 1, {
      'cleanup.policy': 'compact',
      'segment.ms': '1000',
      'min.cleanable.dirty.ratio': '0.01',
      'delete.retention.ms': '0',
    });
    const at = (i: number) => now - 60_000 + i * 2000;
    await produceEach(ctx, 'produce-tomb', tomb, [
      { key: 'k1', value: 'a', timestamp: at(0) },
      { key: 'k1', value: null, timestamp: at(1) },
      { key: 'k2', value: 'b', timestamp: at(2) },
      { key: 'k3', value: 'c', timestamp: at(3) },
    ]);
    ctx.checkpoint(
      'tomb-first-clean',
      await ctx.until(
        'the first cleaning of the tombstone log',
        async () => {
          const seen = await readFrom(ctx, tomb, 0n);
          return seen.length < 4 ? seen : undefined;
        },
        90_000,
      ),
    );
    await produceEach(ctx, 'produce-tomb-more', tomb, [
      { key: 'k2', value: 'd', timestamp: at(4) },
      { key: 'k4', value: 'e', timestamp: at(5) },
    ]);
    ctx.checkpoint(
      'tomb-second-clean',
      await ctx.until(
        'the second cleaning (k2=b superseded)',
        async () => {
          const seen = await readFrom(ctx, tomb, 0n);
          return seen.includes('2:k2:b') ? undefined : seen;
        },
        90_000,
      ),
    );

    // ---- compact,delete: retention applies too, and DeleteRecords is allowed.
    const both = ctx.name('both');
    await setUpTopic(ctx, both, 1, {
      'cleanup.policy': 'compact,delete',
      'segment.ms': '1000',
      'retention.ms': String(DAY),
      // Held back from the cleaner (all records are younger than three days): a cleaning would group
      // the old segments with a new one, whose timestamp then keeps them from retention, and which
      // of the two tasks comes first is a race on a real broker.
      'min.compaction.lag.ms': String(3 * DAY),
    });
    await produceEach(
      ctx,
      'produce-both',
      both,
      [0, 1, 2, 3].map((i) => ({
        key: `k${i % 2}`,
        value: `v${i}`,
        timestamp: (i < 2 ? now - 2 * DAY : now - 60_000) + i * 2000,
      })),
    );
    await ctx.until(
      'retention on the compact,delete log',
      async () => ((await earliest(ctx, null, both)) > 0n ? true : undefined),
      90_000,
    );
    await earliest(ctx, 'both-earliest', both);
    const bothDelete = await ctx.exchange('both-delete-records', DeleteRecords, {
      topics: [{ name: both, partitions: [{ partitionIndex: 0, offset: 3n }] }],
      timeoutMs: 30_000,
    });
    expectError(bothDelete.topics[0].partitions[0].errorCode, 'NONE', 'DeleteRecords on compact,delete');
    ctx.checkpoint('both-records', await readFrom(ctx, both, 3n));
  },
};
