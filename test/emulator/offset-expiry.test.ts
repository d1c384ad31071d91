// Committed-offset expiry (offsets.retention.minutes, checked every offsets.retention.check.interval.ms)
// on the cluster's ManualClock, through kafkalab's clients over TCP. Expected behaviour is Kafka's
// GroupCoordinatorShard.cleanupGroupMetadata / OffsetMetadataManager.cleanupExpiredOffsets with each
// group kind's offsetExpirationCondition:
// - a simple group (admin commits, no members): from each commit;
// - a classic group: while Stable only topics no member subscribes to, from their commit; once
//   Empty every offset, from the moment it became Empty;
// - a KIP-848 consumer group: topics no member subscribes to, always from their commit (members
//   or not);
// - an OffsetCommit v2-4 retentionTimeMs: at commit + that, whatever the group;
// - an Empty group left with no offsets is deleted.
import { afterEach, describe, expect, it } from 'vitest';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer } from '../../src/client/consumer/consumer.js';
import { brokerOverrides } from '../../src/emulator/broker-properties.js';
import { ManualClock } from '../../src/emulator/clock.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { consumerGroupsOf } from '../../src/emulator/state/group-consumer/index.js';
import { groupsOf } from '../../src/emulator/state/groups.js';
import { OffsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { poke, until } from '../support/until.js';
import { WireClient } from './support/wire-client.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let emulator: Emulator | undefined;
let admin: GroupAdmin | undefined;
const open: Consumer[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close({ timeoutMs: 5000 });
  await admin?.close();
  await emulator?.stop();
  admin = emulator = undefined;
});

/** An emulator on a ManualClock; `overrides` as `--override name=value` pairs. */
async function start(overrides: string[] = []) {
  const clock = new ManualClock();
  emulator = await startEmulator({
    port: 0,
    clock,
    topics: [
      { name: 't', partitions: 1 },
      { name: 'u', partitions: 1 },
    ],
    groupInitialRebalanceDelayMs: 0,
    groupConsumerHeartbeatIntervalMs: 100,
    // Members stay while the test moves the broker's clock by minutes.
    groupConsumerSessionTimeoutMs: 10 * MINUTE,
    ...brokerOverrides(overrides),
  });
  emulator.hooks.observe('*', () => poke());
  admin = new GroupAdmin({ bootstrap: emulator.bootstrap });
  return { clock, emulator, admin };
}

const committed = async (groupId: string) =>
  [...(await admin!.committedOffsets(groupId)).values()]
    .map((c) => `${c.topic}-${c.partition}=${c.offset}`)
    .sort();

async function member(groupId: string, protocol: 'classic' | 'consumer'): Promise<Consumer> {
  const c = new Consumer({
    bootstrap: emulator!.bootstrap,
    groupId,
    groupProtocol: protocol,
    autoCommit: false,
    fetchMaxWaitMs: 50,
    ...(protocol === 'classic' ? { sessionTimeoutMs: 10 * MINUTE } : {}),
  });
  open.push(c);
  c.subscribe(['t']);
  let failure: unknown;
  c.run({ eachMessage: async () => {} }).catch((e) => {
    failure = e;
  });
  await until(`${groupId} to get its partition`, () => {
    if (failure !== undefined) throw failure;
    return c.assignment().length === 1;
  });
  return c;
}

async function leave(c: Consumer): Promise<void> {
  open.splice(open.indexOf(c), 1);
  await c.close({ timeoutMs: 5000 });
}

describe('offset expiry', () => {
  it('a simple group: 7 days after the commit by default, checked every 10 minutes; then the group goes', async () => {
    const { clock, emulator } = await start();
    await admin!.alterOffsets('simple', [{ topic: 't', partition: 0, offset: 5n }]);
    expect(emulator.cluster.config.offsetsRetentionMinutes).toBe(7 * 24 * 60);
    clock.advance(7 * DAY - 10 * MINUTE);
    expect(await committed('simple')).toEqual(['t-0=5']);
    clock.advance(20 * MINUTE);
    expect(await committed('simple')).toEqual([]);
    expect((await admin!.listGroups()).map((g) => g.groupId)).not.toContain('simple');
  });

  it('--override offsets.retention.minutes and offsets.retention.check.interval.ms', async () => {
    const { clock } = await start([
      'offsets.retention.minutes=1',
      'offsets.retention.check.interval.ms=1000',
    ]);
    await admin!.alterOffsets('simple', [{ topic: 't', partition: 0, offset: 5n }]);
    clock.advance(MINUTE - 1000);
    expect(await committed('simple')).toEqual(['t-0=5']);
    clock.advance(2000);
    expect(await committed('simple')).toEqual([]);
  });

  it('a classic group: unsubscribed topics from the commit while Stable; everything from when it became Empty', async () => {
    const { clock, emulator } = await start([
      'offsets.retention.minutes=1',
      'offsets.retention.check.interval.ms=1000',
    ]);
    const c = await member('classic', 'classic');
    await c.commit([
      { topic: 't', partition: 0, offset: 1n },
      { topic: 'u', partition: 0, offset: 2n },
    ]);
    clock.advance(MINUTE + 1000);
    expect(groupsOf(emulator.cluster).stateOf('classic')?.state).toBe('Stable');
    // u: nobody subscribes to it; t: the member does.
    expect(await committed('classic')).toEqual(['t-0=1']);
    await leave(c);
    expect(groupsOf(emulator.cluster).stateOf('classic')?.state).toBe('Empty');
    // t's commit is older than the retention, but the clock counts from the group going Empty.
    clock.advance(MINUTE - 2000);
    expect(await committed('classic')).toEqual(['t-0=1']);
    clock.advance(3000);
    expect(await committed('classic')).toEqual([]);
    expect(groupsOf(emulator.cluster).stateOf('classic')).toBeUndefined();
  });

  it('a KIP-848 consumer group: unsubscribed topics from the commit, members or not; then the group goes', async () => {
    const { clock, emulator } = await start([
      'offsets.retention.minutes=1',
      'offsets.retention.check.interval.ms=1000',
    ]);
    const c = await member('kip848', 'consumer');
    await c.commit([
      { topic: 't', partition: 0, offset: 1n },
      { topic: 'u', partition: 0, offset: 2n },
    ]);
    clock.advance(MINUTE + 1000);
    expect(consumerGroupsOf(emulator.cluster).snapshot('kip848')?.members.length).toBe(1);
    expect(await committed('kip848')).toEqual(['t-0=1']);
    await leave(c);
    expect(consumerGroupsOf(emulator.cluster).snapshot('kip848')?.state).toBe('Empty');
    // Unlike a classic group, the age is the commit's: t goes at the next check.
    clock.advance(1000);
    expect(await committed('kip848')).toEqual([]);
    expect(consumerGroupsOf(emulator.cluster).snapshot('kip848')).toBeUndefined();
  });

  it('an Empty group without offsets goes at the next check; a live one stays', async () => {
    const { clock, emulator } = await start(['offsets.retention.check.interval.ms=1000']);
    const live = await member('live', 'classic');
    const c = await member('idle', 'consumer');
    await leave(c);
    clock.advance(1000);
    expect(consumerGroupsOf(emulator.cluster).snapshot('idle')).toBeUndefined();
    expect(groupsOf(emulator.cluster).stateOf('live')?.state).toBe('Stable');
    expect(live.assignment().length).toBe(1);
  });

  it('OffsetCommit v2-4 retentionTimeMs: the offset expires that long after its commit', async () => {
    const { clock, emulator } = await start(['offsets.retention.check.interval.ms=1000']);
    const wire = await WireClient.connect(emulator.port);
    try {
      const partitions = (offset: bigint) => [
        { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' },
      ];
      const r = await wire.request(OffsetCommit, 2, {
        groupId: 'retention',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: 10_000n,
        topics: [
          { name: 't', partitions: partitions(7n) },
          // v5+ carries no retentionTimeMs: this one falls under offsets.retention.minutes.
        ],
      });
      expect(r.topics[0]!.partitions[0]!.errorCode).toBe(0);
      const v5 = await wire.request(OffsetCommit, 5, {
        groupId: 'retention',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'u', partitions: partitions(8n) }],
      });
      expect(v5.topics[0]!.partitions[0]!.errorCode).toBe(0);
    } finally {
      wire.close();
    }
    clock.advance(9000);
    expect(await committed('retention')).toEqual(['t-0=7', 'u-0=8']);
    clock.advance(1000);
    expect(await committed('retention')).toEqual(['u-0=8']);
  });
});
