/**
 * Transactions end to end with kafkalab's own client — the same cases against the emulator
 * (transactions.test.ts) and a real Apache Kafka 4.1.1 broker (transactions-real-kafka.test.ts).
 *
 * What a read sees is decided without waiting for silence: every case ends its data with a committed
 * sentinel record, and a reader reads until it has the sentinel of every partition — whatever an
 * aborted transaction wrote lies before it, so it has been skipped (or not) by then.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { Admin } from '../../../src/client/admin.js';
import { Cluster } from '../../../src/client/cluster.js';
import { Consumer } from '../../../src/client/consumer/consumer.js';
import { Coordinator } from '../../../src/client/consumer/coordinator.js';
import { fetchCommittedOffsets } from '../../../src/client/consumer/offsets.js';
import { Producer, type ProducerConnectOptions } from '../../../src/client/producer/producer.js';
import {
  ProducerFencedError,
  TransactionAbortedError,
  TransactionStateError,
} from '../../../src/client/producer/transaction-errors.js';

export const SENTINEL = 'end';
const RETRY = { retries: 5, initialBackoffMs: 20, maxBackoffMs: 200 };

export interface Target {
  bootstrap(): string;
}

let unique = 0;
/** A fresh topic (and names) per case, so that cases never see each other's records. */
export async function freshTopic(target: Target, prefix: string, partitions = 1): Promise<string> {
  const name = `${prefix}-${process.pid}-${++unique}`;
  const admin = new Admin({ bootstrap: target.bootstrap() });
  try {
    await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }] });
  } finally {
    await admin.close();
  }
  return name;
}

function txnProducer(target: Target, transactionalId: string, extra: Partial<ProducerConnectOptions> = {}) {
  return new Producer({ bootstrap: target.bootstrap(), transactionalId, retry: RETRY, ...extra });
}

/** A committed sentinel in every partition (one transaction of its own). */
async function writeSentinels(target: Target, topic: string, partitions: number): Promise<void> {
  const p = txnProducer(target, `sentinel-${topic}`);
  try {
    await p.initTransactions();
    p.beginTransaction();
    await p.send({
      topic,
      messages: Array.from({ length: partitions }, (_, partition) => ({ value: SENTINEL, partition })),
    });
    await p.commitTransaction();
  } finally {
    await p.close();
  }
}

/** Every value of the topic up to each partition's sentinel, read with the isolation level given. */
export async function readValues(
  target: Target,
  topic: string,
  partitions: number,
  isolationLevel: 'read_committed' | 'read_uncommitted',
): Promise<string[]> {
  const c = new Consumer({
    bootstrap: target.bootstrap(),
    isolationLevel,
    fetchMaxWaitMs: 100,
    retry: RETRY,
  });
  const out: string[] = [];
  const done = new Set<number>();
  try {
    c.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: 0n })));
    // Bounded by rounds: each waits at most fetch.max.wait.ms once everything is read.
    for (let round = 0; round < 400 && done.size < partitions; round++) {
      for (const b of await c.poll()) {
        for (const r of b.records) {
          const v = r.value?.toString() ?? '';
          if (v === SENTINEL) done.add(b.partition);
          else out.push(v);
        }
      }
    }
  } finally {
    await c.close();
  }
  expect(done.size, `sentinels of ${topic} read with ${isolationLevel}`).toBe(partitions);
  return out.sort();
}

async function committedOffset(target: Target, groupId: string, topic: string): Promise<bigint | undefined> {
  const cluster = new Cluster({ bootstrap: target.bootstrap(), retry: RETRY });
  const coordinator = new Coordinator(cluster, groupId, 'kafkalab-test');
  try {
    const m = await fetchCommittedOffsets(coordinator, groupId, [{ topic, partition: 0 }]);
    return [...m.values()][0]?.offset;
  } finally {
    await coordinator.close();
    await cluster.close();
  }
}

export function transactionCases(target: Target, label: string): void {
  it(`${label}: a committed transaction is visible to read_committed; an aborted one only to read_uncommitted`, async () => {
    const topic = await freshTopic(target, 'txn-vis', 2);
    const p = txnProducer(target, `vis-${topic}`);
    try {
      await p.initTransactions();
      expect(p.transactionState).toBe('ready');
      p.beginTransaction();
      await p.send({
        topic,
        messages: [
          { value: 'c1', partition: 0 },
          { value: 'c2', partition: 1 },
        ],
      });
      await p.commitTransaction();
      p.beginTransaction();
      // Sent and acknowledged (so in the log), then aborted.
      await p.send({
        topic,
        messages: [
          { value: 'a1', partition: 0 },
          { value: 'a2', partition: 1 },
        ],
      });
      await p.abortTransaction();
      p.beginTransaction();
      // Queued but never sent: the abort fails it, it never reaches the log.
      const dropped = p.send({ topic, messages: [{ value: 'never', partition: 0 }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await p.abortTransaction();
      expect(await dropped).toBeInstanceOf(TransactionAbortedError);
      p.beginTransaction();
      await p.send({ topic, messages: [{ value: 'c3', partition: 0 }] });
      await p.commitTransaction();
      // An empty transaction commits without a word to the coordinator.
      p.beginTransaction();
      await p.commitTransaction();
      expect(p.transactionState).toBe('ready');
      // Misuse is refused, naming what to do.
      await expect(p.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow(
        /beginTransaction\(\) first/,
      );
      await expect(p.commitTransaction()).rejects.toBeInstanceOf(TransactionStateError);
    } finally {
      await p.close();
    }
    await writeSentinels(target, topic, 2);
    expect(await readValues(target, topic, 2, 'read_committed')).toEqual(['c1', 'c2', 'c3']);
    expect(await readValues(target, topic, 2, 'read_uncommitted')).toEqual(['a1', 'a2', 'c1', 'c2', 'c3']);
  }, 60_000);

  it(`${label}: consume-transform-produce — sendOffsetsToTransaction moves the group's offset only on commit`, async () => {
    const input = await freshTopic(target, 'ctp-in');
    const output = await freshTopic(target, 'ctp-out');
    const groupId = `ctp-group-${input}`;
    const plain = new Producer({ bootstrap: target.bootstrap(), retry: RETRY });
    await plain.send({ topic: input, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}` })) });
    await plain.close();

    const consumer = new Consumer({
      bootstrap: target.bootstrap(),
      groupId,
      autoCommit: false,
      isolationLevel: 'read_committed',
      fetchMaxWaitMs: 100,
      retry: RETRY,
    });
    const p = txnProducer(target, `ctp-${input}`);
    try {
      await p.initTransactions();
      consumer.assign([{ topic: input, partition: 0, offset: 0n }]);
      const records: string[] = [];
      for (let round = 0; round < 200 && records.length < 10; round++)
        for (const b of await consumer.poll()) for (const r of b.records) records.push(r.value!.toString());
      expect(records).toHaveLength(10);
      const transformAndOffer = async () => {
        p.beginTransaction();
        await p.send({ topic: output, messages: records.map((v) => ({ value: v.toUpperCase() })) });
        await p.sendOffsetsToTransaction(
          [{ topic: input, partition: 0, offset: 10n }],
          consumer.groupMetadata(),
        );
      };
      await transformAndOffer();
      await p.abortTransaction();
      expect(await committedOffset(target, groupId, input)).toBeUndefined();
      await transformAndOffer();
      await p.commitTransaction();
      expect(await committedOffset(target, groupId, input)).toBe(10n);
    } finally {
      await p.close();
      await consumer.close();
    }
    await writeSentinels(target, output, 1);
    const out = await readValues(target, output, 1, 'read_committed');
    expect(out).toEqual(Array.from({ length: 10 }, (_, i) => `V${i}`).sort());
    // Both copies are in the log; only the committed one counts.
    expect(await readValues(target, output, 1, 'read_uncommitted')).toHaveLength(20);
  }, 60_000);

  it(`${label}: a second producer with the same transactional id fences the first (PRODUCER_FENCED, fatal)`, async () => {
    const topic = await freshTopic(target, 'txn-fence');
    const id = `fence-${topic}`;
    const first = txnProducer(target, id);
    const second = txnProducer(target, id);
    try {
      await first.initTransactions();
      const firstEpoch = first.producerIdentity.producerEpoch;
      first.beginTransaction();
      await first.send({ topic, messages: [{ value: 'zombie' }] });
      // The coordinator aborts the first producer's open transaction and bumps the epoch.
      await second.initTransactions();
      expect(second.producerIdentity.producerId).toBe(first.producerIdentity.producerId);
      expect(second.producerIdentity.producerEpoch).toBeGreaterThan(firstEpoch);
      const err = await first.commitTransaction().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProducerFencedError);
      expect((err as ProducerFencedError).fatal).toBe(true);
      expect((err as Error).message).toMatch(/close it/);
      expect(first.transactionState).toBe('fatalError');
      expect(() => first.beginTransaction()).toThrow(ProducerFencedError);
      second.beginTransaction();
      await second.send({ topic, messages: [{ value: 'successor' }] });
      await second.commitTransaction();
    } finally {
      await first.close();
      await second.close();
    }
    await writeSentinels(target, topic, 1);
    expect(await readValues(target, topic, 1, 'read_committed')).toEqual(['successor']);
  }, 60_000);

  it(`${label}: exactly once across a SIGKILL mid-transaction — the next producer with the id aborts it`, async () => {
    const input = await freshTopic(target, 'eos-in');
    const output = await freshTopic(target, 'eos-out');
    const plain = new Producer({ bootstrap: target.bootstrap(), retry: RETRY });
    const inputs = Array.from({ length: 30 }, (_, i) => `in-${String(i).padStart(2, '0')}`);
    await plain.send({ topic: input, messages: inputs.map((value) => ({ value })) });
    await plain.close();
    const args = { input, output, transactionalId: `eos-${input}`, groupId: `eos-group-${input}` };
    // The first worker commits 3 transactions of 4 records, sends the 4th transaction's records, then
    // is killed before it commits: those records are in the log, in an open transaction.
    const killed = await runWorker(target, { ...args, dieInTransaction: 4 });
    const open = killed.lines.find((l) => l.startsWith('in-transaction '));
    expect(open, killed.stderr).toBeDefined();
    expect(killed.signal).toBe('SIGKILL');
    const inOpenTransaction = Number(open!.split(' ')[1]);
    expect(inOpenTransaction).toBeGreaterThan(0);
    const finished = await runWorker(target, { ...args, dieInTransaction: -1 });
    expect(finished.lines.at(-1), finished.stderr).toBe('done');
    await writeSentinels(target, output, 1);
    const committed = await readValues(target, output, 1, 'read_committed');
    expect(committed).toEqual(inputs.map((v) => `out-${v}`));
    // The killed transaction's records are in the log: read_uncommitted sees them twice.
    const all = await readValues(target, output, 1, 'read_uncommitted');
    expect(all.length).toBe(inputs.length + inOpenTransaction);
  }, 120_000);
}

/** Runs test/client/fixtures/eos-worker.mts in a child process; SIGKILLs it when it says so. */
function runWorker(
  target: Target,
  o: { input: string; output: string; transactionalId: string; groupId: string; dieInTransaction: number },
): Promise<{ lines: string[]; signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  const script = join(import.meta.dirname, '..', 'fixtures', 'eos-worker.mts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      target.bootstrap(),
      o.input,
      o.output,
      o.transactionalId,
      o.groupId,
      String(o.dieInTransaction),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (line.startsWith('in-transaction ')) child.kill('SIGKILL');
  });
  const bound = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(bound);
      resolve({ lines, signal, code, stderr });
    });
  });
}
