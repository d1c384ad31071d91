// `kafkalab transactions describe-producers` and `abort --start-offset` on the emulator: the table
// kafka-transactions.sh prints (headers, 'None' for no open transaction, -1 before any marker) and an
// open transaction ended from outside, after which read_committed's last stable offset moves past it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Producer } from '../../src/client/producer/producer.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, topics: [{ name: 'cli-dp', partitions: 1 }] });
});
afterAll(() => emulator?.stop());

const bs = () => ['--bootstrap-server', emulator.bootstrap];
const cells = (line: string) => line.split('\t').map((v) => v.trim());

it('describe-producers shows an open transaction; abort --start-offset ends it', async () => {
  const p = new Producer({ bootstrap: emulator.bootstrap, transactionalId: 'cli-dp-tx' });
  try {
    await p.initTransactions();
    p.beginTransaction();
    await p.send({ topic: 'cli-dp', messages: [{ value: 'a' }, { value: 'b' }] });
    await p.flush();

    const d = await runCli([
      'transactions',
      'describe-producers',
      ...bs(),
      '--topic',
      'cli-dp',
      '--partition',
      '0',
    ]);
    expect(d.code, d.stderr).toBe(0);
    const [head, row, end] = d.stdout.split('\n');
    expect(cells(head)).toEqual([
      'ProducerId',
      'ProducerEpoch',
      'LatestCoordinatorEpoch',
      'LastSequence',
      'LastTimestamp',
      'CurrentTransactionStartOffset',
      '',
    ]);
    expect(cells(row).slice(1)).toEqual(['0', '-1', '1', expect.stringMatching(/^\d+$/), '0', '']);
    expect(end).toBe('');

    const missing = await runCli([
      'transactions',
      'abort',
      ...bs(),
      '--topic',
      'cli-dp',
      '--partition',
      '0',
      '--start-offset',
      '5',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'Could not find any open transactions starting at offset 5 on partition cli-dp-0',
    );

    const a = await runCli([
      'transactions',
      'abort',
      ...bs(),
      '--topic',
      'cli-dp',
      '--partition',
      '0',
      '--start-offset',
      '0',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe('');
    const after = await runCli([
      'transactions',
      'describe-producers',
      ...bs(),
      '--topic',
      'cli-dp',
      '--partition',
      '0',
    ]);
    // The ABORT marker (coordinator epoch 0) closed it in the partition.
    expect(cells(after.stdout.split('\n')[1]).slice(1)).toEqual([
      '0',
      '0',
      '1',
      expect.stringMatching(/^\d+$/),
      'None',
      '',
    ]);
  } finally {
    await p.close();
  }
});
