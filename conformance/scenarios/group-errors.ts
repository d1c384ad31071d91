/**
 * Group error behaviours (ClassicGroup.validateMember, validateSyncGroup, validateOffsetCommit,
 * OffsetMetadataManager.validateOffsetCommit): stale generation → ILLEGAL_GENERATION, unknown member
 * → UNKNOWN_MEMBER_ID (heartbeat, sync, join, commit), empty group id → INVALID_GROUP_ID, a commit to
 * a group that does not exist with a generation → GROUP_ID_NOT_FOUND (OffsetCommit v9+).
 */
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { assignment, RawMember } from './group-support.js';
import { expectError, setUpTopic } from './support.js';

export function commitBody(
  groupId: string,
  generation: number,
  memberId: string,
  topic: string,
  offset: bigint,
) {
  return {
    groupId,
    generationIdOrMemberEpoch: generation,
    memberId,
    groupInstanceId: null,
    retentionTimeMs: -1n,
    topics: [
      {
        name: topic,
        partitions: [
          {
            partitionIndex: 0,
            committedOffset: offset,
            committedLeaderEpoch: -1,
            commitTimestamp: -1n,
            committedMetadata: '',
          },
        ],
      },
    ],
  };
}

async function commit(
  ctx: ScenarioContext,
  label: string,
  body: ReturnType<typeof commitBody>,
  conn?: RawMember,
) {
  const res = await ctx.exchange(label, OffsetCommit, body, { connection: conn?.conn });
  return res.topics[0]?.partitions[0]?.errorCode ?? -1;
}

export const groupErrors: Scenario = {
  name: 'group-errors',
  source: 'ClassicGroup.validateMember/validateSyncGroup/validateOffsetCommit; OffsetMetadataManager',
  description:
    'stale generation and unknown member on heartbeat, sync, join and commit; empty group id; commit to a missing group',
  async run(ctx) {
    const topic = ctx.name('group-errors');
    await setUpTopic(ctx, topic, 1);
    const groupId = ctx.name('errors');
    const m = await RawMember.create(ctx, groupId);
    await m.join('join');
    expectError(
      (await m.sync('sync', [{ memberId: m.memberId, assignment: assignment('x') }])).errorCode,
      'NONE',
      'sync',
    );

    expectError(
      (await m.heartbeat('heartbeat-stale-generation', 0)).errorCode,
      'ILLEGAL_GENERATION',
      'heartbeat gen 0',
    );
    expectError(
      (await m.heartbeat('heartbeat-future-generation', 5)).errorCode,
      'ILLEGAL_GENERATION',
      'heartbeat gen 5',
    );
    expectError(
      (await m.heartbeat('heartbeat-unknown-member', 1, 'no-such-member')).errorCode,
      'UNKNOWN_MEMBER_ID',
      'heartbeat unknown member',
    );
    expectError((await m.sync('sync-stale-generation', [], 0)).errorCode, 'ILLEGAL_GENERATION', 'sync gen 0');
    expectError(
      (await m.joinRaw('join-unknown-member', 'no-such-member')).errorCode,
      'UNKNOWN_MEMBER_ID',
      'join with an unknown member id',
    );
    expectError(
      await commit(ctx, 'commit-stale-generation', commitBody(groupId, 0, m.memberId, topic, 1n), m),
      'ILLEGAL_GENERATION',
      'commit gen 0',
    );
    expectError(
      await commit(ctx, 'commit-unknown-member', commitBody(groupId, 1, 'no-such-member', topic, 1n), m),
      'UNKNOWN_MEMBER_ID',
      'commit unknown member',
    );
    expectError(
      await commit(ctx, 'commit-current-generation', commitBody(groupId, 1, m.memberId, topic, 1n), m),
      'NONE',
      'commit gen 1',
    );
    expectError(
      await commit(ctx, 'commit-missing-group', commitBody(ctx.name('missing'), 1, 'someone', topic, 1n)),
      'GROUP_ID_NOT_FOUND',
      'commit to a group that does not exist',
    );
    const empty = await RawMember.create(ctx, '');
    expectError((await empty.joinRaw('join-empty-group-id')).errorCode, 'INVALID_GROUP_ID', 'empty group id');
  },
};
