/**
 * KIP-848's member epoch by raw ConsumerGroupHeartbeat v1 and OffsetCommit v9 requests, as Kafka's
 * GroupMetadataManager.throwIfConsumerGroupMemberEpochIsInvalid, CurrentAssignmentBuilder and
 * ConsumerGroup.validateOffsetCommit decide them. Two topics, X and Y (2 partitions each):
 * - A joins on X (epoch 1, X:0,1); B joins on Y: the group epoch moves to 2 and A's next heartbeat
 *   moves it to epoch 2 with the same partitions (the epoch follows the target assignment, whether
 *   or not the member's partitions change);
 * - A's heartbeat at its previous epoch owning a subset of its partitions is taken as a lost
 *   response (answered at the current epoch); at the previous epoch owning more, or at an epoch
 *   ahead of the coordinator's, it is FENCED_MEMBER_EPOCH, and the member is still in the group;
 * - C joins on X: A keeps one partition, is asked to revoke the other at its old epoch, moves to
 *   epoch 3 once it stops reporting it, and C gets it only then; B moves to 3 with nothing changed;
 * - a heartbeat two epochs behind is FENCED_MEMBER_EPOCH;
 * - OffsetCommit v9: one epoch behind or ahead → STALE_MEMBER_EPOCH, the current epoch → NONE, an
 *   admin commit (no member, epoch -1) while the group has members → UNKNOWN_MEMBER_ID, once Empty
 *   → NONE.
 * Member ids are the scenario's own (v1); topic ids each broker's, so responses are compared as
 * partitions of X or Y, epochs and error names.
 */
import assert from 'node:assert/strict';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';
import type { Scenario } from '../runner/types.js';
import { waitForCoordinator } from './group-support.js';
import { errorName, setUpTopic } from './support.js';

type Owned = { topicId: string; partitions: number[] }[];

export const memberEpoch: Scenario = {
  name: 'member-epoch',
  source:
    'KIP-848; GroupMetadataManager.throwIfConsumerGroupMemberEpochIsInvalid, CurrentAssignmentBuilder, ConsumerGroup.validateOffsetCommit',
  description:
    'member epochs: bumps with the target assignment (changed or not), lost responses forgiven, FENCED_MEMBER_EPOCH on heartbeats, STALE_MEMBER_EPOCH on commits',
  timeoutMs: 60_000,
  async run(ctx) {
    const X = ctx.name('epoch-x');
    const Y = ctx.name('epoch-y');
    const groupId = ctx.name('epoch-group');
    await setUpTopic(ctx, X, 2);
    await setUpTopic(ctx, Y, 2);
    const meta = await ctx.exchange(null, Metadata, {
      topics: [
        { name: X, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' },
        { name: Y, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' },
      ],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    const idOf = (name: string) => meta.topics.find((t) => t.name === name)!.topicId;
    const [xId, yId] = [idOf(X), idOf(Y)];
    await waitForCoordinator(ctx, groupId);
    const conn = await ctx.connection({ clientId: 'member-epoch' });

    const topicLabel = (id: string) => (id === xId ? 'X' : id === yId ? 'Y' : id);
    const parts = (tps: readonly { topicId: string; partitions: readonly number[] }[]) =>
      tps
        .map((t) => `${topicLabel(t.topicId)}:${[...t.partitions].sort().join(',')}`)
        .sort()
        .join(' ');
    const suffix = ctx.name('m').slice(-6);
    const [A, B, C] = ['a', 'b', 'c'].map((m) => `epoch-${m}-${suffix}`.padEnd(22, m));
    const who = (id: string) => (id === A ? 'A' : id === B ? 'B' : id === C ? 'C' : id);

    const beat = async (
      label: string,
      memberId: string,
      memberEpoch: number,
      body: { join?: string; owned?: Owned | null } = {},
    ) => {
      const res = await ctx.exchange(
        null,
        ConsumerGroupHeartbeat,
        {
          groupId,
          memberId,
          memberEpoch,
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: body.join ? 30_000 : -1,
          subscribedTopicNames: body.join ? [body.join] : null,
          subscribedTopicRegex: null,
          serverAssignor: body.join ? 'uniform' : null,
          topicPartitions: body.join ? [] : (body.owned ?? null),
        },
        { version: 1, connection: conn },
      );
      ctx.checkpoint(label, {
        error: errorName(res.errorCode),
        errorMessage: res.errorMessage,
        memberId: res.memberId === memberId ? 'own' : res.memberId,
        memberEpoch: res.memberEpoch,
        assignment: res.assignment === null ? null : parts(res.assignment.topicPartitions),
      });
      return res;
    };
    const x = (...ps: number[]): Owned => [{ topicId: xId, partitions: ps }];
    const y = (...ps: number[]): Owned => [{ topicId: yId, partitions: ps }];
    const describe = async (label: string) => {
      const d = await ctx.exchange(null, ConsumerGroupDescribe, {
        groupIds: [groupId],
        includeAuthorizedOperations: false,
      });
      const g = d.groups[0];
      ctx.checkpoint(label, {
        error: errorName(g.errorCode),
        groupState: g.groupState,
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        members: g.members
          .map((m) => ({
            member: who(m.memberId),
            memberEpoch: m.memberEpoch,
            assignment: parts(m.assignment.topicPartitions),
            target: parts(m.targetAssignment.topicPartitions),
          }))
          .sort((p, q) => p.member.localeCompare(q.member)),
      });
    };

    // Epoch 1: A alone on X.
    const a1 = await beat('a-joins', A, 0, { join: X });
    assert.equal(errorName(a1.errorCode), 'NONE', `A joins: ${a1.errorMessage}`);
    await beat('a-steady', A, a1.memberEpoch, { owned: x(0, 1) });
    // Epoch 2: B joins on Y; A's partitions do not change, its epoch does.
    const b2 = await beat('b-joins-other-topic', B, 0, { join: Y });
    const a2 = await beat('a-same-partitions-new-epoch', A, a1.memberEpoch, { owned: x(0, 1) });
    await describe('after-b-joined');
    // A's heartbeat at its previous epoch: a subset of what it owns is a lost response, more is not.
    await beat('a-previous-epoch-subset', A, a2.memberEpoch - 1, { owned: x(0) });
    await beat('a-previous-epoch-not-owned', A, a2.memberEpoch - 1, { owned: [...x(0, 1), ...y(0)] });
    await beat('a-epoch-ahead', A, a2.memberEpoch + 1, { owned: x(0, 1) });
    await describe('after-fenced-heartbeats');

    // Epoch 3: C joins on X; A revokes one partition before C gets it; B moves on unchanged.
    const c3 = await beat('c-joins', C, 0, { join: X });
    const a3 = await beat('a-asked-to-revoke', A, a2.memberEpoch, { owned: x(0, 1) });
    const kept = (a3.assignment?.topicPartitions ?? []).flatMap((t) => t.partitions);
    assert.equal(kept.length, 1, 'A keeps one partition of X');
    await beat('c-waits-for-release', C, c3.memberEpoch, { owned: [] });
    await describe('while-a-revokes');
    const a4 = await beat('a-revoked', A, a3.memberEpoch, { owned: x(...kept) });
    await beat('c-gets-released', C, c3.memberEpoch, { owned: [] });
    await beat('b-moves-on-unchanged', B, b2.memberEpoch, { owned: y(0, 1) });
    await beat('a-two-epochs-behind', A, a4.memberEpoch - 2, { owned: x(...kept) });
    await describe('after-c-joined');

    const commit = async (label: string, memberId: string, epoch: number) => {
      const res = await ctx.exchange(
        null,
        OffsetCommit,
        {
          groupId,
          generationIdOrMemberEpoch: epoch,
          memberId,
          groupInstanceId: null,
          topics: [
            {
              name: X,
              partitions: [
                {
                  partitionIndex: kept[0]!,
                  committedOffset: 0n,
                  committedLeaderEpoch: -1,
                  committedMetadata: '',
                },
              ],
            },
          ],
        },
        { version: 9 },
      );
      ctx.checkpoint(label, errorName(res.topics[0].partitions[0].errorCode));
    };
    await commit('commit-epoch-behind', A, a4.memberEpoch - 1);
    await commit('commit-epoch-ahead', A, a4.memberEpoch + 1);
    await commit('commit-current-epoch', A, a4.memberEpoch);
    await commit('commit-admin-while-members', '', -1);
    for (const [m, label] of [
      [A, 'a-leaves'],
      [B, 'b-leaves'],
      [C, 'c-leaves'],
    ] as const)
      await beat(label, m, -1);
    await describe('after-all-left');
    await commit('commit-admin-when-empty', '', -1);
  },
};
