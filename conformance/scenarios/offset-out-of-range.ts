/**
 * Fetch outside the log (LocalLog.scala:360-362): an offset past the log end offset is
 * OFFSET_OUT_OF_RANGE; at the log end (the high watermark) it is an empty answer without error; a
 * partition the topic does not have is UNKNOWN_TOPIC_OR_PARTITION.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../runner/types.js';
import { batch, expectError, fetchRaw, produceRaw, setUpTopic } from './support.js';

export const offsetOutOfRange: Scenario = {
  name: 'offset-out-of-range',
  source: 'LocalLog.scala read(): offset > LEO → OFFSET_OUT_OF_RANGE; == HW → empty',
  description: 'Fetch past the end, at the end, and of a partition that does not exist',
  async run(ctx) {
    const topic = ctx.name('range');
    await setUpTopic(ctx, topic, 1);
    await produceRaw(ctx, 'produce', topic, 0, batch(['a', 'b']));
    const past = await fetchRaw(ctx, 'fetch-past-end', topic, 0, 10n);
    expectError(past.errorCode, 'OFFSET_OUT_OF_RANGE', 'fetch at 10 of 2');
    const atEnd = await fetchRaw(ctx, 'fetch-at-end', topic, 0, 2n);
    expectError(atEnd.errorCode, 'NONE', 'fetch at the end');
    assert.equal(atEnd.records?.length ?? 0, 0);
    const negative = await fetchRaw(ctx, 'fetch-negative', topic, 0, -5n);
    expectError(negative.errorCode, 'OFFSET_OUT_OF_RANGE', 'fetch at -5');
    const noPartition = await fetchRaw(ctx, 'fetch-no-partition', topic, 7, 0n);
    expectError(noPartition.errorCode, 'UNKNOWN_TOPIC_OR_PARTITION', 'fetch partition 7');
  },
};
