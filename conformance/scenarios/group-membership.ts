/**
 * Consumer group join, rebalance and leave with the classic protocol (KIP-394 MEMBER_ID_REQUIRED;
 * GroupMetadataManager: a second member's join parks until the first rejoins, whose heartbeat says
 * REBALANCE_IN_PROGRESS; a leave triggers another rebalance; the last leave empties the group).
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../runner/types.js';
import { assignment, describeGroup, findCoordinator, RawMember } from './group-support.js';
import { expectError } from './support.js';

export const groupMembership: Scenario = {
  name: 'group-membership',
  source: 'KIP-394; GroupMetadataManager / ClassicGroup (join, sync, heartbeat, leave)',
  description:
    'one member joins and syncs; a second joins (rebalance, gen 2); it leaves (gen 3); the last leaves → Empty',
  async run(ctx) {
    const groupId = ctx.name('membership');
    const a = await RawMember.create(ctx, groupId);
    expectError(await findCoordinator(ctx, 'find-coordinator', groupId), 'NONE', 'FindCoordinator');
    const joinA = await a.join('a-join-1');
    assert.equal(joinA.generationId, 1);
    assert.equal(joinA.leader, a.memberId);
    const assignA = assignment('all-for-a');
    const syncA = await a.sync('a-sync-1', [{ memberId: a.memberId, assignment: assignA }]);
    expectError(syncA.errorCode, 'NONE', 'SyncGroup a');
    assert.deepEqual(Buffer.from(syncA.assignment), assignA);
    expectError((await a.heartbeat('a-heartbeat-1')).errorCode, 'NONE', 'heartbeat a');
    const stable = await describeGroup(ctx, 'describe-stable-1', groupId);
    assert.equal(stable.groupState, 'Stable');

    // b joins: its JoinGroup waits for a to rejoin.
    const b = await RawMember.create(ctx, groupId);
    const first = await b.joinRaw('b-member-id-required');
    expectError(first.errorCode, 'MEMBER_ID_REQUIRED', 'b first join');
    b.memberId = first.memberId;
    const joinB = b.joinRaw('b-join-2');
    const hb = await ctx.until('a to be told of the rebalance', async () => {
      const r = await a.heartbeat(null);
      return r.errorCode !== 0 ? r : undefined;
    });
    expectError(hb.errorCode, 'REBALANCE_IN_PROGRESS', 'a heartbeat during the rebalance');
    const rejoinA = await a.join('a-join-2');
    const joinedB = await joinB;
    expectError(joinedB.errorCode, 'NONE', 'b join');
    assert.equal(rejoinA.generationId, 2);
    assert.equal(joinedB.generationId, 2);
    assert.equal(rejoinA.members.length, 2, 'the leader sees both members');
    assert.equal(joinedB.members.length, 0, 'a follower sees none');
    b.generationId = 2;
    const syncB = b.sync('b-sync-2');
    const syncA2 = await a.sync('a-sync-2', [
      { memberId: a.memberId, assignment: assignment('p0') },
      { memberId: b.memberId, assignment: assignment('p1') },
    ]);
    expectError(syncA2.errorCode, 'NONE', 'a sync gen 2');
    assert.deepEqual(Buffer.from((await syncB).assignment), assignment('p1'));

    // b leaves: a rebalance with a alone.
    const leaveB = await b.leave('b-leave');
    expectError(leaveB.errorCode, 'NONE', 'b leave');
    const hb3 = await a.heartbeat('a-heartbeat-after-leave');
    expectError(hb3.errorCode, 'REBALANCE_IN_PROGRESS', 'a heartbeat after b left');
    const rejoin3 = await a.join('a-join-3');
    assert.equal(rejoin3.generationId, 3);
    assert.equal(rejoin3.members.length, 1);
    expectError(
      (await a.sync('a-sync-3', [{ memberId: a.memberId, assignment: assignA }])).errorCode,
      'NONE',
      'sync 3',
    );
    await describeGroup(ctx, 'describe-stable-3', groupId);

    expectError((await a.leave('a-leave')).errorCode, 'NONE', 'a leave');
    const empty = await describeGroup(ctx, 'describe-empty', groupId);
    assert.equal(empty.groupState, 'Empty');
    assert.equal(empty.members.length, 0);
  },
};
