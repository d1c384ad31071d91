// What the log manager tells of (state/log/log-manager.ts LogEvent) and the line `kafkalab emulator`
// prints for it (src/cli/log-event-lines.ts): segments deleted by each of retention's three passes —
// below a DeleteRecords log start offset, retention.bytes, retention.ms — with the offsets they held
// and the new log start, and a compacted log cleaned with its record counts. On a ManualClock near
// Date.now(), as test/emulator/retention.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { logEventLine } from '../../src/cli/log-event-lines.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';
import { type LogEvent, logManagerOf } from '../../src/emulator/state/log/log-manager.js';
import { LogClient } from './support/log-client.js';

const NOW = Date.now();
const CHECK_MS = 1000;

let emulator: Emulator | undefined;
let client: LogClient | undefined;

afterEach(async () => {
  client?.close();
  await emulator?.stop();
  emulator = client = undefined;
});

async function start() {
  const clock = new ManualClock(NOW);
  emulator = await startEmulator({
    port: 0,
    clock,
    logRetentionCheckIntervalMs: CHECK_MS,
    logCleanerBackoffMs: CHECK_MS,
  });
  client = await LogClient.connect(emulator.port);
  const events: LogEvent[] = [];
  logManagerOf(emulator.cluster).onEvent = (e) => events.push(e);
  const lines = () => events.map(logEventLine);
  return { clock, client, cluster: emulator.cluster, lines };
}

describe('log events', () => {
  it('names the segments each retention pass deleted, why, and the log start offset after', async () => {
    const { clock, client, cluster, lines } = await start();
    const t = cluster.topics.create(
      't',
      1,
      new Map([
        ['segment.ms', '1000'],
        ['retention.ms', '5000'],
      ]),
    );
    if (!('topic' in t)) throw new Error('topic not created');
    const log = t.topic.partitions[0];
    await client.produce('t', 0, [
      { key: 'k', value: 'a0', timestamp: NOW },
      { key: 'k', value: 'a1', timestamp: NOW },
    ]);
    await client.produce('t', 0, [{ key: 'k', value: 'b0', timestamp: NOW + 2000 }]);
    await client.produce('t', 0, [{ key: 'k', value: 'c0', timestamp: NOW + 4000 }]);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0, 2, 3]);
    // DeleteRecords to 3: segments 0 and 2 lie wholly below it and go at the next check.
    log.maybeIncrementLogStartOffset(3);
    clock.advance(CHECK_MS);
    expect(lines()).toEqual([
      'kafkalab emulator: log t-0: deleted 00000000000000000000.log (offsets 0-1), 00000000000000000002.log (offsets 2-2): below the log start offset 3; log start offset now 3',
    ]);
    // retention.ms: c0 (NOW + 4000) is more than 5000 old from NOW + 9001, so at the check of
    // NOW + 10000 (not at NOW + 9000); the active segment goes too, an empty one takes its place.
    clock.advance(8000);
    expect(lines()).toHaveLength(1);
    clock.advance(CHECK_MS);
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toBe(
      'kafkalab emulator: log t-0: deleted 00000000000000000003.log (offsets 3-3): retention.ms=5000 breached; log start offset now 4',
    );
  });

  it('says retention.bytes for a size breach, and tells of a compacted log cleaned with its record counts', async () => {
    const { clock, client, cluster, lines } = await start();
    cluster.topics.create(
      'sized',
      1,
      new Map([
        ['segment.ms', '1'],
        ['retention.bytes', '1'],
      ]),
    );
    cluster.topics.create(
      'compacted',
      1,
      new Map([
        ['segment.ms', '1'],
        ['cleanup.policy', 'compact'],
      ]),
    );
    await client.produce('sized', 0, [{ key: 'k', value: 'x', timestamp: NOW }]);
    await client.produce('sized', 0, [{ key: 'k', value: 'y', timestamp: NOW + 10 }]);
    await client.produce('compacted', 0, [
      { key: 'alice', value: '1', timestamp: NOW },
      { key: 'bob', value: '1', timestamp: NOW },
      { key: 'alice', value: '2', timestamp: NOW },
    ]);
    await client.produce('compacted', 0, [{ key: 'bob', value: '2', timestamp: NOW + 10 }]);
    clock.advance(CHECK_MS);
    expect(lines()).toContain(
      'kafkalab emulator: log sized-0: deleted 00000000000000000000.log (offsets 0-0): retention.bytes=1 breached; log start offset now 1',
    );
    expect(lines()).toContain(
      'kafkalab emulator: log compacted-0: cleaned (cleanup.policy compact): 4 records before, 3 after',
    );
  });
});
