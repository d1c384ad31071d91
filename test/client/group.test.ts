// kafkalab's consumer in groups on the in-process emulator: groups of 1, 2 and 3 on a 2-partition
// topic (issue 4, "Proof"), committed offsets surviving an Empty group, auto.offset.reset. Waits are
// event-driven (consumer-support.ts) and bounded.
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { type Assignor, rangeAssignor } from '../../src/client/assignors/index.js';
import { Consumer, type ConsumerRecord, NoOffsetForPartitionError } from '../../src/client/consumer/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { FAST_GROUP, poke, produce, startTestEmulator, until } from './consumer-support.js';

const TOPIC = 'groups-2p';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startTestEmulator([
    { name: TOPIC, partitions: 2 },
    { name: 'reset-1p', partitions: 1 },
  ]);
  const messages = Array.from({ length: 20 }, (_, i) => ({ value: `m${i}`, partition: i % 2 }));
  await produce(emulator, TOPIC, messages);
});

afterAll(async () => {
  await emulator?.stop();
});

interface Member {
  consumer: Consumer;
  seen: ConsumerRecord[];
  assignments: number;
  done: Promise<void>;
}

function startMember(
  groupId: string,
  opts: { assignors?: Assignor[]; autoOffsetReset?: 'earliest' | 'latest' | 'none' } = {},
): Member {
  const m: Member = {
    consumer: undefined as unknown as Consumer,
    seen: [],
    assignments: 0,
    done: Promise.resolve(),
  };
  m.consumer = new Consumer({
    bootstrap: emulator.bootstrap,
    groupId,
    ...FAST_GROUP,
    autoOffsetReset: opts.autoOffsetReset ?? 'earliest',
    assignors: opts.assignors ?? [rangeAssignor],
    listener: {
      onPartitionsAssigned: () => {
        m.assignments++;
        poke();
      },
      onPartitionsRevoked: () => poke(),
    },
  });
  m.consumer.subscribe([TOPIC]);
  m.done = m.consumer.run({
    eachMessage: (r) => {
      m.seen.push(r);
      poke();
    },
  });
  m.done.catch(() => undefined);
  return m;
}

const partitionsOf = (m: Member) =>
  m.consumer
    .assignment()
    .map((p) => p.partition)
    .sort();
const stableGeneration = (members: Member[]) => {
  const gens = new Set(members.map((m) => m.consumer.groupMetadata().generationId));
  return gens.size === 1 && !gens.has(-1);
};

describe('consumer groups of 1, 2 and 3 on a 2-partition topic', () => {
  it('one member gets both partitions and reads every record once, in order per partition', async () => {
    const a = startMember('g-one');
    try {
      await until('20 records', () => a.seen.length >= 20);
      expect(partitionsOf(a)).toEqual([0, 1]);
      for (const p of [0, 1]) {
        const offsets = a.seen.filter((r) => r.partition === p).map((r) => r.offset);
        expect(offsets).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
      }
      expect(a.seen.filter((r) => r.partition === 0).map((r) => r.value!.toString())).toEqual(
        Array.from({ length: 10 }, (_, i) => `m${2 * i}`),
      );
    } finally {
      await a.consumer.close();
    }
  });

  it('two members get one partition each; a third is idle; all in one generation', async () => {
    const a = startMember('g-three');
    const b = startMember('g-three');
    try {
      await until(
        'two members with one partition each',
        () => stableGeneration([a, b]) && partitionsOf(a).length === 1 && partitionsOf(b).length === 1,
      );
      expect([...partitionsOf(a), ...partitionsOf(b)].sort()).toEqual([0, 1]);
      const c = startMember('g-three');
      try {
        await until(
          'three members in one generation',
          () =>
            stableGeneration([a, b, c]) &&
            partitionsOf(a).length + partitionsOf(b).length + partitionsOf(c).length === 2,
        );
        const sizes = [a, b, c].map((m) => partitionsOf(m).length).sort();
        expect(sizes).toEqual([0, 1, 1]);
        // The range assignor gives the partitions to the first two member ids in sorted order.
        const byId = [a, b, c].sort((x, y) =>
          x.consumer.groupMetadata().memberId < y.consumer.groupMetadata().memberId ? -1 : 1,
        );
        expect(partitionsOf(byId[0])).toEqual([0]);
        expect(partitionsOf(byId[1])).toEqual([1]);
        expect(partitionsOf(byId[2])).toEqual([]);
      } finally {
        await c.consumer.close();
      }
      // The idle member left: the two remaining still own one partition each.
      await until(
        'two members again',
        () => stableGeneration([a, b]) && partitionsOf(a).length === 1 && partitionsOf(b).length === 1,
      );
      // Every record read at least once by the group, and with commit-on-revoke never twice.
      await until('all 20 records', () => a.seen.length + b.seen.length >= 20);
      const keys = [...a.seen, ...b.seen].map((r) => `${r.partition}/${r.offset}`);
      expect(new Set(keys).size).toBe(20);
      expect(keys.length).toBe(20);
    } finally {
      await Promise.all([a.consumer.close(), b.consumer.close()]);
    }
  });
});

describe('a follower joining', () => {
  it('keeps the generation it joined: its first metadata look is not taken for a partition change', async () => {
    // A follower had never needed the topic's metadata before SyncGroup; the consumer's metadata
    // watch (partitions added → rejoin) used to read the missing count as a change and rejoin at
    // once, so every group of two or more rebalanced a second time (seconds, in the experiment).
    const a = startMember('g-follower');
    let b: Consumer | undefined;
    try {
      await until('the first member owns both partitions', () => partitionsOf(a).length === 2);
      const before = a.consumer.groupMetadata().generationId;
      let joins = 0;
      let metadataSinceAssigned = 0;
      let assigned = false;
      const hooks = [
        // Counted as they arrive: a JoinGroup is answered only when the whole group has rejoined.
        emulator.hooks.intercept(11, (e) => {
          if (e.header.clientId === 'follower-b') joins++;
          return undefined;
        }),
        emulator.hooks.observe(3, (e) => {
          if (e.header.clientId === 'follower-b' && assigned) metadataSinceAssigned++;
        }),
      ];
      try {
        const follower = new Consumer({
          bootstrap: emulator.bootstrap,
          groupId: 'g-follower',
          clientId: 'follower-b',
          ...FAST_GROUP,
          metadataMaxAgeMs: 150,
          assignors: [rangeAssignor],
          listener: {
            onPartitionsAssigned: () => {
              assigned = true;
              poke();
            },
          },
        });
        b = follower;
        follower.subscribe([TOPIC]);
        follower.run({ eachMessage: () => undefined }).catch(() => undefined);
        // Two rounds of the metadata watch after the follower's first assignment: a rejoin caused
        // by the first would have been sent before the second.
        await until('two metadata checks by the assigned follower', () => metadataSinceAssigned >= 2);
        // One rebalance for the follower's arrival: its JoinGroup refused with MEMBER_ID_REQUIRED,
        // then the one that completes the next generation. No third.
        expect(joins).toBe(2);
        expect(follower.groupMetadata().generationId).toBe(before + 1);
        expect(a.consumer.groupMetadata().generationId).toBe(before + 1);
        expect([...partitionsOf(a), ...follower.assignment().map((p) => p.partition)].sort()).toEqual([0, 1]);
      } finally {
        for (const h of hooks) h.remove();
      }
    } finally {
      await Promise.all([a.consumer.close(), b?.close()]);
    }
  });
});

describe('committed offsets', () => {
  it('survive the group going empty: a new member resumes after the last commit', async () => {
    const a = startMember('g-resume');
    await until('20 records', () => a.seen.length >= 20);
    await a.consumer.close(); // commits (auto-commit on revoke) and leaves: the group is Empty
    await produce(emulator, TOPIC, [
      { value: 'late-0', partition: 0 },
      { value: 'late-1', partition: 1 },
    ]);
    const b = startMember('g-resume');
    try {
      await until('the 2 new records', () => b.seen.length >= 2);
      expect(b.seen.map((r) => r.value!.toString()).sort()).toEqual(['late-0', 'late-1']);
      const committed = await b.consumer.committed([{ topic: TOPIC, partition: 0 }]);
      expect([...committed.values()][0].offset).toBeGreaterThanOrEqual(10n);
    } finally {
      await b.consumer.close();
    }
  });
});

describe('auto.offset.reset', () => {
  it('earliest reads from the start, latest only what comes after, none fails with NoOffsetForPartition', async () => {
    await produce(emulator, 'reset-1p', [{ value: 'old', partition: 0 }]);
    const earliest = new Consumer({
      bootstrap: emulator.bootstrap,
      groupId: 'r-earliest',
      ...FAST_GROUP,
      autoOffsetReset: 'earliest',
    });
    const latest = new Consumer({
      bootstrap: emulator.bootstrap,
      groupId: 'r-latest',
      ...FAST_GROUP,
      autoOffsetReset: 'latest',
    });
    const none = new Consumer({
      bootstrap: emulator.bootstrap,
      groupId: 'r-none',
      ...FAST_GROUP,
      autoOffsetReset: 'none',
    });
    try {
      const seenE: string[] = [];
      const seenL: string[] = [];
      earliest.subscribe('reset-1p');
      latest.subscribe('reset-1p');
      none.subscribe('reset-1p');
      earliest
        .run({
          eachMessage: (r) => {
            seenE.push(r.value!.toString());
            poke();
          },
        })
        .catch(() => undefined);
      // `latest` must have its position before the new record is produced: wait for its assignment.
      latest
        .run({
          eachMessage: (r) => {
            seenL.push(r.value!.toString());
            poke();
          },
        })
        .catch(() => undefined);
      await until(
        'latest has a position',
        () => latest.position({ topic: 'reset-1p', partition: 0 }) !== null,
      );
      await produce(emulator, 'reset-1p', [{ value: 'new', partition: 0 }]);
      await until('both read "new"', () => seenE.includes('new') && seenL.includes('new'));
      expect(seenE).toEqual(['old', 'new']);
      expect(seenL).toEqual(['new']);
      await expect(none.run({ eachMessage: () => undefined })).rejects.toBeInstanceOf(
        NoOffsetForPartitionError,
      );
    } finally {
      await Promise.all([earliest.close(), latest.close(), none.close()]);
    }
  });
});

describe('GroupAdmin', () => {
  it('describes a kafkajs member (its v0 subscription and assignment decoded) and refuses to delete a live group', async () => {
    const kafka = new Kafka({
      clientId: 'kj-describe',
      brokers: [emulator.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const kj = kafka.consumer({
      groupId: 'admin-g',
      sessionTimeout: 6_000,
      heartbeatInterval: 100,
      maxWaitTimeInMs: 100,
    });
    let joined = false;
    kj.on(kj.events.GROUP_JOIN, () => {
      joined = true;
      poke();
    });
    const admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
    try {
      await kj.connect();
      await kj.subscribe({ topic: TOPIC, fromBeginning: true });
      await kj.run({ eachMessage: async () => undefined });
      await until('kafkajs joined', () => joined);
      const listed = await admin.listGroups();
      expect(listed.find((g) => g.groupId === 'admin-g')?.protocolType).toBe('consumer');
      const [d] = await admin.describeGroups(['admin-g']);
      expect(d.state).toBe('Stable');
      expect(d.protocol).toBe('RoundRobinAssigner');
      expect(d.members).toHaveLength(1);
      expect(d.members[0].clientId).toBe('kj-describe');
      expect(d.members[0].subscription?.topics).toEqual([TOPIC]);
      expect(d.members[0].assignment).toEqual([{ topic: TOPIC, partitions: [0, 1] }]);
      const [del] = await admin.deleteGroups(['admin-g']);
      expect(del.error?.type).toBe('NON_EMPTY_GROUP');
    } finally {
      await kj.disconnect();
      await admin.close();
    }
  });
});
