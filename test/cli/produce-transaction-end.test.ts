// How `kafkalab produce --transactional-id` ends its transactions, for a learner to see what each
// does to a log (docs/chapters/transactions.md): `--abort` writes the records, then EndTxn(abort), so
// the partition holds them and an ABORT marker; `--leave-open` exits without EndTxn, as a crashed
// producer would, and the open transaction holds the last stable offset back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { transactionsOf } from '../../src/emulator/state/transactions/index.js';
import { readPartition, type StoredRecord } from '../client/support/read-back.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: 'end-abort', partitions: 1 },
      { name: 'end-open', partitions: 1 },
      { name: 'end-boundary', partitions: 1 },
    ],
  });
});
afterAll(() => emulator?.stop());

const bs = () => ['--bootstrap-server', emulator.bootstrap];
const logOf = (topic: string) => emulator.cluster.topics.get(topic)!.partitions[0];
/** A control record's key is version int16, type int16 (0 ABORT, 1 COMMIT); read back as text here. */
const markerOf = (r: StoredRecord) => (r.key?.charCodeAt(3) === 1 ? 'commit' : 'abort');

it('--abort: the records are written, then an ABORT marker; read_committed sees none of them', async () => {
  const p = await runCli(
    ['produce', ...bs(), '--topic', 'end-abort', '--transactional-id', 'end-a', '--abort'],
    { stdin: 'x\ny\n' },
  );
  expect(p.code, p.stderr).toBe(0);
  expect(p.stderr).toBe('2 records sent to end-abort in 1 aborted transaction\n');
  const stored = await readPartition(emulator, 'end-abort', 0);
  expect(stored.map((r) => [r.offset, r.batch.attributes.isControl])).toEqual([
    [0n, false],
    [1n, false],
    [2n, true],
  ]);
  expect(markerOf(stored[2])).toBe('abort');
  expect(logOf('end-abort').lastStableOffset).toBe(3);
  expect(transactionsOf(emulator.cluster).describe('end-a')?.state).toBe('CompleteAbort');

  const sized = await runCli(
    [
      'produce',
      ...bs(),
      '--topic',
      'end-abort',
      '--transactional-id',
      'end-a',
      '--abort',
      '--transaction-size',
      '1',
    ],
    { stdin: 'z\nw\n' },
  );
  expect(sized.stderr).toBe('2 records sent to end-abort in 2 aborted transactions\n');

  const committed = await runCli([
    'consume',
    ...bs(),
    '--topic',
    'end-abort',
    '--from-beginning',
    '--isolation-level',
    'read_committed',
    '--timeout-ms',
    '500',
  ]);
  expect(committed.stdout).toBe('');
  expect(committed.stderr).toContain('Processed a total of 0 messages');
}, 60_000);

it('--leave-open: no EndTxn, the transaction stays Ongoing and the last stable offset stays at its start', async () => {
  const p = await runCli(
    ['produce', ...bs(), '--topic', 'end-open', '--transactional-id', 'end-o', '--leave-open'],
    { stdin: 'pending\n' },
  );
  expect(p.code, p.stderr).toBe(0);
  expect(p.stderr).toBe('1 record sent to end-open, the last transaction left open\n');
  expect(logOf('end-open').highWatermark).toBe(1);
  expect(logOf('end-open').lastStableOffset).toBe(0);
  expect(transactionsOf(emulator.cluster).describe('end-o')).toMatchObject({
    state: 'Ongoing',
    partitions: [{ topic: 'end-open', partition: 0 }],
  });
  // With --transaction-size, the full transactions commit; only a last partial one stays open.
  const boundary = await runCli(
    [
      'produce',
      ...bs(),
      '--topic',
      'end-boundary',
      '--transactional-id',
      'end-b',
      '--leave-open',
      '--transaction-size',
      '2',
    ],
    { stdin: 'p\nq\n' },
  );
  expect(boundary.stderr).toBe(
    '2 records sent to end-boundary, none left open: the input ended with a full transaction\n',
  );
  expect(transactionsOf(emulator.cluster).describe('end-b')?.state).toBe('CompleteCommit');
  // The next producer with the transactional id fences the old one and aborts its transaction.
  const next = await runCli(['produce', ...bs(), '--topic', 'end-open', '--transactional-id', 'end-o'], {
    stdin: 'done\n',
  });
  expect(next.stderr).toBe('1 record sent to end-open\n');
  const stored = await readPartition(emulator, 'end-open', 0);
  expect(stored.map((r) => (r.batch.attributes.isControl ? markerOf(r) : r.value))).toEqual([
    'pending',
    'abort',
    'done',
    'commit',
  ]);
}, 60_000);

it('--abort and --leave-open need --transactional-id, and exclude each other', async () => {
  const noId = await runCli(['produce', ...bs(), '--topic', 'end-abort', '--abort'], { stdin: 'x\n' });
  expect(noId.code).toBe(1);
  expect(noId.stderr).toMatch(/--abort needs --transactional-id/);
  const noId2 = await runCli(['produce', ...bs(), '--topic', 'end-abort', '--leave-open'], { stdin: 'x\n' });
  expect(noId2.stderr).toMatch(/--leave-open needs --transactional-id/);
  const both = await runCli(
    ['produce', ...bs(), '--topic', 'end-abort', '--transactional-id', 'b', '--abort', '--leave-open'],
    { stdin: 'x\n' },
  );
  expect(both.code).toBe(1);
  expect(both.stderr).toMatch(/--abort and --leave-open cannot be used together/);
}, 60_000);
