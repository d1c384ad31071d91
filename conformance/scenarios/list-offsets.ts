/**
 * ListOffsets (KIP-79 by time): earliest (-2), latest (-1), and by timestamp the first record at or
 * after it; a time after every record gives offset -1 (UnifiedLog.fetchOffsetByTimestamp). Records
 * carry fixed CreateTimes (T0 + i s), so the answers are the same on every broker.
 */
import assert from 'node:assert/strict';
import { ListOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import type { Scenario } from '../runner/types.js';
import { batch, produceRaw, setUpTopic, T0 } from './support.js';

export const listOffsets: Scenario = {
  name: 'list-offsets',
  source: 'KIP-79 (ListOffsets by time); UnifiedLog.fetchOffsetByTimestamp',
  description: 'earliest/latest and by time (before, exactly at, between, after the records)',
  async run(ctx) {
    const topic = ctx.name('list-offsets');
    await setUpTopic(ctx, topic, 1);
    await produceRaw(ctx, 'produce-1', topic, 0, batch(['r0', 'r1', 'r2']));
    await produceRaw(ctx, 'produce-2', topic, 0, batch(['r3', 'r4']));
    const cases: [string, bigint, bigint][] = [
      ['earliest', -2n, 0n],
      ['latest', -1n, 5n],
      ['before-all', BigInt(T0 - 60_000), 0n],
      ['at-second-record', BigInt(T0 + 1000), 1n],
      ['between', BigInt(T0 + 1500), 2n],
      ['after-all', BigInt(T0 + 60_000), -1n],
    ];
    for (const [label, timestamp, expected] of cases) {
      const res = await ctx.exchange(label, ListOffsets, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
        timeoutMs: 30_000,
      });
      const p = res.topics[0].partitions[0];
      assert.equal(p.errorCode, 0, `${label}: error ${p.errorCode}`);
      assert.equal(p.offset, expected, `${label}: offset`);
    }
  },
};
