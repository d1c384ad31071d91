/**
 * Committed offsets (OffsetCommit/OffsetFetch, KIP-447's v8 groups form): committed by a member in
 * its generation, read back, still there after the group went Empty, and writable then by a
 * "simple" committer (generation -1, no member: ClassicGroup.validateOffsetCommit accepts it on an
 * Empty group). Finally our consumer joining the group resumes from the committed offset.
 */
import assert from 'node:assert/strict';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { commitBody } from './group-errors.js';
import { assignment, describeGroup, RawMember, waitForCoordinator } from './group-support.js';
import { batch, expectError, produceRaw, setUpTopic } from './support.js';

async function fetchOffsets(ctx: ScenarioContext, label: string, groupId: string, topic: string) {
  const res = await ctx.exchange(label, OffsetFetch, {
    groups: [
      { groupId, memberId: null, memberEpoch: -1, topics: [{ name: topic, partitionIndexes: [0, 1] }] },
    ],
    requireStable: true,
  });
  return res.groups[0];
}

export const offsetsCommitFetch: Scenario = {
  name: 'offsets-commit-fetch',
  source: 'OffsetCommit/OffsetFetch: ClassicGroup.validateOffsetCommit, OffsetMetadataManager; KIP-447',
  description:
    'commit in a generation, fetch; group goes Empty, offsets stay; simple commit on the Empty group; a consumer resumes',
  timeoutMs: 60_000,
  async run(ctx) {
    const topic = ctx.name('offsets');
    await setUpTopic(ctx, topic, 2);
    await produceRaw(ctx, 'produce', topic, 0, batch(['a', 'b', 'c', 'd']));
    const groupId = ctx.name('offsets');

    await waitForCoordinator(ctx, groupId);
    const before = await fetchOffsets(ctx, 'fetch-before-any-commit', groupId, topic);
    assert.equal(before.topics[0].partitions[0].committedOffset, -1n);

    const m = await RawMember.create(ctx, groupId);
    await m.join('join');
    await m.sync('sync', [{ memberId: m.memberId, assignment: assignment('x') }]);
    const committed = await ctx.exchange(
      'commit',
      OffsetCommit,
      commitBody(groupId, m.generationId, m.memberId, topic, 2n),
      {
        connection: m.conn,
      },
    );
    expectError(committed.topics[0].partitions[0].errorCode, 'NONE', 'commit');
    const read = await fetchOffsets(ctx, 'fetch-stable', groupId, topic);
    assert.equal(read.topics[0].partitions[0].committedOffset, 2n);
    assert.equal(read.topics[0].partitions[1].committedOffset, -1n);

    expectError((await m.leave('leave')).errorCode, 'NONE', 'leave');
    assert.equal((await describeGroup(ctx, 'describe-empty', groupId)).groupState, 'Empty');
    const afterEmpty = await fetchOffsets(ctx, 'fetch-after-empty', groupId, topic);
    assert.equal(
      afterEmpty.topics[0].partitions[0].committedOffset,
      2n,
      'offsets survive the group going Empty',
    );

    const simple = await ctx.exchange(
      'commit-simple-on-empty',
      OffsetCommit,
      commitBody(groupId, -1, '', topic, 3n),
    );
    expectError(simple.topics[0].partitions[0].errorCode, 'NONE', 'generation -1 commit on an Empty group');
    const afterSimple = await fetchOffsets(ctx, 'fetch-after-simple-commit', groupId, topic);
    assert.equal(afterSimple.topics[0].partitions[0].committedOffset, 3n);

    const consumer = ctx.consumer({
      groupId,
      autoOffsetReset: 'earliest',
      sessionTimeoutMs: 10_000,
      fetchMaxWaitMs: 100,
    });
    consumer.subscribe([topic]);
    const seen: string[] = [];
    const run = consumer.run({ eachMessage: (r) => void seen.push(`${r.partition}:${r.offset}:${r.value}`) });
    run.catch(() => undefined);
    await ctx.until('the consumer to read past the committed offset', async () =>
      seen.length >= 1 ? true : undefined,
    );
    await consumer.close();
    assert.equal(seen[0], '0:3:d', 'resumed at the committed offset 3');
    ctx.checkpoint('resumed', seen);
  },
};
