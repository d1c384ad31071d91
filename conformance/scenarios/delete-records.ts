/**
 * DeleteRecords (KIP-107): the log start offset (low watermark) moves to the offset asked and never
 * back; -1 means the high watermark; past the high watermark is OFFSET_OUT_OF_RANGE; ListOffsets
 * EARLIEST follows it and a Fetch below it is OFFSET_OUT_OF_RANGE (UnifiedLog.maybeIncrementLogStartOffset,
 * ReplicaManager.deleteRecords, LocalLog.read).
 */
import assert from 'node:assert/strict';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { DeleteRecords } from '../../src/protocol/messages/21-delete-records.js';
import type { Scenario } from '../runner/types.js';
import { batch, expectError, fetchRaw, produceRaw, setUpTopic } from './support.js';

export const deleteRecords: Scenario = {
  name: 'delete-records',
  source: 'KIP-107; UnifiedLog.maybeIncrementLogStartOffset; ReplicaManager.deleteRecords',
  description:
    'DeleteRecords moves the low watermark; EARLIEST follows; below it and past the HW are out of range',
  async run(ctx) {
    const topic = ctx.name('delrec');
    await setUpTopic(ctx, topic, 1);
    await produceRaw(ctx, 'produce', topic, 0, batch(['a', 'b', 'c', 'd', 'e']));
    const del = async (label: string, offset: bigint) => {
      const res = await ctx.exchange(label, DeleteRecords, {
        topics: [{ name: topic, partitions: [{ partitionIndex: 0, offset }] }],
        timeoutMs: 30_000,
      });
      return res.topics[0].partitions[0];
    };
    const to3 = await del('delete-to-3', 3n);
    expectError(to3.errorCode, 'NONE', 'delete to 3');
    assert.equal(to3.lowWatermark, 3n);
    const back = await del('delete-back-to-1', 1n);
    expectError(back.errorCode, 'NONE', 'delete to 1');
    assert.equal(back.lowWatermark, 3n, 'the low watermark never moves back');
    const past = await del('delete-past-hw', 9n);
    expectError(past.errorCode, 'OFFSET_OUT_OF_RANGE', 'delete to 9 of 5');
    const earliest = await ctx.exchange('list-earliest', ListOffsets, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n }] }],
      timeoutMs: 30_000,
    });
    assert.equal(earliest.topics[0].partitions[0].offset, 3n);
    const below = await fetchRaw(ctx, 'fetch-below-low-watermark', topic, 0, 2n);
    expectError(below.errorCode, 'OFFSET_OUT_OF_RANGE', 'fetch at 2 below 3');
    const at = await fetchRaw(ctx, 'fetch-at-low-watermark', topic, 0, 3n);
    expectError(at.errorCode, 'NONE', 'fetch at 3');
    const hw = await del('delete-to-hw', -1n);
    expectError(hw.errorCode, 'NONE', 'delete to the high watermark');
    assert.equal(hw.lowWatermark, 5n);
  },
};
