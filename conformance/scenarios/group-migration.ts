/**
 * KIP-848's online migration (group.consumer.migration.policy, BIDIRECTIONAL by default in Kafka 4.1)
 * by raw requests, as GroupMetadataManager converts groups: a rolling restart from the classic
 * protocol to the consumer protocol and back.
 * - A and B form a classic group on T (4 partitions; A leads, A 0-1, B 2-3; generation 2);
 * - C joins with ConsumerGroupHeartbeat: the live classic group becomes a consumer group (epoch =
 *   the generation, A and B classic-protocol members at it, memberType 0), C's join bumps it;
 * - A and B learn it from Heartbeat (REBALANCE_IN_PROGRESS), rejoin with JoinGroup (answered at once:
 *   generation = member epoch, no leader) and get the server assignor's assignment from SyncGroup;
 *   C gets what they released; OffsetCommit by a classic member with its generation (v8) and a stale
 *   one (ILLEGAL_GENERATION);
 * - C leaves: only classic members are left, the group is a classic group again (PreparingRebalance
 *   at the consumer group's epoch); A and B rejoin the classic way, A leads, the group is Stable.
 * Member ids are the brokers' (classic) or the scenario's own (C); which of A and B gives a partition
 * to C depends on them, so assignments are compared as sizes.
 */
import assert from 'node:assert/strict';
import type { Connection } from '../../src/client/index.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { LeaveGroup } from '../../src/protocol/messages/13-leave-group.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { DescribeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { ListGroups } from '../../src/protocol/messages/16-list-groups.js';
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';
import {
  decodeAssignment,
  encodeAssignment,
  encodeSubscription,
} from '../../src/protocol/messages/consumer-protocol.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { waitForCoordinator } from './group-support.js';
import { errorName, expectError, setUpTopic } from './support.js';

/** A classic member on its own connection (a JoinGroup may be parked), subscribed to one topic. */
class ClassicMember {
  memberId = '';
  generationId = -1;
  constructor(
    private readonly ctx: ScenarioContext,
    private readonly groupId: string,
    private readonly topic: string,
    private readonly conn: Connection,
  ) {}

  /** An eager (range) member rejoins owning nothing: ownedPartitions is empty. */
  joinRaw(label: string | null) {
    return this.ctx.exchange(
      label,
      JoinGroup,
      {
        groupId: this.groupId,
        sessionTimeoutMs: 30_000,
        rebalanceTimeoutMs: 30_000,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [
          {
            name: 'range',
            metadata: encodeSubscription({ topics: [this.topic], userData: null, ownedPartitions: [] }),
          },
        ],
        reason: null,
      },
      { connection: this.conn },
    );
  }

  /** label null: the caller compares what it derives (who leads depends on the member ids). */
  async join(label: string | null) {
    if (this.memberId === '') {
      const first = await this.joinRaw(`${label}-member-id-required`);
      expectError(first.errorCode, 'MEMBER_ID_REQUIRED', `${label} first JoinGroup`);
      this.memberId = first.memberId;
    }
    const res = await this.joinRaw(label);
    expectError(res.errorCode, 'NONE', `JoinGroup ${label}`);
    this.generationId = res.generationId;
    return res;
  }

  /** `sizeElsewhere`: the partition count is compared by the caller (which member gets what varies). */
  async sync(
    label: string,
    assignments: { memberId: string; assignment: Buffer }[] = [],
    sizeElsewhere = false,
  ) {
    const res = await this.ctx.exchange(
      null,
      SyncGroup,
      {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments,
      },
      { connection: this.conn },
    );
    const partitions =
      res.assignment.length === 0
        ? null
        : decodeAssignment(res.assignment).value.assignedPartitions.flatMap((t) => t.partitions).length;
    this.ctx.checkpoint(label, {
      error: errorName(res.errorCode),
      protocolType: res.protocolType,
      protocolName: res.protocolName,
      ...(sizeElsewhere ? {} : { partitions }),
    });
    return { errorCode: res.errorCode, partitions };
  }

  heartbeat(label: string | null, generationId = this.generationId) {
    return this.ctx.exchange(
      label,
      Heartbeat,
      { groupId: this.groupId, generationId, memberId: this.memberId, groupInstanceId: null },
      { connection: this.conn },
    );
  }

  leave(label: string) {
    return this.ctx.exchange(
      label,
      LeaveGroup,
      {
        groupId: this.groupId,
        members: [{ memberId: this.memberId, groupInstanceId: null, reason: 'conformance' }],
      },
      { connection: this.conn },
    );
  }
}

export const groupMigration: Scenario = {
  name: 'group-migration',
  source:
    'KIP-848 online migration; GroupMetadataManager.convertToConsumerGroup/convertToClassicGroup, classicGroup{Join,Sync,Heartbeat}ToConsumerGroup',
  description:
    'a live classic group upgraded by a ConsumerGroupHeartbeat join, its members speaking the classic protocol inside the consumer group, and downgraded when the consumer-protocol member leaves',
  timeoutMs: 90_000,
  async run(ctx) {
    const T = ctx.name('migration-t');
    const groupId = ctx.name('migration-group');
    await setUpTopic(ctx, T, 4);
    await waitForCoordinator(ctx, groupId);
    const a = new ClassicMember(ctx, groupId, T, await ctx.connection({ clientId: 'migration-a' }));
    const b = new ClassicMember(ctx, groupId, T, await ctx.connection({ clientId: 'migration-b' }));
    const cConn = await ctx.connection({ clientId: 'migration-c' });
    const C = `migration-c-${ctx.name('m').slice(-6)}`.padEnd(22, 'c');
    const tp = (...partitions: number[]) =>
      encodeAssignment({ assignedPartitions: [{ topic: T, partitions }], userData: null });
    const who = (id: string) => (id === a.memberId ? 'A' : id === b.memberId ? 'B' : id === C ? 'C' : id);

    const describeClassic = async (label: string) => {
      const res = await ctx.exchange(null, DescribeGroups, {
        groups: [groupId],
        includeAuthorizedOperations: false,
      });
      const g = res.groups[0];
      ctx.checkpoint(label, {
        error: errorName(g.errorCode),
        groupState: g.groupState,
        protocolType: g.protocolType,
        protocolData: g.protocolData,
        members: g.members
          .map((m) => ({ member: who(m.memberId), clientId: m.clientId }))
          .sort((p, q) => p.member.localeCompare(q.member)),
        // Which member holds how many depends on the member ids: compared as a multiset.
        assignedSizes: g.members
          .map((m) =>
            m.memberAssignment.length === 0
              ? -1
              : decodeAssignment(m.memberAssignment).value.assignedPartitions.flatMap((t) => t.partitions)
                  .length,
          )
          .sort(),
      });
      return g;
    };
    const sizes = (m: {
      assignment: { topicPartitions: { partitions: number[] }[] };
      targetAssignment: { topicPartitions: { partitions: number[] }[] };
    }) => ({
      assigned: m.assignment.topicPartitions.flatMap((t) => t.partitions).length,
      target: m.targetAssignment.topicPartitions.flatMap((t) => t.partitions).length,
    });
    const describeConsumer = async (label: string) => {
      const res = await ctx.exchange(null, ConsumerGroupDescribe, {
        groupIds: [groupId],
        includeAuthorizedOperations: false,
      });
      const g = res.groups[0];
      ctx.checkpoint(label, {
        error: errorName(g.errorCode),
        groupState: g.groupState,
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignorName: g.assignorName,
        members: g.members
          .map((m) => ({
            member: who(m.memberId),
            clientId: m.clientId,
            memberType: m.memberType,
            memberEpoch: m.memberEpoch,
            subscribedTopicNames: m.subscribedTopicNames,
            ...(m.memberId === C ? sizes(m) : {}),
          }))
          .sort((p, q) => p.member.localeCompare(q.member)),
        // Which classic member gives C a partition depends on the member ids: compared as a multiset.
        classicSizes: g.members
          .filter((m) => m.memberId !== C)
          .map(sizes)
          .sort((p, q) => p.assigned - q.assigned || p.target - q.target),
      });
      return g;
    };
    const listed = async (label: string) => {
      const res = await ctx.exchange(null, ListGroups, { statesFilter: [], typesFilter: [] });
      ctx.checkpoint(label, {
        error: errorName(res.errorCode),
        groups: res.groups.filter((g) => g.groupId === groupId),
      });
    };
    const beatC = async (label: string, memberEpoch: number, owned: number[] | null, join = false) => {
      const res = await ctx.exchange(
        null,
        ConsumerGroupHeartbeat,
        {
          groupId,
          memberId: C,
          memberEpoch,
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: join ? 30_000 : -1,
          subscribedTopicNames: join ? [T] : null,
          subscribedTopicRegex: null,
          serverAssignor: join ? 'uniform' : null,
          topicPartitions: join ? [] : owned === null ? null : [{ topicId: topicId!, partitions: owned }],
        },
        { version: 1, connection: cConn },
      );
      const partitions = res.assignment?.topicPartitions.flatMap((t) => t.partitions) ?? null;
      ctx.checkpoint(label, {
        error: errorName(res.errorCode),
        memberEpoch: res.memberEpoch,
        heartbeatIntervalMs: res.heartbeatIntervalMs,
        assigned: partitions === null ? null : partitions.length,
      });
      if (res.assignment?.topicPartitions[0]) topicId = res.assignment.topicPartitions[0].topicId;
      return { ...res, partitions };
    };
    let topicId: string | undefined;

    // 1. A classic group: A alone (generation 1), then B joins (generation 2), A 0-1, B 2-3.
    const joinA1 = await a.join('a-join-1');
    assert.equal(joinA1.leader, a.memberId);
    await a.sync('a-sync-1', [{ memberId: a.memberId, assignment: tp(0, 1, 2, 3) }]);
    const firstB = await b.joinRaw('b-member-id-required');
    expectError(firstB.errorCode, 'MEMBER_ID_REQUIRED', 'b first join');
    b.memberId = firstB.memberId;
    const joinB = b.joinRaw('b-join-2');
    await ctx.until('a to be told of the rebalance', async () =>
      (await a.heartbeat(null)).errorCode !== 0 ? true : undefined,
    );
    await a.join('a-join-2');
    const joinedB = await joinB;
    expectError(joinedB.errorCode, 'NONE', 'b join');
    b.generationId = joinedB.generationId;
    const syncB = b.sync('b-sync-2');
    await a.sync('a-sync-2', [
      { memberId: a.memberId, assignment: tp(0, 1) },
      { memberId: b.memberId, assignment: tp(2, 3) },
    ]);
    await syncB;
    await describeClassic('classic-stable');
    await listed('listed-classic');

    // 2. C joins with the consumer protocol: the live classic group is upgraded.
    const c1 = await beatC('c-joins-upgrade', 0, null, true);
    expectError(c1.errorCode, 'NONE', `C joins: ${c1.errorMessage}`);
    await describeConsumer('upgraded');
    await describeClassic('upgraded-describe-groups');
    await listed('listed-upgraded');

    // 3. A and B are told to rejoin, rejoin as eager members, and sync the server's assignment.
    await a.heartbeat('a-heartbeat-after-upgrade');
    await b.heartbeat('b-heartbeat-after-upgrade');
    await a.heartbeat('a-heartbeat-wrong-generation', a.generationId + 5);
    const joinA3 = await a.join('a-rejoins-consumer-group');
    const joinB3 = await b.join('b-rejoins-consumer-group');
    assert.equal(joinA3.leader, '', 'no leader in a consumer group');
    assert.equal(joinB3.members.length, 0);
    const sa = await a.sync('a-sync-consumer-group', [], true);
    const sb = await b.sync('b-sync-consumer-group', [], true);
    ctx.checkpoint('classic-members-synced-sizes', [sa.partitions, sb.partitions].sort());
    await a.heartbeat('a-heartbeat-settled');
    const c2 = await ctx.until('C to get the released partition', async () => {
      const r = await beatC('c-gets-released', c1.memberEpoch, [], false);
      return r.partitions !== null && r.partitions.length > 0 ? r : undefined;
    });
    assert.equal((sa.partitions ?? 0) + (sb.partitions ?? 0) + (c2.partitions?.length ?? 0), 4);
    await beatC('c-steady', c2.memberEpoch, c2.partitions);
    await describeConsumer('consumer-group-stable');

    // OffsetCommit by a classic member of a consumer group: its generation, any version.
    const commit = async (label: string, generation: number) => {
      const res = await ctx.exchange(
        null,
        OffsetCommit,
        {
          groupId,
          generationIdOrMemberEpoch: generation,
          memberId: a.memberId,
          groupInstanceId: null,
          topics: [
            {
              name: T,
              partitions: [
                { partitionIndex: 0, committedOffset: 0n, committedLeaderEpoch: -1, committedMetadata: '' },
              ],
            },
          ],
        },
        { version: 8 },
      );
      ctx.checkpoint(label, errorName(res.topics[0].partitions[0].errorCode));
    };
    await commit('a-commit-v8-generation', a.generationId);
    await commit('a-commit-v8-stale-generation', a.generationId - 1);

    // 4. C leaves: only classic members remain, the group is downgraded and prepares a rebalance.
    await beatC('c-leaves-downgrade', -1, null);
    await describeClassic('downgraded');
    await describeConsumer('downgraded-consumer-group-describe');
    await listed('listed-downgraded');
    await a.heartbeat('a-heartbeat-after-downgrade');
    // Kafka's leader of the downgraded group is the first member in its member map's (hash) order,
    // kept if it rejoins; the emulator's the first in join order — so leadership is compared as
    // "one of the two leads, and only the leader gets the member list".
    const rejoinA = a.join(null);
    await ctx.until('b to be told of the rebalance', async () =>
      (await b.heartbeat(null)).errorCode !== 0 ? true : undefined,
    );
    const rb = await b.join(null);
    const ra = await rejoinA;
    const leader = ra.leader === a.memberId ? a : b;
    const follower = leader === a ? b : a;
    ctx.checkpoint('rejoined-classic', {
      errors: [errorName(ra.errorCode), errorName(rb.errorCode)],
      generations: [ra.generationId, rb.generationId],
      protocols: [ra.protocolName, rb.protocolName],
      leaderIsAMember: ra.leader === rb.leader && (ra.leader === a.memberId || ra.leader === b.memberId),
      memberListSizes: [ra.members.length, rb.members.length].sort(),
    });
    const syncF = follower.sync('follower-sync-classic');
    await leader.sync('leader-sync-classic', [
      { memberId: a.memberId, assignment: tp(0, 1) },
      { memberId: b.memberId, assignment: tp(2, 3) },
    ]);
    await syncF;
    await describeClassic('classic-again-stable');
    await listed('listed-classic-again');

    await a.leave('a-leaves');
    await b.leave('b-leaves');
    await describeClassic('empty');
  },
};
