/**
 * librdkafka's transactional producer (python3-confluent-kafka, librdkafka 2.0 on Debian 12: the V1
 * flow with AddPartitionsToTxn) against the emulator: commit, abort, commit; a read_committed reader
 * (kafkalab's consumer) sees the committed records only, the aborted ones are in the log between
 * their markers, and the coordinator ends CompleteCommit.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer } from '../../src/client/index.js';
import { type Emulator, type Exchange, startEmulator } from '../../src/emulator/index.js';
import { transactionsOf } from '../../src/emulator/state/transactions/index.js';
import { runProcess } from '../support/cli.js';
import { pythonWithConfluentKafka } from '../support/librdkafka-mock.js';

const TOPIC = 'rdkafka-txn';
let emulator: Emulator;
const apis: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: TOPIC, partitions: 1 }] });
  emulator.hooks.observe('*', (e: Exchange) => apis.push(e.api.name));
});
afterAll(() => emulator?.stop());

async function readAll(
  isolationLevel: 'read_committed' | 'read_uncommitted',
  count: number,
): Promise<string[]> {
  const consumer = new Consumer({
    bootstrap: emulator.bootstrap,
    groupId: `rdkafka-txn-${isolationLevel}`,
    autoOffsetReset: 'earliest',
    isolationLevel,
  });
  await consumer.subscribe([TOPIC]);
  const got: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async (m) => {
          got.push(m.value?.toString() ?? '');
          if (got.length === count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.close();
  return got;
}

describe('librdkafka transactional producer against the emulator', () => {
  it('commit, abort, commit: read_committed sees the committed records only', async () => {
    // Not spawnSync: the emulator answers from this process's event loop.
    const r = await runProcess(
      pythonWithConfluentKafka(),
      [join(import.meta.dirname, 'transactions-librdkafka.py'), emulator.bootstrap, TOPIC, 'rdkafka-tx'],
      { timeoutMs: 120_000 },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.steps).toEqual(['commit', 'abort', 'commit']);
    expect(out.delivered.every((d: { error: string | null }) => d.error === null)).toBe(true);
    // librdkafka 2.0 runs the V1 flow: partitions added with AddPartitionsToTxn before the writes.
    expect(apis).toContain('AddPartitionsToTxn');
    expect(apis.filter((a) => a === 'EndTxn')).toHaveLength(3);
    expect(transactionsOf(emulator.cluster).describe('rdkafka-tx')?.state).toBe('CompleteCommit');
    // c1-c3 at 0-2, COMMIT at 3, a1-a2 at 4-5, ABORT at 6, c4 at 7, COMMIT at 8.
    const log = emulator.cluster.topics.get(TOPIC)!.partitions[0]!;
    expect(log.logEndOffset).toBe(9);
    expect(log.lastStableOffset).toBe(9);
    expect(await readAll('read_committed', 4)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(await readAll('read_uncommitted', 6)).toEqual(['c1', 'c2', 'c3', 'a1', 'a2', 'c4']);
  });
});
