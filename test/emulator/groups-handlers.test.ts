// The group and offset handlers at every version they serve: request encoded at version v, decoded,
// handled, the response encoded at v and decoded back — so a value a version cannot carry (a null
// protocolName before JoinGroup v7) fails here. Expected codes: broker-behaviour.md §1.10.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/emulator/cluster.js';
import { resolveConfig } from '../../src/emulator/config.js';
import type { Handler, HandlerContext } from '../../src/emulator/handler.js';
import offsetCommit from '../../src/emulator/handlers/08-offset-commit.js';
import offsetFetch from '../../src/emulator/handlers/09-offset-fetch.js';
import findCoordinator from '../../src/emulator/handlers/10-find-coordinator.js';
import joinGroup from '../../src/emulator/handlers/11-join-group.js';
import heartbeat from '../../src/emulator/handlers/12-heartbeat.js';
import leaveGroup from '../../src/emulator/handlers/13-leave-group.js';
import syncGroup from '../../src/emulator/handlers/14-sync-group.js';
import describeGroups from '../../src/emulator/handlers/15-describe-groups.js';
import listGroups from '../../src/emulator/handlers/16-list-groups.js';
import deleteGroups from '../../src/emulator/handlers/42-delete-groups.js';
import { codecFor } from '../../src/protocol/schema/codec.js';
import type { ApiSpec, MessageInput, MessageValue } from '../../src/protocol/schema/declare.js';

function makeCluster(): Cluster {
  const cluster = new Cluster(resolveConfig({ topics: [{ name: 't', partitions: 2 }] }));
  cluster.broker = { nodeId: 0, host: '127.0.0.1', port: 19092 };
  return cluster;
}

/** Runs one request through a handler with both bodies crossing the wire codec at `version`. */
async function call<A extends ApiSpec>(
  cluster: Cluster,
  handler: Handler<A>,
  version: number,
  request: MessageInput<A['request']>,
  signal: AbortSignal = new AbortController().signal,
): Promise<MessageValue<A['response']>> {
  const decodedRequest = codecFor(handler.api.request, version).decode(
    codecFor(handler.api.request, version).encode(request),
  );
  const ctx: HandlerContext = {
    cluster,
    config: cluster.config,
    broker: cluster.broker,
    connection: { id: 1, remote: '127.0.0.1:51234', clientId: 'tester' },
    header: {
      requestApiKey: handler.api.apiKey,
      requestApiVersion: version,
      correlationId: 1,
      clientId: 'tester',
    } as HandlerContext['header'],
    version,
    signal,
    served: [],
    now: () => Date.now(),
    log: () => {},
  };
  const response = await handler.handle(decodedRequest as any, ctx);
  if (typeof response === 'symbol') throw new Error('no response');
  const codec = codecFor(handler.api.response, version);
  return codec.decode(codec.encode(response as any)) as MessageValue<A['response']>;
}

const range = [{ name: 'range', metadata: new Uint8Array([0, 1, 2]) }];

describe('a whole group lifecycle at every version', () => {
  for (let v = 0; v <= 9; v++) {
    it(`JoinGroup v${v} with matching Sync/Heartbeat/Leave/OffsetCommit/OffsetFetch versions`, async () => {
      const cluster = makeCluster();
      const sv = Math.min(v, 5);
      const hv = Math.min(v, 4);
      const join = (memberId: string) =>
        call(cluster, joinGroup, v, {
          groupId: 'g',
          sessionTimeoutMs: 10_000,
          rebalanceTimeoutMs: 20_000,
          memberId,
          protocolType: 'consumer',
          protocols: range,
        });
      let j = await join('');
      if (v >= 4) {
        expect(j.errorCode).toBe(79);
        expect(j.memberId).toMatch(/^tester-/);
        j = await join(j.memberId);
      }
      expect(j.errorCode).toBe(0);
      expect(j.generationId).toBe(1);
      expect(j.leader).toBe(j.memberId);
      expect(j.protocolName).toBe('range');
      if (v >= 7) expect(j.protocolType).toBe('consumer');
      expect(j.members.map((m) => [m.memberId, [...m.metadata]])).toEqual([[j.memberId, [0, 1, 2]]]);

      const s = await call(cluster, syncGroup, sv, {
        groupId: 'g',
        generationId: 1,
        memberId: j.memberId,
        assignments: [{ memberId: j.memberId, assignment: new Uint8Array([9]) }],
      });
      expect(s.errorCode).toBe(0);
      expect([...s.assignment]).toEqual([9]);
      if (sv >= 5) expect(s.protocolName).toBe('range');

      const hb = await call(cluster, heartbeat, hv, { groupId: 'g', generationId: 1, memberId: j.memberId });
      expect(hb.errorCode).toBe(0);
      const stale = await call(cluster, heartbeat, hv, {
        groupId: 'g',
        generationId: 0,
        memberId: j.memberId,
      });
      expect(stale.errorCode).toBe(22);

      const cv = v; // OffsetCommit spans 0-9 too
      const commit = await call(cluster, offsetCommit, cv, {
        groupId: 'g',
        generationIdOrMemberEpoch: 1,
        memberId: j.memberId,
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 1, committedOffset: 123n, committedLeaderEpoch: 0, committedMetadata: 'x' },
            ],
          },
        ],
      });
      // v0 has no member or generation: the simple path, refused while the group has members.
      expect(commit.topics[0].partitions[0].errorCode).toBe(cv === 0 ? 25 : 0);

      const fv = Math.max(v, 1);
      const fetched = await call(
        cluster,
        offsetFetch,
        fv,
        fv >= 8
          ? { groups: [{ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] }] }
          : { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }] },
      );
      const partitions = fv >= 8 ? fetched.groups[0].topics[0].partitions : fetched.topics[0].partitions;
      expect(partitions.map((p) => p.committedOffset)).toEqual([-1n, cv === 0 ? -1n : 123n]);

      const leave = await call(
        cluster,
        leaveGroup,
        sv,
        sv >= 3
          ? { groupId: 'g', members: [{ memberId: j.memberId, groupInstanceId: null }] }
          : { groupId: 'g', memberId: j.memberId },
      );
      expect(leave.errorCode).toBe(0);
      const again = await call(
        cluster,
        leaveGroup,
        sv,
        sv >= 3
          ? { groupId: 'g', members: [{ memberId: j.memberId, groupInstanceId: null }] }
          : { groupId: 'g', memberId: j.memberId },
      );
      if (sv >= 3) expect(again.members[0].errorCode).toBe(25);
      else expect(again.errorCode).toBe(25);
    });
  }

  it('an error before JoinGroup v7 carries an empty protocol name, not null', async () => {
    const cluster = makeCluster();
    for (let v = 0; v <= 9; v++) {
      const r = await call(cluster, joinGroup, v, {
        groupId: '',
        sessionTimeoutMs: 10_000,
        memberId: '',
        protocolType: 'consumer',
        protocols: range,
      });
      expect(r.errorCode).toBe(24);
      expect(r.protocolName).toBe(v >= 7 ? null : '');
    }
  });
});

describe('FindCoordinator', () => {
  it('names this broker for any group or transactional id, one key (v0-3) or a batch (v4+)', async () => {
    const cluster = makeCluster();
    for (let v = 0; v <= 3; v++) {
      const r = await call(cluster, findCoordinator, v, { key: 'g', keyType: v >= 1 ? 1 : 0 });
      expect([r.errorCode, r.nodeId, r.host, r.port]).toEqual([0, 0, '127.0.0.1', 19092]);
    }
    for (let v = 4; v <= 6; v++) {
      const r = await call(cluster, findCoordinator, v, { keyType: 0, coordinatorKeys: ['a', 'b'] });
      expect(r.coordinators.map((c) => [c.key, c.nodeId, c.port, c.errorCode])).toEqual([
        ['a', 0, 19092, 0],
        ['b', 0, 19092, 0],
      ]);
    }
    const bad = await call(cluster, findCoordinator, 4, { keyType: 7, coordinatorKeys: ['a'] });
    expect(bad.coordinators[0].errorCode).toBe(42);
  });
});

describe('admin: DescribeGroups, ListGroups, DeleteGroups', () => {
  it('describes, lists and deletes across versions', async () => {
    const cluster = makeCluster();
    const j = await call(cluster, joinGroup, 3, {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      protocolType: 'consumer',
      protocols: range,
    });
    await call(cluster, syncGroup, 3, {
      groupId: 'g',
      generationId: j.generationId,
      memberId: j.memberId,
      assignments: [{ memberId: j.memberId, assignment: new Uint8Array([5]) }],
    });
    for (let v = 0; v <= 5; v++) {
      const d = await call(cluster, describeGroups, v, {
        groups: ['g', 'missing'],
        includeAuthorizedOperations: v >= 3,
      });
      expect(d.groups.map((g) => [g.groupId, g.groupState, g.protocolType, g.protocolData])).toEqual([
        ['g', 'Stable', 'consumer', 'range'],
        ['missing', 'Dead', '', ''],
      ]);
      expect(d.groups[0].members[0]).toMatchObject({
        memberId: j.memberId,
        clientId: 'tester',
        clientHost: '/127.0.0.1',
      });
      expect([...d.groups[0].members[0].memberAssignment]).toEqual([5]);
      if (v >= 3) expect(d.groups[0].authorizedOperations).toBe(328);
    }
    for (let v = 0; v <= 5; v++) {
      const l = await call(cluster, listGroups, v, {
        statesFilter: v >= 4 ? ['stable'] : [],
        typesFilter: [],
      });
      expect(l.groups.map((g) => g.groupId)).toEqual(['g']);
      if (v >= 4) expect(l.groups[0].groupState).toBe('Stable');
      if (v >= 5) expect(l.groups[0].groupType).toBe('classic');
    }
    expect((await call(cluster, listGroups, 4, { statesFilter: ['Empty'] })).groups).toEqual([]);
    const refused = await call(cluster, deleteGroups, 2, { groupsNames: ['g', 'nope'] });
    expect(refused.results.map((r) => r.errorCode)).toEqual([68, 69]);
    await call(cluster, leaveGroup, 0, { groupId: 'g', memberId: j.memberId });
    for (let v = 0; v <= 2; v++) {
      const r = await call(cluster, deleteGroups, v, { groupsNames: ['g'] });
      expect(r.results[0].errorCode).toBe(v === 0 ? 0 : 69);
    }
  });

  it('a JoinGroup parked when its connection closes ends without hanging', async () => {
    const cluster = makeCluster();
    const first = await call(cluster, joinGroup, 3, {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      protocolType: 'consumer',
      protocols: range,
    });
    expect(first.errorCode).toBe(0);
    const abort = new AbortController();
    const parked = call(
      cluster,
      joinGroup,
      3,
      {
        groupId: 'g',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        memberId: '',
        protocolType: 'consumer',
        protocols: range,
      },
      abort.signal,
    );
    abort.abort();
    expect((await parked).errorCode).toBe(15);
    cluster.stop();
  });
});
