/**
 * Session-timeout eviction: a member that stops heartbeating is removed after session.timeout.ms
 * and the group, now without members, goes Empty; its late heartbeat is UNKNOWN_MEMBER_ID
 * (GroupMetadataManager: heartbeat on an Empty group). The session timeout must lie within
 * [group.min.session.timeout.ms 6000, group.max.session.timeout.ms 1800000], else
 * INVALID_SESSION_TIMEOUT (GroupCoordinatorService.java:389-404). 6000 ms is the shortest the real
 * broker allows with its defaults, so this scenario waits about 6 s per target.
 */
import assert from 'node:assert/strict';
import type { Scenario } from '../runner/types.js';
import { assignment, describeGroup, RawMember } from './group-support.js';
import { expectError } from './support.js';

export const sessionTimeout: Scenario = {
  name: 'session-timeout',
  source:
    'GroupCoordinatorConfig (min 6000 ms), GroupMetadataManager session expiry, GroupCoordinatorService',
  description:
    'session timeout below the minimum refused; a silent member is evicted after 6 s and the group is Empty',
  timeoutMs: 45_000,
  async run(ctx) {
    const groupId = ctx.name('session');
    const tooShort = await RawMember.create(ctx, groupId, 5999);
    expectError(
      (await tooShort.joinRaw('join-5999ms')).errorCode,
      'INVALID_SESSION_TIMEOUT',
      'session 5999 ms',
    );
    const tooLong = await RawMember.create(ctx, groupId, 1_800_001);
    expectError(
      (await tooLong.joinRaw('join-1800001ms')).errorCode,
      'INVALID_SESSION_TIMEOUT',
      'session 1800001 ms',
    );

    const m = await RawMember.create(ctx, groupId, 6000);
    await m.join('join');
    expectError(
      (await m.sync('sync', [{ memberId: m.memberId, assignment: assignment('x') }])).errorCode,
      'NONE',
      'sync',
    );
    const started = performance.now();
    const evicted = await ctx.until(
      'the silent member to be evicted',
      async () => {
        const g = await describeGroup(ctx, null, groupId);
        return g.groupState === 'Empty' ? g : undefined;
      },
      30_000,
    );
    const after = performance.now() - started;
    ctx.log(`evicted after ${Math.round(after)} ms`);
    assert.ok(after >= 5000, `evicted after ${Math.round(after)} ms, before the 6000 ms session timeout`);
    assert.equal(evicted.members.length, 0);
    await describeGroup(ctx, 'describe-after-eviction', groupId);
    expectError((await m.heartbeat('late-heartbeat')).errorCode, 'UNKNOWN_MEMBER_ID', 'late heartbeat');
  },
};
