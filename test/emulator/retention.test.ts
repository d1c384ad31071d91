// Retention on the emulator, driven by the cluster's clock (a ManualClock near Date.now(), as
// message.timestamp.after.max.ms checks record times against it): the retention check every
// log.retention.check.interval.ms deletes whole segments as Kafka's UnifiedLog.deleteOldSegments —
// retention.ms by each segment's largest timestamp, retention.bytes keeping the log at or above the
// limit, segments below a DeleteRecords log start offset — and the active segment too once it
// qualifies (a new empty one is rolled in its place). Consumers see the log start offset move.
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { logManagerOf } from '../../src/emulator/state/log/log-manager.js';
import { LogClient } from './support/log-client.js';

const NOW = Date.now();
const CHECK_MS = 1000;

let emulator: Emulator | undefined;
let client: LogClient | undefined;
let admin: Admin | undefined;

afterEach(async () => {
  client?.close();
  await admin?.close();
  await emulator?.stop();
  emulator = client = admin = undefined;
});

async function start(configs: Record<string, string>) {
  const clock = new ManualClock(NOW);
  emulator = await startEmulator({
    port: 0,
    clock,
    autoCreateTopics: false,
    logRetentionCheckIntervalMs: CHECK_MS,
  });
  client = await LogClient.connect(emulator.port);
  admin = new Admin({ bootstrap: `127.0.0.1:${emulator.port}` });
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, configs }] });
  const log = emulator.cluster.topics.partition('t', 0)!;
  return { clock, client, admin, log };
}

const rec = (value: string, timestamp: number) => ({ key: 'k', value, timestamp });

describe('retention', () => {
  it('retention.ms deletes segments whose newest record is older than it, at the next check', async () => {
    const { clock, client, log } = await start({ 'segment.ms': '1000', 'retention.ms': '5000' });
    await client.produce('t', 0, [rec('a0', NOW), rec('a1', NOW)]);
    await client.produce('t', 0, [rec('b0', NOW + 2000)]); // more than segment.ms after a0: rolls
    await client.produce('t', 0, [rec('c0', NOW + 4000)]);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2, 3]);
    clock.advance(5000); // now - NOW = 5000, not more than retention.ms
    expect((await client.listOffset('t', 0, -2n)).offset).toBe(0n);
    clock.advance(CHECK_MS); // 6000 > 5000: segment 0 goes, segment 2's newest is 4000 old
    expect(log.segments.map((s) => s.baseOffset)).toEqual([2, 3]);
    expect((await client.listOffset('t', 0, -2n)).offset).toBe(2n);
    expect((await client.fetch('t', 0, 0n)).errorCode).toBe(1);
    expect((await client.fetch('t', 0, 2n)).records.map((r) => r.value)).toEqual(['b0', 'c0']);
    clock.advance(2 * CHECK_MS); // 8000: b0 (2000) is 6000 old
    expect(log.segments.map((s) => s.baseOffset)).toEqual([3]);
    // The active segment goes as well once every record in it is too old: an empty one takes its place.
    clock.advance(2 * CHECK_MS); // 10000: c0 is 6000 old
    expect(log.segments.map((s) => [s.baseOffset, s.size])).toEqual([[4, 0]]);
    expect(await client.listOffset('t', 0, -2n)).toEqual({ errorCode: 0, offset: 4n });
    expect(await client.listOffset('t', 0, -1n)).toEqual({ errorCode: 0, offset: 4n });
    const empty = await client.fetch('t', 0, 4n);
    expect([empty.errorCode, empty.logStartOffset, empty.records]).toEqual([0, 4n, []]);
    // Appends go on at the old log end offset.
    expect((await client.produce('t', 0, [rec('d0', NOW + 10_000)])).baseOffset).toBe(4n);
  });

  it('retention.bytes keeps the log at or above the limit, deleting oldest segments whole', async () => {
    const { clock, client, log } = await start({ 'segment.bytes': '1048576', 'retention.bytes': '1500000' });
    const value = 'x'.repeat(100_000);
    for (let i = 0; i < 25; i++) await client.produce('t', 0, [rec(value, NOW)]);
    expect(log.segments.map((s) => s.batches.length)).toEqual([10, 10, 5]);
    clock.advance(CHECK_MS);
    // 2.5 MB held: dropping the first segment leaves 1.5 MB ≥ the limit, dropping the second would not.
    expect(log.segments.map((s) => s.baseOffset)).toEqual([10, 20]);
    expect(log.sizeInBytes).toBeGreaterThanOrEqual(1_500_000);
    expect((await client.listOffset('t', 0, -2n)).offset).toBe(10n);
    clock.advance(10 * CHECK_MS);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([10, 20]);
  });

  it('a retention.ms change takes effect at the next check; DeleteRecords segments go too', async () => {
    const { clock, client, admin, log } = await start({ 'segment.ms': '1000' });
    await client.produce('t', 0, [rec('a', NOW)]);
    await client.produce('t', 0, [rec('b', NOW + 1001)]);
    await client.produce('t', 0, [rec('c', NOW + 2002)]);
    clock.advance(60_000);
    expect(log.segments).toHaveLength(3); // retention.ms 7 days
    await admin.deleteRecords({ partitions: [{ topic: 't', partition: 0, offset: 2n }] });
    expect(log.segments).toHaveLength(3); // records gone for consumers, segments wait for the check
    clock.advance(CHECK_MS);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([2]);
    await admin.incrementalAlterConfigs({
      resources: [{ type: 'topic', name: 't', ops: [{ name: 'retention.ms', op: 'set', value: '1000' }] }],
    });
    clock.advance(CHECK_MS);
    expect(log.segments.map((s) => [s.baseOffset, s.size])).toEqual([[3, 0]]);
  });

  it('cleanup.policy=compact alone does not apply retention; the check can be run now', async () => {
    const { clock, client, log } = await start({ 'cleanup.policy': 'compact', 'retention.ms': '1000' });
    await client.produce('t', 0, [rec('a', NOW)]);
    clock.advance(10 * CHECK_MS);
    expect(log.logStartOffset).toBe(0);
    expect(log.sizeInBytes).toBeGreaterThan(0);
    await admin!.incrementalAlterConfigs({
      resources: [
        { type: 'topic', name: 't', ops: [{ name: 'cleanup.policy', op: 'set', value: 'compact,delete' }] },
      ],
    });
    const run = logManagerOf(emulator!.cluster).runRetention();
    expect(run).toEqual({ segmentsDeleted: 1, logs: [{ topic: 't', partition: 0, logStartOffset: 1 }] });
  });
});
