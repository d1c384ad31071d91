/**
 * KIP-848's consumer group protocol by raw ConsumerGroupHeartbeat v1 requests, as Kafka's
 * GroupMetadataManager.consumerGroupHeartbeat and CurrentAssignmentBuilder run it:
 * - one member joins a 4-partition topic (epoch 0 → group epoch 1, all four partitions);
 * - a second joins: it gets epoch 2 and nothing while the first still owns everything; the first is
 *   asked to revoke two partitions at its old epoch, moves to epoch 2 once it stops reporting them,
 *   and only then does the second get them (uniform assignor);
 * - ConsumerGroupDescribe, ListGroups v5 (types filter), DescribeGroups on a consumer group;
 * - OffsetCommit v9 with a stale epoch (STALE_MEMBER_EPOCH), with the right one, OffsetFetch v9 by a
 *   stranger (UNKNOWN_MEMBER_ID);
 * - FENCED_MEMBER_EPOCH, an empty member id on v1, an unknown assignor; a member leaves (-1) and the
 *   other takes all partitions at the next epoch;
 * - the range assignor's targets for three members (RangeAssignor: static members first, then member
 *   ids in order, the first ones a partition more); a static member leaves with -2, another
 *   incarnation of its instance id is UNRELEASED_INSTANCE_ID until then, and after it takes the
 *   partitions back without a new group epoch;
 * - a member subscribing by subscribedTopicRegex: joins with nothing, gets the topic's partitions at
 *   a later epoch once the broker resolved the expression; an invalid one is refused.
 * Member ids are the scenario's own (v1: the client makes them up); topic ids are each broker's, so
 * what is compared is derived (partitions of the scenario's topic, epochs, error names).
 */
import assert from 'node:assert/strict';
import { Metadata } from '../../src/protocol/messages/03-metadata.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { OffsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { DescribeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { ListGroups } from '../../src/protocol/messages/16-list-groups.js';
import { ConsumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { waitForCoordinator } from './group-support.js';
import { errorName, setUpTopic } from './support.js';

type Owned = { topicId: string; partitions: number[] }[] | null;

export const consumerGroupProtocol: Scenario = {
  name: 'consumer-group-protocol',
  source: 'KIP-848; GroupMetadataManager.consumerGroupHeartbeat, CurrentAssignmentBuilder, UniformAssignor',
  description:
    'two members join by ConsumerGroupHeartbeat: epochs, revocation before reassignment, describe/list, offsets by member epoch, leave',
  timeoutMs: 60_000,
  async run(ctx) {
    const topic = ctx.name('kip848');
    const groupId = ctx.name('kip848-group');
    await setUpTopic(ctx, topic, 4);
    const meta = await ctx.exchange(null, Metadata, {
      topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    const topicId = meta.topics[0].topicId;
    await waitForCoordinator(ctx, groupId);
    const conn = await ctx.connection({ clientId: 'kip848' });

    /** Partitions of the scenario's topic; another topic id would be a difference worth seeing. */
    const parts = (tps: readonly { topicId: string; partitions: readonly number[] }[] | undefined) =>
      tps?.map((t) => ({
        topic: t.topicId === topicId ? 'T' : t.topicId,
        partitions: [...t.partitions].sort(),
      }));
    const beat = async (
      label: string,
      body: {
        memberId: string;
        memberEpoch: number;
        owned?: Owned;
        join?: boolean;
        serverAssignor?: string | null;
      },
    ) => {
      const res = await ctx.exchange(
        null,
        ConsumerGroupHeartbeat,
        {
          groupId,
          memberId: body.memberId,
          memberEpoch: body.memberEpoch,
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: body.join ? 30_000 : -1,
          subscribedTopicNames: body.join ? [topic] : null,
          subscribedTopicRegex: null,
          serverAssignor: body.serverAssignor ?? null,
          topicPartitions: body.join ? [] : (body.owned ?? null),
        },
        { version: 1, connection: conn },
      );
      ctx.checkpoint(label, {
        error: errorName(res.errorCode),
        errorMessage: res.errorMessage,
        memberId: res.memberId === body.memberId ? 'own' : res.memberId,
        memberEpoch: res.memberEpoch,
        heartbeatIntervalMs: res.heartbeatIntervalMs,
        assignment: res.assignment === null ? null : parts(res.assignment.topicPartitions),
      });
      return res;
    };
    const owned = (ps: number[]): Owned => [{ topicId, partitions: ps }];
    const A = `kip848-a-${ctx.name('m').slice(-6)}`.padEnd(22, 'a');
    const B = `kip848-b-${ctx.name('m').slice(-6)}`.padEnd(22, 'b');

    const a1 = await beat('a-joins', { memberId: A, memberEpoch: 0, join: true });
    assert.equal(errorName(a1.errorCode), 'NONE', `A joins: ${a1.errorMessage}`);
    const b1 = await beat('b-joins', { memberId: B, memberEpoch: 0, join: true });
    assert.equal(errorName(b1.errorCode), 'NONE', `B joins: ${b1.errorMessage}`);
    await beat('a-asked-to-revoke', { memberId: A, memberEpoch: a1.memberEpoch, owned: owned([0, 1, 2, 3]) });
    await beat('b-waits-for-release', { memberId: B, memberEpoch: b1.memberEpoch, owned: [] });
    const a3 = await beat('a-revoked', { memberId: A, memberEpoch: a1.memberEpoch, owned: owned([0, 1]) });
    const b3 = await beat('b-gets-released', { memberId: B, memberEpoch: b1.memberEpoch, owned: [] });

    const described = await ctx.exchange(null, ConsumerGroupDescribe, {
      groupIds: [groupId, ctx.name('no-such-group')],
      includeAuthorizedOperations: false,
    });
    ctx.checkpoint(
      'consumer-group-describe',
      described.groups.map((g) => ({
        error: errorName(g.errorCode),
        errorMessage: g.errorMessage
          ?.replace(groupId, '<group>')
          .replace(/kip848-no-such-group\S*/, '<unknown>'),
        groupState: g.groupState,
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignorName: g.assignorName,
        members: g.members
          .map((m) => ({
            member: m.memberId === A ? 'A' : m.memberId === B ? 'B' : m.memberId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            instanceId: m.instanceId,
            rackId: m.rackId,
            subscribedTopicRegex: m.subscribedTopicRegex,
            subscribedTopicNames: m.subscribedTopicNames.map((n) => (n === topic ? 'T' : n)),
            assignment: parts(m.assignment.topicPartitions),
            targetAssignment: parts(m.targetAssignment.topicPartitions),
            topicNames: m.assignment.topicPartitions.map((t) => (t.topicName === topic ? 'T' : t.topicName)),
            memberType: m.memberType,
          }))
          .sort((x, y) => x.member.localeCompare(y.member)),
      })),
    );
    const withOps = await ctx.exchange(null, ConsumerGroupDescribe, {
      groupIds: [groupId],
      includeAuthorizedOperations: true,
    });
    ctx.checkpoint('consumer-group-describe-operations', withOps.groups[0].authorizedOperations);
    const listed = await ctx.exchange(
      null,
      ListGroups,
      { statesFilter: [], typesFilter: ['consumer'] },
      { version: 5 },
    );
    ctx.checkpoint(
      'list-groups-consumer',
      listed.groups.filter((g) => g.groupId === groupId).map((g) => ({ ...g, groupId: '<group>' })),
    );
    const listedClassic = await ctx.exchange(
      null,
      ListGroups,
      { statesFilter: [], typesFilter: ['classic'] },
      { version: 5 },
    );
    ctx.checkpoint(
      'list-groups-classic-filter',
      listedClassic.groups.filter((g) => g.groupId === groupId).length,
    );
    const dg = await ctx.exchange(
      null,
      DescribeGroups,
      { groups: [groupId], includeAuthorizedOperations: false },
      { version: 5 },
    );
    ctx.checkpoint('describe-groups-on-consumer-group', { ...dg.groups[0], groupId: '<group>' });

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
              name: topic,
              partitions: [
                { partitionIndex: 0, committedOffset: 0n, committedLeaderEpoch: -1, committedMetadata: '' },
              ],
            },
          ],
        },
        { version: 9 },
      );
      ctx.checkpoint(label, errorName(res.topics[0].partitions[0].errorCode));
    };
    await commit('commit-stale-epoch', A, a3.memberEpoch - 1);
    await commit('commit-unknown-member', 'nobody-xxxxxxxxxxxxxxx', 2);
    await commit('commit-current-epoch', A, a3.memberEpoch);
    const fetchAs = async (label: string, memberId: string | null, memberEpoch: number) => {
      const res = await ctx.exchange(
        null,
        OffsetFetch,
        {
          groups: [{ groupId, memberId, memberEpoch, topics: [{ name: topic, partitionIndexes: [0] }] }],
          requireStable: false,
        },
        { version: 9 },
      );
      const g = res.groups[0];
      ctx.checkpoint(label, {
        error: errorName(g.errorCode),
        offsets: g.topics.flatMap((t) =>
          t.partitions.map((p) => [p.partitionIndex, String(p.committedOffset)]),
        ),
      });
    };
    await fetchAs('fetch-as-member', A, a3.memberEpoch);
    await fetchAs('fetch-as-stranger', 'nobody-xxxxxxxxxxxxxxx', 2);
    await fetchAs('fetch-stale-epoch', B, b3.memberEpoch - 1);
    await fetchAs('fetch-as-admin', null, -1);

    await beat('b-epoch-ahead', { memberId: B, memberEpoch: b3.memberEpoch + 5, owned: owned([2, 3]) });
    await beat('empty-member-id-v1', { memberId: '', memberEpoch: 0, join: true });
    await beat('unknown-assignor', {
      memberId: `${B}-x`,
      memberEpoch: 0,
      join: true,
      serverAssignor: 'sticky',
    });
    await beat('a-leaves', { memberId: A, memberEpoch: -1 });
    await beat('b-after-a-left', { memberId: B, memberEpoch: b3.memberEpoch, owned: owned([2, 3]) });
    await beat('a-after-leaving', { memberId: A, memberEpoch: a3.memberEpoch, owned: [] });
    await beat('b-leaves', { memberId: B, memberEpoch: -1 });
    await rangeAndStatic(ctx, topic, topicId);
    await regexMember(ctx, topic, topicId);
    const after = await ctx.exchange(null, ConsumerGroupDescribe, {
      groupIds: [groupId],
      includeAuthorizedOperations: false,
    });
    ctx.checkpoint('describe-after-both-left', {
      groupState: after.groups[0].groupState,
      groupEpoch: after.groups[0].groupEpoch,
      assignmentEpoch: after.groups[0].assignmentEpoch,
      members: after.groups[0].members.length,
    });
  },
};

/** A second group on the same topic: three members with the range assignor, one of them static. */
async function rangeAndStatic(ctx: ScenarioContext, topic: string, topicId: string): Promise<void> {
  const groupId = ctx.name('kip848-range');
  await waitForCoordinator(ctx, groupId);
  const conn = await ctx.connection({ clientId: 'kip848-range' });
  const suffix = ctx.name('r').slice(-6);
  const ids = ['m1', 'm2', 'm3'].map((m) => `kip848-${m}-${suffix}`.padEnd(22, 'x'));
  const other = `kip848-s-${suffix}`.padEnd(22, 'y');
  const name = (id: string) =>
    ids.includes(id) ? `m${ids.indexOf(id) + 1}` : id === other ? 'static-2' : id;
  const beat = async (label: string, memberId: string, instanceId: string | null, memberEpoch = 0) => {
    const joining = memberEpoch === 0;
    const res = await ctx.exchange(
      null,
      ConsumerGroupHeartbeat,
      {
        groupId,
        memberId,
        memberEpoch,
        instanceId,
        rackId: null,
        rebalanceTimeoutMs: joining ? 30_000 : -1,
        subscribedTopicNames: joining ? [topic] : null,
        subscribedTopicRegex: null,
        serverAssignor: joining ? 'range' : null,
        topicPartitions: joining ? [] : null,
      },
      { version: 1, connection: conn },
    );
    ctx.checkpoint(label, {
      error: errorName(res.errorCode),
      errorMessage: res.errorMessage
        ?.split(memberId)
        .join('<member>')
        .split(ids[2])
        .join('<m3>')
        .split(groupId)
        .join('<group>'),
      memberEpoch: res.memberEpoch,
      assignment: res.assignment?.topicPartitions.map((t) => [
        t.topicId === topicId ? 'T' : t.topicId,
        t.partitions,
      ]),
    });
    return res;
  };
  const describe = async (label: string) => {
    const d = await ctx.exchange(null, ConsumerGroupDescribe, {
      groupIds: [groupId],
      includeAuthorizedOperations: false,
    });
    const g = d.groups[0];
    const named = (tps: readonly { topicName: string; partitions: readonly number[] }[]) =>
      tps.map((t) => [t.topicName === topic ? 'T' : t.topicName, [...t.partitions].sort()]);
    ctx.checkpoint(label, {
      groupState: g.groupState,
      groupEpoch: g.groupEpoch,
      assignmentEpoch: g.assignmentEpoch,
      assignorName: g.assignorName,
      members: g.members
        .map((m) => ({
          member: name(m.memberId),
          instanceId: m.instanceId,
          memberEpoch: m.memberEpoch,
          assignment: named(m.assignment.topicPartitions),
          target: named(m.targetAssignment.topicPartitions),
        }))
        .sort((x, y) => x.member.localeCompare(y.member)),
    });
  };
  // m3 (static, instance static-1) joins first and owns everything; then m2 and m1: range's targets.
  await beat('range-m3-joins', ids[2], 'static-1');
  await beat('range-m2-joins', ids[1], null);
  await beat('range-m1-joins', ids[0], null);
  await describe('range-targets');
  // Another incarnation cannot take the instance id while m3 holds it.
  await beat('static-instance-taken', other, 'static-1');
  const left = await beat('static-leaves-temporarily', ids[2], 'static-1', -2);
  assert.equal(left.memberEpoch, -2);
  await describe('after-static-left');
  await beat('static-returns', other, 'static-1');
  await describe('after-static-returned');
}

/** A member subscribed by regular expression (v1): the broker resolves it after the join. */
async function regexMember(ctx: ScenarioContext, topic: string, topicId: string): Promise<void> {
  const groupId = ctx.name('kip848-regex');
  await waitForCoordinator(ctx, groupId);
  const conn = await ctx.connection({ clientId: 'kip848-regex' });
  const memberId = `kip848-r-${ctx.name('x').slice(-6)}`.padEnd(22, 'r');
  const send = (memberEpoch: number, regex: string | null) =>
    ctx.exchange(
      null,
      ConsumerGroupHeartbeat,
      {
        groupId,
        memberId,
        memberEpoch,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
        subscribedTopicNames: null,
        subscribedTopicRegex: regex,
        serverAssignor: null,
        topicPartitions: memberEpoch === 0 ? [] : null,
      },
      { version: 1, connection: conn },
    );
  const invalid = await send(0, 'kip848-(');
  ctx.checkpoint('regex-invalid', errorName(invalid.errorCode));
  const joined = await send(0, `${topic}|no-such-topic-.*`);
  ctx.checkpoint('regex-joins', {
    error: errorName(joined.errorCode),
    memberEpoch: joined.memberEpoch,
    assignment: joined.assignment?.topicPartitions.length,
  });
  const got = await ctx.until(
    'the regex member to get its partitions',
    async () => {
      const r = await send(joined.memberEpoch, null);
      return r.errorCode !== 0 || (r.assignment?.topicPartitions.length ?? 0) > 0 ? r : undefined;
    },
    20_000,
  );
  ctx.checkpoint('regex-resolved', {
    error: errorName(got.errorCode),
    memberEpoch: got.memberEpoch,
    assignment: got.assignment?.topicPartitions.map((t) => [
      t.topicId === topicId ? 'T' : t.topicId,
      t.partitions,
    ]),
  });
  await send(-1, null);
}
