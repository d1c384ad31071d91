// kafkalab's consumer with groupProtocol 'consumer' (KIP-848) on the in-process emulator: two members
// share a topic and every record is consumed once; a member that leaves hands its partitions to the
// other; one that goes silent is fenced after the broker's session timeout (the emulator's
// ManualClock moves time, no sleeping); a regex subscription picks up a topic created later;
// commits carry the member epoch (OffsetCommit v9). Waits are event-driven and bounded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer, type ConsumerRecord, type TopicPartition } from '../../src/client/consumer/index.js';
import type { Exchange } from '../../src/emulator/hooks.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { poke, produce, until } from './consumer-support.js';

let emulator: Emulator;
const clock = new ManualClock(Date.now());
const exchanges: Exchange[] = [];
const open = new Set<Consumer>();

beforeAll(async () => {
  emulator = await startEmulator({
    clock,
    topics: [
      { name: 'kip848-share', partitions: 4 },
      { name: 'kip848-leave', partitions: 4 },
      { name: 'kip848-kill', partitions: 4 },
    ],
    groupConsumerHeartbeatIntervalMs: 100,
  });
  emulator.hooks.observe('*', (e) => {
    exchanges.push(e);
    poke();
  });
});

afterEach(async () => {
  await Promise.all([...open].map((c) => c.close({ timeoutMs: 5_000 })));
  open.clear();
});

afterAll(async () => {
  await emulator?.stop();
});

interface Member {
  consumer: Consumer;
  seen: ConsumerRecord[];
  revoked: TopicPartition[][];
  assigned: TopicPartition[][];
  lost: TopicPartition[][];
  error?: unknown;
}

function startMember(
  groupId: string,
  subscription: Parameters<Consumer['subscribe']>[0],
  opts: { clientId?: string; groupRemoteAssignor?: string } = {},
): Member {
  const m: Member = {
    consumer: undefined as unknown as Consumer,
    seen: [],
    revoked: [],
    assigned: [],
    lost: [],
  };
  m.consumer = new Consumer({
    bootstrap: emulator.bootstrap,
    clientId: opts.clientId ?? 'kip848-member',
    groupId,
    groupProtocol: 'consumer',
    groupRemoteAssignor: opts.groupRemoteAssignor,
    autoOffsetReset: 'earliest',
    fetchMaxWaitMs: 100,
    autoCommitIntervalMs: 200,
    retry: { retries: 3, initialBackoffMs: 50, maxBackoffMs: 200 },
    listener: {
      onPartitionsAssigned: (ps) => {
        m.assigned.push(ps);
        poke();
      },
      onPartitionsRevoked: (ps) => {
        m.revoked.push(ps);
        poke();
      },
      onPartitionsLost: (ps) => {
        m.lost.push(ps);
        poke();
      },
    },
  });
  open.add(m.consumer);
  m.consumer.subscribe(subscription);
  m.consumer
    .run({
      eachMessage: (r) => {
        m.seen.push(r);
        poke();
      },
    })
    .catch((err) => {
      m.error = err;
      poke();
    });
  return m;
}

const failed = (...ms: Member[]) => {
  for (const m of ms) if (m.error !== undefined) throw m.error;
  return false;
};
const partitionsOf = (m: Member) =>
  m.consumer
    .assignment()
    .map((p) => p.partition)
    .sort();
const values = (ms: Member[]) => ms.flatMap((m) => m.seen.map((r) => r.value!.toString()));

async function produceN(topic: string, prefix: string, n: number): Promise<string[]> {
  const messages = Array.from({ length: n }, (_, i) => ({ value: `${prefix}-${i}`, partition: i % 4 }));
  await produce(emulator, topic, messages);
  return messages.map((m) => m.value);
}

async function committed(groupId: string, topic: string): Promise<(bigint | null)[]> {
  const admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
  try {
    const lag = await admin.describeLag(groupId);
    return [0, 1, 2, 3].map(
      (p) => lag.find((l) => l.topic === topic && l.partition === p)?.currentOffset ?? null,
    );
  } finally {
    await admin.close();
  }
}

describe("groupProtocol 'consumer' against the emulator", () => {
  it('two members share a topic: the second gets half of the partitions only after the first revoked them, every record once, commits at the log end', async () => {
    const topic = 'kip848-share';
    const group = 'kip848-share-g';
    const before = await produceN(topic, 'a', 200);
    const first = startMember(group, topic, { clientId: 'share-1' });
    await until(
      'the first member has all four partitions and read everything',
      () => failed(first) || (partitionsOf(first).length === 4 && first.seen.length === 200),
    );
    expect(first.consumer.groupMetadata().generationId).toBeGreaterThan(0);
    const second = startMember(group, topic, { clientId: 'share-2' });
    await until(
      'two partitions each',
      () => failed(first, second) || (partitionsOf(first).length === 2 && partitionsOf(second).length === 2),
    );
    expect(first.revoked.flat()).toHaveLength(2);
    const after = await produceN(topic, 'b', 200);
    await until(
      '400 records between them',
      () => failed(first, second) || values([first, second]).length >= 400,
    );
    expect(values([first, second]).sort()).toEqual([...before, ...after].sort());
    // No partition was read by both at once: each of the second's partitions' records came after the
    // first gave it up, so every record once.
    expect(new Set(values([first, second])).size).toBe(400);

    // The broker's view: one group epoch, both members at it, no partition pending.
    const snap = consumerGroupsOf(emulator.cluster).snapshot(group)!;
    expect(snap.state).toBe('Stable');
    expect(snap.members.map((m) => m.memberEpoch)).toEqual([snap.groupEpoch, snap.groupEpoch]);
    // Commits carried the member id and epoch (OffsetCommit v9+).
    const commits = exchanges.filter((e) => e.api.name === 'OffsetCommit' && e.request.groupId === group);
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.every((e) => e.version >= 9 && e.request.generationIdOrMemberEpoch > 0)).toBe(true);
    // So did the fetches of committed offsets (OffsetFetch v9+, as Java's consumer), each as a member
    // the coordinator knew at an epoch it had given it.
    const memberIds = new Set(snap.members.map((m) => m.memberId));
    const fetches = exchanges.filter(
      (e) => e.api.name === 'OffsetFetch' && e.request.groups?.[0]?.groupId === group,
    );
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    for (const f of fetches) {
      expect(f.version).toBeGreaterThanOrEqual(9);
      expect(memberIds.has(f.request.groups[0].memberId)).toBe(true);
      expect(f.request.groups[0].memberEpoch).toBeGreaterThan(0);
      expect(f.response?.body.groups[0].errorCode).toBe(0);
    }
    await Promise.all([first.consumer.close(), second.consumer.close()]);
    expect(await committed(group, topic)).toEqual([100n, 100n, 100n, 100n]);
    expect(consumerGroupsOf(emulator.cluster).snapshot(group)!.state).toBe('Empty');
  });

  it('a member that leaves (close) hands its partitions to the other at once', async () => {
    const topic = 'kip848-leave';
    const group = 'kip848-leave-g';
    const a = startMember(group, topic, { clientId: 'leave-a', groupRemoteAssignor: 'range' });
    await until('a has all', () => failed(a) || partitionsOf(a).length === 4);
    const b = startMember(group, topic, { clientId: 'leave-b', groupRemoteAssignor: 'range' });
    await until(
      'two each',
      () => failed(a, b) || (partitionsOf(a).length === 2 && partitionsOf(b).length === 2),
    );
    const sent = await produceN(topic, 'l', 40);
    await until('40 records', () => failed(a, b) || values([a, b]).length === 40);
    expect(consumerGroupsOf(emulator.cluster).snapshot(group)!.assignor).toBe('range');
    await a.consumer.close();
    const heartbeats = exchanges.filter(
      (e) =>
        e.api.name === 'ConsumerGroupHeartbeat' &&
        e.request.groupId === group &&
        e.request.memberEpoch === -1,
    );
    expect(heartbeats).toHaveLength(1);
    await until('b has all four', () => failed(b) || partitionsOf(b).length === 4);
    const more = await produceN(topic, 'm', 40);
    await until('b read the next 40', () => failed(b) || b.seen.length >= 20 + 40);
    expect(values([a, b]).sort()).toEqual([...sent, ...more].sort());
  });

  it('a member that goes silent is fenced after group.consumer.session.timeout.ms (45 s on the cluster clock); the other takes its partitions', async () => {
    const topic = 'kip848-kill';
    const group = 'kip848-kill-g';
    const live = startMember(group, topic, { clientId: 'kill-live' });
    await until('live has all', () => failed(live) || partitionsOf(live).length === 4);
    const silent = startMember(group, topic, { clientId: 'kill-silent' });
    await until(
      'two each',
      () => failed(live, silent) || (partitionsOf(live).length === 2 && partitionsOf(silent).length === 2),
    );
    // The silent member's connections are closed on every request from now on: to the broker it is gone.
    const cut = emulator.hooks.intercept('*', (e) =>
      e.header.clientId === 'kill-silent' ? 'close' : undefined,
    );
    try {
      const liveHeartbeats = () =>
        exchanges.filter((e) => e.api.name === 'ConsumerGroupHeartbeat' && e.header.clientId === 'kill-live')
          .length;
      // Three steps of 15 s (45 s: the session timeout), each after a heartbeat of the live member: its session never runs out.
      for (let step = 0; step < 3; step++) {
        const seen = liveHeartbeats();
        await until('a heartbeat of the live member', () => failed(live) || liveHeartbeats() > seen);
        expect(partitionsOf(live).length).toBe(2);
        clock.advance(15_000);
      }
      await until('live has all four again', () => failed(live) || partitionsOf(live).length === 4);
      const snap = consumerGroupsOf(emulator.cluster).snapshot(group)!;
      expect(snap.members).toHaveLength(1);
      const sent = await produceN(topic, 'k', 40);
      await until('live reads them all', () => failed(live) || sent.every((v) => values([live]).includes(v)));
    } finally {
      cut.remove();
    }
    // Back on the network, the fenced member learns it (UNKNOWN_MEMBER_ID): lost, not revoked; it rejoins.
    await until('the silent member lost its partitions', () => silent.lost.length > 0);
    expect(silent.lost[0]).toHaveLength(2);
    await until(
      'two each again',
      () => failed(live, silent) || (partitionsOf(live).length === 2 && partitionsOf(silent).length === 2),
    );
  });

  it('a topicPattern subscription gets the matching topics and picks up one created later', async () => {
    const group = 'kip848-regex-g';
    const admin = new Admin({ bootstrap: emulator.bootstrap });
    try {
      await admin.createTopics({ topics: [{ topic: 'rx-orders', numPartitions: 2 }] });
      const m = startMember(group, { topicPattern: /rx-.*/ }, { clientId: 'regex' });
      await until('the pattern resolved', () => {
        clock.advance(0); // the broker resolves regexes off the heartbeat path, at 0 ms on its clock
        return failed(m) || m.consumer.assignment().length === 2;
      });
      await admin.createTopics({ topics: [{ topic: 'rx-payments', numPartitions: 1 }] });
      // Kafka resolves a group's regexes at most once per 10 s: the next heartbeat past that does.
      clock.advance(10_001);
      await until('the new topic picked up', () => {
        clock.advance(0);
        return failed(m) || m.consumer.assignment().length === 3;
      });
      expect(
        m.consumer
          .assignment()
          .map((p) => `${p.topic}-${p.partition}`)
          .sort(),
      ).toEqual(['rx-orders-0', 'rx-orders-1', 'rx-payments-0']);
      const heartbeat = exchanges.find(
        (e) => e.api.name === 'ConsumerGroupHeartbeat' && e.request.groupId === group,
      );
      expect(heartbeat?.request.subscribedTopicRegex).toBe('rx-.*');
    } finally {
      await admin.close();
    }
  });

  it('clear errors: a pattern with the classic protocol, an unknown assignor from the broker', async () => {
    const classic = new Consumer({ bootstrap: emulator.bootstrap, groupId: 'x' });
    open.add(classic);
    expect(() => classic.subscribe({ topicPattern: 'a.*' })).toThrow(/needs groupProtocol 'consumer'/);
    expect(
      () => new Consumer({ bootstrap: emulator.bootstrap, groupId: 'x', groupProtocol: 'eager' as never }),
    ).toThrow(/groupProtocol must be 'classic' or 'consumer'/);
    const m = startMember('kip848-bad-assignor', 'kip848-share', { groupRemoteAssignor: 'sticky' });
    await until('the run fails', () => m.error !== undefined);
    expect(String(m.error)).toMatch(/UNSUPPORTED_ASSIGNOR/);
  });
});
