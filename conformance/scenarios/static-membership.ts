/**
 * Static membership (KIP-345) with the classic protocol, as Kafka's GroupMetadataManager does it
 * (classicGroupJoinToStaticMember → updateStaticMemberThenRebalanceOrCompleteJoin, KIP-814
 * skipAssignment, classicGroupLeaveToClassicGroup):
 * - a follower restarts (JoinGroup with its group.instance.id, no member id, new subscription
 *   metadata): same generation, a new member id, no rebalance; the old id is FENCED_INSTANCE_ID;
 * - the leader restarts: the member list with skipAssignment=true, its SyncGroup without
 *   assignments returns the assignment it had; DescribeGroups shows the instance ids, the first
 *   incarnation's client ids, the same assignments;
 * - a restart whose protocols change the group's selected protocol rebalances everyone;
 * - a static member that goes silent is evicted at its session timeout (6000 ms: the scenario waits
 *   about 6 s per target);
 * - LeaveGroup v3+ by instance ids (Admin removeMembersFromConsumerGroup): an error per member.
 * Member ids are made up by each broker: what is compared about them is derived (same, new, self).
 */
import assert from 'node:assert/strict';
import type { Connection } from '../../src/client/index.js';
import { JoinGroup } from '../../src/protocol/messages/11-join-group.js';
import { Heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { LeaveGroup } from '../../src/protocol/messages/13-leave-group.js';
import { SyncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { decodeAssignment, encodeSubscription } from '../../src/protocol/messages/consumer-protocol.js';
import type { Scenario, ScenarioContext } from '../runner/types.js';
import { assignment, describeGroup, waitForCoordinator } from './group-support.js';
import { errorName, expectError } from './support.js';

const SUBSCRIPTION = encodeSubscription({ topics: ['conformance'], userData: null, ownedPartitions: [] });
/** What a restarted consumer sends: the same topics, other user data (Java: no owned partitions, generation -1). */
const RESTARTED = encodeSubscription({
  topics: ['conformance'],
  userData: Buffer.from('restarted'),
  ownedPartitions: [],
});
const BOTH = [
  { name: 'range', metadata: SUBSCRIPTION },
  { name: 'roundrobin', metadata: SUBSCRIPTION },
];

/** One incarnation of a static member: its own connection (a JoinGroup may be parked) and client id. */
class Incarnation {
  memberId = '';
  generationId = -1;
  protocolName = 'range';
  private constructor(
    private readonly ctx: ScenarioContext,
    readonly groupId: string,
    readonly instanceId: string,
    readonly conn: Connection,
  ) {}

  static async start(ctx: ScenarioContext, groupId: string, instanceId: string, clientId: string) {
    return new Incarnation(ctx, groupId, instanceId, await ctx.connection({ clientId }));
  }

  async join(
    label: string | null,
    o: { protocols?: typeof BOTH; sessionTimeoutMs?: number; memberId?: string } = {},
  ) {
    const res = await this.ctx.exchange(
      label,
      JoinGroup,
      {
        groupId: this.groupId,
        sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000,
        rebalanceTimeoutMs: 15_000,
        memberId: o.memberId ?? this.memberId,
        groupInstanceId: this.instanceId,
        protocolType: 'consumer',
        protocols: o.protocols ?? BOTH,
        reason: null,
      },
      { connection: this.conn },
    );
    if (res.errorCode === 0) {
      this.memberId = res.memberId;
      this.generationId = res.generationId;
      this.protocolName = res.protocolName ?? '';
    }
    return res;
  }

  sync(label: string | null, assignments: { memberId: string; assignment: Buffer }[] = []) {
    return this.ctx.exchange(
      label,
      SyncGroup,
      {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: this.instanceId,
        protocolType: 'consumer',
        protocolName: this.protocolName,
        assignments,
      },
      { connection: this.conn },
    );
  }

  heartbeat(label: string | null) {
    return this.ctx.exchange(
      label,
      Heartbeat,
      {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId: this.instanceId,
      },
      { connection: this.conn },
    );
  }
}

/** The user data of a ConsumerProtocolAssignment made by assignment(label). */
function labelOf(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  return Buffer.from(decodeAssignment(bytes).value.userData ?? Buffer.alloc(0)).toString();
}

export const staticMembership: Scenario = {
  name: 'static-membership',
  source:
    'KIP-345, KIP-814; GroupMetadataManager updateStaticMemberThenRebalanceOrCompleteJoin, classicGroupLeaveToClassicGroup',
  description:
    'static members restart without a rebalance (old id fenced, leader skipAssignment), a protocol change rebalances, session expiry, LeaveGroup by instance id',
  timeoutMs: 60_000,
  async run(ctx) {
    const groupId = ctx.name('static');
    await waitForCoordinator(ctx, groupId);

    // a joins alone (a static member gets no MEMBER_ID_REQUIRED), then b: generation 2, a leads.
    const a = await Incarnation.start(ctx, groupId, 'instance-a', 'static-a');
    expectError((await a.join('a-join-1')).errorCode, 'NONE', 'a join');
    expectError(
      (await a.sync('a-sync-1', [{ memberId: a.memberId, assignment: assignment('a-alone') }])).errorCode,
      'NONE',
      'a sync',
    );
    const b = await Incarnation.start(ctx, groupId, 'instance-b', 'static-b');
    const bJoin = b.join('b-join-2');
    await ctx.until('a to be told of the rebalance', async () =>
      (await a.heartbeat(null)).errorCode === 27 ? true : undefined,
    );
    // Not compared whole: Kafka lists the members in its HashMap's order.
    const aJoin2 = await a.join(null);
    expectError((await bJoin).errorCode, 'NONE', 'b join');
    assert.equal(aJoin2.leader, a.memberId);
    ctx.checkpoint('a-join-2', {
      generation: aJoin2.generationId,
      members: aJoin2.members.map((m) => m.groupInstanceId).sort(),
    });
    const bSync2 = b.sync('b-sync-2');
    await a.sync('a-sync-2', [
      { memberId: a.memberId, assignment: assignment('for-a') },
      { memberId: b.memberId, assignment: assignment('for-b') },
    ]);
    assert.equal(labelOf((await bSync2).assignment), 'for-b');

    // b restarts (closed without LeaveGroup), with other subscription metadata.
    const oldB = b.memberId;
    const b2 = await Incarnation.start(ctx, groupId, 'instance-b', 'static-b-restarted');
    const rejoinB = await b2.join('b-restart-join', {
      protocols: [{ name: 'range', metadata: RESTARTED }, BOTH[1]],
    });
    ctx.checkpoint('b-restart', {
      error: errorName(rejoinB.errorCode),
      generation: rejoinB.generationId,
      newMemberId: rejoinB.memberId !== oldB,
      leaderIsA: rejoinB.leader === a.memberId,
      skipAssignment: rejoinB.skipAssignment,
    });
    expectError((await a.heartbeat('a-heartbeat-after-b-restart')).errorCode, 'NONE', 'no rebalance for a');
    expectError((await b.heartbeat('b-old-id-heartbeat')).errorCode, 'FENCED_INSTANCE_ID', 'old b id');
    ctx.checkpoint('b-restart-assignment', labelOf((await b2.sync('b-restart-sync')).assignment));

    // The leader restarts: KIP-814 skipAssignment, then SyncGroup without assignments.
    const oldA = a.memberId;
    const a2 = await Incarnation.start(ctx, groupId, 'instance-a', 'static-a-restarted');
    const rejoinA = await a2.join(null);
    ctx.checkpoint('a-restart', {
      error: errorName(rejoinA.errorCode),
      generation: rejoinA.generationId,
      newMemberId: rejoinA.memberId !== oldA,
      leaderIsSelf: rejoinA.leader === rejoinA.memberId,
      skipAssignment: rejoinA.skipAssignment,
      members: rejoinA.members.map((m) => m.groupInstanceId).sort(),
      memberIdsCurrent: rejoinA.members.every((m) => m.memberId !== oldA && m.memberId !== oldB),
    });
    ctx.checkpoint('a-restart-assignment', labelOf((await a2.sync('a-restart-sync')).assignment));
    expectError((await a.heartbeat('a-old-id-heartbeat')).errorCode, 'FENCED_INSTANCE_ID', 'old a id');
    expectError((await b2.heartbeat('b-heartbeat-after-a-restart')).errorCode, 'NONE', 'no rebalance for b');
    const described = await describeGroup(ctx, null, groupId);
    ctx.checkpoint('describe-after-restarts', {
      state: described.groupState,
      members: described.members
        .map((m) => ({
          instance: m.groupInstanceId,
          clientId: m.clientId,
          assignment: labelOf(m.memberAssignment),
        }))
        .sort((x, y) => String(x.instance).localeCompare(String(y.instance))),
    });

    // b restarts with roundrobin only: the selected protocol changes, so everyone rebalances. Its
    // session is 6000 ms this time, for the eviction below.
    const b3 = await Incarnation.start(ctx, groupId, 'instance-b', 'static-b-third');
    const bJoin3 = b3.join('b-protocol-change-join', { protocols: [BOTH[1]], sessionTimeoutMs: 6000 });
    const hb = await ctx.until('a to be told of the rebalance', async () => {
      const r = await a2.heartbeat(null);
      return r.errorCode !== 0 ? r : undefined;
    });
    expectError(hb.errorCode, 'REBALANCE_IN_PROGRESS', 'a after the protocol change');
    const aJoin3 = await a2.join(null); // two members in broker order: compared below
    expectError((await bJoin3).errorCode, 'NONE', 'b join 3');
    ctx.checkpoint('protocol-change', { generation: aJoin3.generationId, protocol: aJoin3.protocolName });
    const bSync3 = b3.sync('b-sync-3');
    await a2.sync('a-sync-3', [
      { memberId: a2.memberId, assignment: assignment('rr-a') },
      { memberId: b3.memberId, assignment: assignment('rr-b') },
    ]);
    assert.equal(labelOf((await bSync3).assignment), 'rr-b');

    // b goes silent: evicted at its 6000 ms session timeout, a is told to rejoin.
    const silentSince = performance.now();
    await ctx.until(
      'the silent static member to be evicted',
      async () => ((await a2.heartbeat(null)).errorCode === 27 ? true : undefined),
      20_000,
    );
    const evictedAfter = performance.now() - silentSince;
    ctx.log(`static member evicted ${Math.round(evictedAfter)} ms after its last request`);
    assert.ok(evictedAfter >= 5000, `evicted after ${Math.round(evictedAfter)} ms`);
    const aJoin4 = await a2.join('a-join-4');
    ctx.checkpoint('after-eviction', {
      generation: aJoin4.generationId,
      members: aJoin4.members.map((m) => m.groupInstanceId),
    });
    await a2.sync('a-sync-4', [{ memberId: a2.memberId, assignment: assignment('a-alone-again') }]);
    expectError((await b3.heartbeat('b-evicted-heartbeat')).errorCode, 'UNKNOWN_MEMBER_ID', 'evicted b');

    // Admin removeMembersFromConsumerGroup: LeaveGroup v3+ naming instance ids.
    await ctx.exchange('leave-by-instance-ids', LeaveGroup, {
      groupId,
      members: [
        { memberId: 'not-the-member-id', groupInstanceId: 'instance-a', reason: 'conformance' },
        { memberId: '', groupInstanceId: 'instance-nobody', reason: 'conformance' },
        { memberId: '', groupInstanceId: 'instance-a', reason: 'conformance' },
      ],
    });
    await describeGroup(ctx, 'describe-after-leave', groupId);
  },
};
