/**
 * The trace tells a transaction as one story (issue 13, learning): among the exchanges, each state
 * change of the transactional id (Empty on InitProducerId, Ongoing on the first AddPartitionsToTxn,
 * PrepareCommit/PrepareAbort on EndTxn, CompleteCommit/CompleteAbort) and, before the completion,
 * the COMMIT/ABORT marker written into each partition with its offset, the producer id and epoch,
 * the coordinator epoch and the last stable offset the marker lets read_committed readers reach.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Producer } from '../../src/client/producer/producer.js';
import { type Emulator, ManualClock, startEmulator } from '../../src/emulator/index.js';

const lines: string[] = [];
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    topics: [{ name: 'traced', partitions: 2 }],
    trace: (line) => lines.push(line),
  });
});
afterAll(() => emulator?.stop());

/** The lines matching `patterns`, each after the previous one; fails naming the first one missing. */
function inOrder(patterns: RegExp[]): void {
  let from = 0;
  for (const p of patterns) {
    const at = lines.findIndex((l, i) => i >= from && p.test(l));
    expect(at, `${p} after line ${from} of:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

it('a committed then an aborted transaction, with their markers and the last stable offset', async () => {
  const p = new Producer({ bootstrap: emulator.bootstrap, transactionalId: 'story' });
  try {
    await p.initTransactions();
    p.beginTransaction();
    await p.send({
      topic: 'traced',
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 0 },
        { value: 'c', partition: 1 },
      ],
    });
    await p.commitTransaction();
    p.beginTransaction();
    await p.send({ topic: 'traced', messages: [{ value: 'd', partition: 1 }] });
    await p.abortTransaction();
  } finally {
    await p.close();
  }
  const id = /producerId=(\d+)/.exec(lines.find((l) => l.startsWith('transaction "story"')) ?? '')?.[1];
  expect(id).toMatch(/^\d+$/);
  inOrder([
    /^transaction "story" new → Empty producerId=\d+ epoch=-1 partitions=\[\] \(new transactional id\)$/,
    /^transaction "story" Empty → Empty producerId=\d+ epoch=0 partitions=\[\] \(InitProducerId from Empty: epoch 0\)$/,
    / InitProducerId v\d+ /,
    /^transaction "story" Empty → Ongoing producerId=\d+ epoch=0 partitions=\[traced-[01](,traced-[01])?\] \(partitions added\)$/,
    / AddPartitionsToTxn v\d+ /,
    / Produce v\d+ /,
    /^transaction "story" Ongoing → PrepareCommit .*partitions=\[traced-[01],traced-[01]\] \(EndTxn commit\)$/,
    new RegExp(
      `^  COMMIT marker → traced-0 at offset 2 \\(producerId=${id} epoch=0 coordinatorEpoch=0\\), last stable offset 3$`,
    ),
    /^transaction "story" PrepareCommit → CompleteCommit .*partitions=\[\] \(markers written\)$/,
    / EndTxn v\d+ /,
    /^transaction "story" CompleteCommit → Ongoing .*partitions=\[traced-1\] \(partitions added\)$/,
    /^transaction "story" Ongoing → PrepareAbort .*\(EndTxn abort\)$/,
    // traced-1: c at 0, COMMIT at 1, d at 2, ABORT at 3.
    new RegExp(
      `^  ABORT marker → traced-1 at offset 3 \\(producerId=${id} epoch=0 coordinatorEpoch=0\\), last stable offset 4$`,
    ),
    /^transaction "story" PrepareAbort → CompleteAbort .*\(markers written\)$/,
    / EndTxn v\d+ /,
  ]);
  // One marker per partition of the committed transaction, none for the aborted one's other partition.
  expect(lines.filter((l) => l.includes('COMMIT marker →'))).toHaveLength(2);
  expect(lines.filter((l) => l.includes('ABORT marker →'))).toHaveLength(1);
});

it('a transaction left open past its timeout: the coordinator fences and aborts it, outside any exchange', async () => {
  const clock = new ManualClock(Date.now());
  const own: string[] = [];
  const timed = await startEmulator({
    port: 0,
    clock,
    topics: [{ name: 'timed', partitions: 1 }],
    trace: (line) => own.push(line),
  });
  const p = new Producer({ bootstrap: timed.bootstrap, transactionalId: 'late', transactionTimeoutMs: 5000 });
  try {
    await p.initTransactions();
    p.beginTransaction();
    await p.send({ topic: 'timed', messages: [{ value: 'never committed' }] });
    const before = own.length;
    clock.advance(5000);
    expect(own.slice(before)).toEqual([
      expect.stringMatching(
        /^transaction "late" Ongoing → PrepareEpochFence producerId=\d+ epoch=1 partitions=\[timed-0\] \(transaction timed out after 5000 ms: producer epoch bumped to 1\)$/,
      ),
      expect.stringMatching(/^transaction "late" PrepareEpochFence → PrepareAbort .*epoch=1 /),
      expect.stringMatching(
        /^ {2}ABORT marker → timed-0 at offset 1 \(producerId=\d+ epoch=1 coordinatorEpoch=0\), last stable offset 2$/,
      ),
      expect.stringMatching(/^transaction "late" PrepareAbort → CompleteAbort .*\(markers written\)$/),
    ]);
  } finally {
    await p.close().catch(() => {});
    await timed.stop();
  }
});
