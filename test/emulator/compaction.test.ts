// Compaction on the emulator (cleanup.policy=compact), on the cluster's clock: the cleaner keeps the
// last record per key in the segments below the active one, offsets keep their values (a consumer
// sees the gaps), rewritten batches keep their base and last offsets and decode with a valid CRC;
// a tombstone survives its first cleaning (delete horizon = now + delete.retention.ms) and goes at
// the first cleaning after it; min.compaction.lag.ms and min.cleanable.dirty.ratio hold cleaning back.
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { logManagerOf } from '../../src/emulator/state/log/log-manager.js';
import { decodeRecordBatches } from '../../src/protocol/records/index.js';
import { LogClient, type Rec } from './support/log-client.js';

const NOW = Date.now();
const BACKOFF = 1000;

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
  emulator = await startEmulator({ port: 0, clock, autoCreateTopics: false, logCleanerBackoffMs: BACKOFF });
  client = await LogClient.connect(emulator.port);
  admin = new Admin({ bootstrap: `127.0.0.1:${emulator.port}` });
  await admin.createTopics({
    topics: [
      {
        topic: 'c',
        numPartitions: 1,
        configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000', ...configs },
      },
    ],
  });
  return { clock, client, log: emulator.cluster.topics.partition('c', 0)! };
}

const r = (key: string, value: string | null, timestamp = NOW): Rec => ({ key, value, timestamp });
const seen = async (c: LogClient) =>
  (await c.fetch('c', 0, 0n)).records.map((x) => `${x.offset}:${x.key}=${x.value ?? 'null'}`);

describe('compaction', () => {
  it('keeps the last record per key below the active segment, offsets unchanged; tombstones after delete.retention.ms', async () => {
    const { clock, client, log } = await start({ 'delete.retention.ms': '5000' });
    await client.produce('c', 0, [r('k1', 'a'), r('k2', 'b'), r('k1', 'c')]); // 0-2
    await client.produce('c', 0, [r('k3', 'd'), r('k2', null)]); // 3-4
    await client.produce('c', 0, [r('k4', 'e', NOW + 2000)]); // 5, rolls: the active segment
    await client.produce('c', 0, [r('k4', 'f', NOW + 2000)]); // 6, active: never cleaned
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 5]);
    const before = log.segments[0].batches.map((b) => b.bytes);
    expect(await seen(client)).toHaveLength(7);

    clock.advance(BACKOFF);
    expect(await seen(client)).toEqual(['2:k1=c', '3:k3=d', '4:k2=null', '5:k4=e', '6:k4=f']);
    // Both batches rewritten in place: same base and last offsets, a valid CRC (the fetch decoder checks it).
    const batches = decodeRecordBatches(Buffer.concat(log.segments[0].batches.map((b) => b.bytes))).batches;
    expect(batches.map((b) => [b.baseOffset, b.baseOffset + BigInt(b.lastOffsetDelta)])).toEqual([
      [0n, 2n],
      [3n, 4n],
    ]);
    expect(batches.map((b) => b.records.map((x) => x.offset))).toEqual([[2n], [3n, 4n]]);
    // The tombstone's batch has its delete horizon (KIP-534); the other batch has none.
    expect(batches.map((b) => b.attributes.hasDeleteHorizon)).toEqual([false, true]);
    expect(batches[1].baseTimestamp).toBe(BigInt(NOW + BACKOFF + 5000));
    expect(batches[1].records.map((x) => x.timestamp)).toEqual([BigInt(NOW), BigInt(NOW)]);
    expect(before[0].equals(log.segments[0].batches[0].bytes)).toBe(false);
    expect(log.logEndOffset).toBe(7);

    // Nothing new is dirty: the log is left alone until the horizon passes, then the tombstone goes.
    clock.advance(4 * BACKOFF);
    expect(await seen(client)).toContain('4:k2=null');
    clock.advance(BACKOFF);
    expect(await seen(client)).toEqual(['2:k1=c', '3:k3=d', '5:k4=e', '6:k4=f']);
    // Fetching from a compacted-away offset gives the next record there is.
    expect((await client.fetch('c', 0, 0n)).records[0].offset).toBe(2n);
    expect((await client.fetch('c', 0, 4n)).records.map((x) => x.offset)).toEqual([5n, 6n]);
  });

  it('a batch with nothing to drop stays byte for byte', async () => {
    const { clock, client, log } = await start({});
    await client.produce('c', 0, [r('a', '1'), r('b', '2')]);
    await client.produce('c', 0, [r('a', '3')]);
    await client.produce('c', 0, [r('z', 'z', NOW + 2000)]);
    const second = log.segments[0].batches[1];
    clock.advance(BACKOFF);
    expect(await seen(client)).toEqual(['1:b=2', '2:a=3', '3:z=z']);
    expect(log.segments[0].batches[1]).toBe(second);
  });

  it('min.compaction.lag.ms and min.cleanable.dirty.ratio hold cleaning back', async () => {
    const { clock, client } = await start({ 'min.compaction.lag.ms': '10000' });
    await client.produce('c', 0, [r('a', '1'), r('a', '2')]);
    await client.produce('c', 0, [r('z', 'z', NOW + 2000)]);
    clock.advance(BACKOFF);
    expect(await seen(client)).toEqual(['0:a=1', '1:a=2', '2:z=z']); // newest record 1 s old < 10 s
    clock.advance(8 * BACKOFF); // 9 s: still younger than the lag
    expect(await seen(client)).toHaveLength(3);
    clock.advance(BACKOFF); // 10 s: the segment's newest record is no longer newer than now - lag
    expect(await seen(client)).toEqual(['1:a=2', '2:z=z']);

    // Dirty ratio: a cleaned segment (1 record left) and a small dirty one below 0.99 are left alone.
    await admin!.incrementalAlterConfigs({
      resources: [
        {
          type: 'topic',
          name: 'c',
          ops: [
            { name: 'min.cleanable.dirty.ratio', op: 'set', value: '0.99' },
            { name: 'min.compaction.lag.ms', op: 'set', value: '0' },
          ],
        },
      ],
    });
    await client.produce('c', 0, [r('a', '3', NOW + 4000)]); // rolls; 2:z now in a closed segment
    await client.produce('c', 0, [r('y', 'y', NOW + 6000)]); // rolls again
    clock.advance(BACKOFF);
    expect(await seen(client)).toEqual(['1:a=2', '2:z=z', '3:a=3', '4:y=y']);
    expect(logManagerOf(emulator!.cluster).runCleaner({ force: true })).toBe(1);
    expect(await seen(client)).toEqual(['2:z=z', '3:a=3', '4:y=y']);
  });
});
