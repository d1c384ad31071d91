// KIP-848's online migration (group.consumer.migration.policy, Kafka 4.1's default BIDIRECTIONAL) with
// kafkalab's own consumer against the emulator: a rolling restart of a two-member group from the
// classic protocol to the consumer protocol and back, as a team switching group.protocol would do it.
//  1. two classic members share a 4-partition topic;
//  2. one restarts with groupProtocol 'consumer': the live classic group becomes a consumer group, the
//     other stays in it as a classic-protocol member (JoinGroup/SyncGroup/Heartbeat, memberType 0);
//  3. the other restarts too: a consumer group of two consumer-protocol members;
//  4. back: one restarts as classic (a classic member of the consumer group), then the last
//     consumer-protocol member restarts as classic — the group is downgraded to a classic group.
// After every step the group reads the next batch; over all steps every record is read exactly once
// (each restart commits on close, each revocation commits before giving the partition up) and the
// commits end at the log end. Waits are event-driven (test/support/until.ts), bounded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer, type ConsumerRecord } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { poke, until } from '../support/until.js';

const TOPIC = 'migration-t';
const GROUP = 'migration-g';

interface Member {
  name: string;
  consumer: Consumer;
  seen: ConsumerRecord[];
  error?: unknown;
}

describe('online migration between the classic and the consumer protocol (emulator)', () => {
  let emulator: Emulator;
  let ticker: NodeJS.Timeout;
  const open = new Set<Consumer>();
  const all: Member[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      topics: [{ name: TOPIC, partitions: 4 }],
      groupMinSessionTimeoutMs: 500,
      groupConsumerHeartbeatIntervalMs: 200,
    });
    emulator.hooks.observe('*', poke);
    ticker = setInterval(poke, 50);
  });

  afterEach(async () => {
    await Promise.all([...open].map((c) => c.close({ timeoutMs: 10_000 })));
    open.clear();
  });

  afterAll(async () => {
    clearInterval(ticker);
    await emulator?.stop();
  });

  function start(name: string, groupProtocol: 'classic' | 'consumer'): Member {
    const m: Member = { name, consumer: undefined as unknown as Consumer, seen: [] };
    m.consumer = new Consumer({
      bootstrap: emulator.bootstrap,
      clientId: name,
      groupId: GROUP,
      groupProtocol,
      autoOffsetReset: 'earliest',
      fetchMaxWaitMs: 100,
      autoCommitIntervalMs: 200,
      sessionTimeoutMs: groupProtocol === 'classic' ? 10_000 : undefined,
      heartbeatIntervalMs: groupProtocol === 'classic' ? 200 : undefined,
      listener: { onPartitionsAssigned: () => poke(), onPartitionsRevoked: () => poke() },
    });
    open.add(m.consumer);
    all.push(m);
    m.consumer.subscribe(TOPIC);
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

  async function stop(m: Member): Promise<void> {
    await m.consumer.close();
    open.delete(m.consumer);
  }

  const failed = () => {
    for (const m of all) if (m.error !== undefined) throw m.error;
    return false;
  };
  const partitionsOf = (m: Member) => m.consumer.assignment().length;
  const values = () => all.flatMap((m) => m.seen.map((r) => r.value!.toString()));
  const sent: string[] = [];

  async function produce(prefix: string, n: number): Promise<void> {
    const producer = new Producer({ bootstrap: emulator.bootstrap, clientId: 'migration-producer' });
    const batch = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    try {
      await producer.send({
        topic: TOPIC,
        messages: batch.map((v, i) => ({ value: Buffer.from(v), key: null, partition: i % 4 })),
      });
    } finally {
      await producer.close();
    }
    sent.push(...batch);
  }

  async function readAllOnce(what: string, ...members: Member[]): Promise<void> {
    await until(
      `${what}: two partitions each and ${sent.length} records read`,
      () => failed() || (members.every((m) => partitionsOf(m) === 2) && values().length >= sent.length),
      60_000,
    );
    expect(values().sort()).toEqual([...sent].sort());
  }

  const consumerGroup = () => consumerGroupsOf(emulator.cluster).snapshot(GROUP);
  const classicGroup = () => groupsOf(emulator.cluster).stateOf(GROUP);

  it('classic → consumer (online upgrade) → classic (online downgrade), every record once', async () => {
    const admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
    try {
      // 1. Two classic members.
      await produce('a', 100);
      const a = start('member-a', 'classic');
      const b = start('member-b', 'classic');
      await readAllOnce('classic group', a, b);
      expect(classicGroup()?.state).toBe('Stable');
      const generation = a.consumer.groupMetadata().generationId;

      // 2. b restarts with the consumer protocol: the live classic group (a alone now) is upgraded.
      await stop(b);
      const b2 = start('member-b2', 'consumer');
      await until('the group is a consumer group', () => failed() || consumerGroup() !== undefined);
      expect(classicGroup()).toBeUndefined();
      await produce('b', 100);
      await readAllOnce('upgraded group', a, b2);
      // Reading everything can come before the last member's epoch reaches the target.
      await until('the upgraded group is Stable', () => failed() || consumerGroup()?.state === 'Stable');
      const upgraded = consumerGroup()!;
      expect(upgraded.groupEpoch).toBeGreaterThan(generation);
      expect(upgraded.members.map((m) => m.classic).sort()).toEqual([false, true]);
      const described = await admin.describeGroup(GROUP);
      expect(described?.type).toBe('consumer');
      expect(described?.members.length).toBe(2);
      // The classic member's generation is its member epoch.
      const classicMember = upgraded.members.find((m) => m.classic)!;
      expect(a.consumer.groupMetadata().generationId).toBe(classicMember.memberEpoch);
      expect((await admin.listGroups({ types: ['consumer'] })).map((g) => g.groupId)).toContain(GROUP);

      // 3. a restarts with the consumer protocol too.
      await stop(a);
      const a2 = start('member-a2', 'consumer');
      await produce('c', 100);
      await readAllOnce('consumer group', a2, b2);
      expect(consumerGroup()!.members.map((m) => m.classic)).toEqual([false, false]);

      // 4. Back: b2 restarts as classic (a classic member joins the consumer group) ...
      await stop(b2);
      const b3 = start('member-b3', 'classic');
      await produce('d', 100);
      await readAllOnce('consumer group with a classic member', a2, b3);
      expect(
        consumerGroup()!
          .members.map((m) => m.classic)
          .sort(),
      ).toEqual([false, true]);

      // ... then a2: only a classic member is left, the group is downgraded to a classic group.
      await stop(a2);
      await until('downgraded to a classic group', () => failed() || classicGroup() !== undefined);
      expect(consumerGroup()).toBeUndefined();
      const a3 = start('member-a3', 'classic');
      await produce('e', 100);
      await readAllOnce('downgraded group', a3, b3);
      await until('the downgraded group is Stable', () => failed() || classicGroup()?.state === 'Stable');
      expect((await admin.describeGroup(GROUP))?.type).toBe('classic');
      expect((await admin.listGroups({ types: ['classic'] })).map((g) => g.groupId)).toContain(GROUP);

      expect(new Set(values()).size).toBe(sent.length);
      await stop(a3);
      await stop(b3);
      const lag = await admin.describeLag(GROUP);
      expect(lag.map((l) => l.currentOffset).sort()).toEqual([125n, 125n, 125n, 125n]);
    } finally {
      await admin.close();
    }
  }, 120_000);

  it('the policy decides: DISABLED refuses the upgrade (GROUP_ID_NOT_FOUND), UPGRADE alone never downgrades', async () => {
    const join = (groupId: string, memberId: string, memberEpoch: number) => ({
      groupId,
      memberId,
      memberEpoch,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
      subscribedTopicNames: memberEpoch === 0 ? [TOPIC] : null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: memberEpoch === 0 ? [] : null,
      clientId: 'raw',
      clientHost: '/127.0.0.1',
      apiVersion: 1,
    });
    for (const policy of ['DISABLED', 'UPGRADE'] as const) {
      const em = await startEmulator({
        topics: [{ name: TOPIC, partitions: 4 }],
        groupMinSessionTimeoutMs: 500,
        groupConsumerMigrationPolicy: policy,
      });
      em.hooks.observe('*', poke);
      const classic = new Consumer({
        bootstrap: em.bootstrap,
        groupId: 'policy-g',
        groupProtocol: 'classic',
        heartbeatIntervalMs: 200,
        fetchMaxWaitMs: 100,
        listener: { onPartitionsAssigned: () => poke() },
      });
      try {
        classic.subscribe(TOPIC);
        const running = classic.run({ eachMessage: () => {} });
        await until(
          `${policy}: the classic member has its partitions`,
          () => classic.assignment().length === 4,
        );
        const groups = consumerGroupsOf(em.cluster);
        const c = groups.heartbeat(join('policy-g', 'raw-consumer-member-c', 0));
        if (policy === 'DISABLED') {
          expect(c).toMatchObject({
            errorCode: 69,
            errorMessage:
              'Cannot upgrade classic group policy-g to consumer group because online upgrade is disabled.',
          });
          expect(groupsOf(em.cluster).stateOf('policy-g')?.state).toBe('Stable');
        } else {
          expect(c.errorCode).toBe(0);
          expect(groups.heartbeat(join('policy-g', 'raw-consumer-member-c', -1)).errorCode).toBe(0);
          // Only the classic member is left, but DOWNGRADE is not allowed: still a consumer group.
          expect(groups.snapshot('policy-g')?.members.map((m) => m.classic)).toEqual([true]);
          expect(groupsOf(em.cluster).stateOf('policy-g')).toBeUndefined();
          // ... and the classic member keeps consuming in it: it rejoins and syncs its assignment.
          await until('the classic member holds all four partitions again', () => {
            const m = groups.snapshot('policy-g')?.members[0];
            return (
              m !== undefined &&
              m.memberEpoch === groups.snapshot('policy-g')!.groupEpoch &&
              classic.assignment().length === 4
            );
          });
        }
        await classic.close();
        await running.catch(() => {});
      } finally {
        await classic.close().catch(() => {});
        await em.stop();
      }
    }
  }, 60_000);

  it('a classic JoinGroup to an Empty consumer group: a bad session timeout is refused first, then the id goes to a classic group', async () => {
    const groups = consumerGroupsOf(emulator.cluster);
    const beat = (memberEpoch: number) =>
      groups.heartbeat({
        groupId: 'empty-g',
        memberId: 'raw-consumer-member-e',
        memberEpoch,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: memberEpoch === 0 ? 30_000 : -1,
        subscribedTopicNames: memberEpoch === 0 ? [TOPIC] : null,
        subscribedTopicRegex: null,
        serverAssignor: null,
        topicPartitions: memberEpoch === 0 ? [] : null,
        clientId: 'raw',
        clientHost: '/127.0.0.1',
        apiVersion: 1,
      });
    expect(beat(0).errorCode).toBe(0);
    expect(beat(-1).errorCode).toBe(0);
    expect(groups.snapshot('empty-g')?.state).toBe('Empty');
    const join = (sessionTimeoutMs: number) =>
      groups.classicMembers.join({
        groupId: 'empty-g',
        memberId: '',
        groupInstanceId: null,
        clientId: 'raw',
        clientHost: '/127.0.0.1',
        sessionTimeoutMs,
        rebalanceTimeoutMs: 30_000,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: new Uint8Array([0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) }],
        requireKnownMemberId: true,
        skipAssignmentSupported: true,
      });
    expect(join(1)?.errorCode).toBe(26);
    expect(groups.snapshot('empty-g')).toBeDefined();
    expect(join(10_000)).toBeUndefined();
    expect(groups.snapshot('empty-g')).toBeUndefined();
  });
});
