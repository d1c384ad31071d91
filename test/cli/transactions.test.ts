// Transactions from the command line against the emulator: `produce --transactional-id` (kafkalab's
// own flag: Kafka 4.1's console producer has none) commits in transactions of --transaction-size,
// `consume --isolation-level` filters an aborted transaction as kafka-console-consumer does, and
// `transactions list / describe` print kafka-transactions.sh's tables.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Producer } from '../../src/client/producer/producer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { readPartition } from '../client/support/read-back.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [
      { name: 'cli-txn', partitions: 1 },
      { name: 'cli-iso', partitions: 1 },
    ],
  });
});
afterAll(() => emulator?.stop());

const bs = () => ['--bootstrap-server', emulator.bootstrap];

it('produce --transactional-id --transaction-size 2: 5 lines in 3 committed transactions; list and describe show it', async () => {
  const p = await runCli(
    ['produce', ...bs(), '--topic', 'cli-txn', '--transactional-id', 'cli-tx', '--transaction-size', '2'],
    { stdin: 'a\nb\nc\nd\ne\n' },
  );
  expect(p.code, p.stderr).toBe(0);
  expect(p.stderr).toBe('5 records sent to cli-txn\n');
  const stored = await readPartition(emulator, 'cli-txn', 0);
  const data = stored.filter((r) => !r.batch.attributes.isControl);
  expect(data.map((r) => r.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(data.every((r) => r.batch.attributes.isTransactional)).toBe(true);
  // a b | COMMIT | c d | COMMIT | e | COMMIT
  expect(stored.filter((r) => r.batch.attributes.isControl).map((r) => r.offset)).toEqual([2n, 5n, 7n]);

  const c = await runCli([
    'consume',
    ...bs(),
    '--topic',
    'cli-txn',
    '--from-beginning',
    '--isolation-level',
    'read_committed',
    '--max-messages',
    '5',
  ]);
  expect(c.code, c.stderr).toBe(0);
  expect(c.stdout).toBe('a\nb\nc\nd\ne\n');

  const list = await runCli(['transactions', 'list', ...bs()]);
  expect(list.code, list.stderr).toBe(0);
  const lines = list.stdout.split('\n');
  expect(lines[0]).toMatch(/^TransactionalId\s*\tCoordinator\tProducerId\tTransactionState\t$/);
  expect(lines.some((l) => /^cli-tx\s*\t0\s*\t\d+\s*\tCompleteCommit\s*\t$/.test(l))).toBe(true);

  const d = await runCli(['transactions', 'describe', ...bs(), '--transactional-id', 'cli-tx']);
  expect(d.code, d.stderr).toBe(0);
  const [head, row] = d.stdout.split('\n');
  expect(head.split('\t').map((h) => h.trim())).toEqual([
    'CoordinatorId',
    'TransactionalId',
    'ProducerId',
    'ProducerEpoch',
    'TransactionState',
    'TransactionTimeoutMs',
    'CurrentTransactionStartTimeMs',
    'TransactionDurationMs',
    'TopicPartitions',
    '',
  ]);
  const cells = row.split('\t').map((v) => v.trim());
  expect(cells.slice(0, 2)).toEqual(['0', 'cli-tx']);
  expect(cells.slice(4, 6)).toEqual(['CompleteCommit', '60000']);
  // The last transaction's start stays on record after it completed (Kafka keeps txnStartTimestamp).
  expect(cells[6]).toMatch(/^\d+$/);
  expect(Number(cells[7])).toBeGreaterThanOrEqual(0);
  expect(cells[8]).toBe('');

  const missing = await runCli(['transactions', 'describe', ...bs(), '--transactional-id', 'nobody']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(
    /Failed to describe transaction state of transactional-id `nobody`: .*TRANSACTIONAL_ID_NOT_FOUND/,
  );
}, 60_000);

it('consume --isolation-level: read_committed skips an aborted transaction, read_uncommitted shows it', async () => {
  const p = new Producer({ bootstrap: emulator.bootstrap, transactionalId: 'cli-iso-tx' });
  try {
    await p.initTransactions();
    p.beginTransaction();
    await p.send({ topic: 'cli-iso', messages: [{ value: 'aborted' }] });
    await p.abortTransaction();
    p.beginTransaction();
    await p.send({ topic: 'cli-iso', messages: [{ value: 'committed' }] });
    await p.commitTransaction();
  } finally {
    await p.close();
  }
  const read = (...flags: string[]) =>
    runCli(['consume', ...bs(), '--topic', 'cli-iso', '--from-beginning', '--max-messages', '1', ...flags]);
  const committed = await read('--isolation-level', 'read_committed');
  expect(committed.code, committed.stderr).toBe(0);
  expect(committed.stdout).toBe('committed\n');
  // The same through the consumer property, as Kafka's tools take it.
  const viaProperty = await read('--consumer-property', 'isolation.level=read_committed');
  expect(viaProperty.stdout).toBe('committed\n');
  const all = await read('--isolation-level', 'read_uncommitted');
  expect(all.stdout).toBe('aborted\n');
  const bad = await read('--isolation-level', 'sometimes');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/--isolation-level must be read_committed or read_uncommitted, not "sometimes"/);
  const noId = await runCli(['produce', ...bs(), '--topic', 'cli-iso', '--transaction-size', '2'], {
    stdin: 'x\n',
  });
  expect(noId.code).toBe(1);
  expect(noId.stderr).toMatch(/--transaction-size needs --transactional-id/);
}, 60_000);
