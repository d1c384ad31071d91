/**
 * The exactly-once run (issue 13's proof), shared by the emulator and the real-Kafka test files:
 * three consume-transform-produce instances (exactly-once-worker.ts), each in its own process with
 * its own transactional.id, in one consumer group reading an input topic of several partitions with
 * read_committed. Once the group has given every instance a partition, half of N records are
 * written to the input (the other half once the replacement below owns a partition). One instance is SIGKILLed inside a transaction — after its records were acknowledged and
 * its offsets added, before commit, at the point it reports itself — and a replacement is started
 * with the same transactional.id, which fences the dead one and aborts what it left open. When the
 * group's committed offsets (as the instances report their commits) reach the end of every input
 * partition, the instances are told to stop, and the output topic is read with read_committed: every
 * input record must be there exactly once — none lost, none twice — in its own partition, in order.
 *
 * Bounded: every wait has a deadline, the instances exit on their own after 150 s, and whatever is
 * still running at the end is SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/index.js';
import { poke, until } from '../support/until.js';

const WORKER = join(import.meta.dirname, 'exactly-once-worker.ts');
const RETRY = { retries: 10, initialBackoffMs: 20, maxBackoffMs: 500 };
const SENTINEL = 'end';
/** The replacement instance's name (client id). */
export const REPLACEMENT = 'i3';

export interface ExactlyOnceOptions {
  bootstrap: string;
  /** Names topics, group and transactional ids apart from other runs against the same broker. */
  runId: string;
  partitions: number;
  records: number;
  /** The instance killed (0-based) and in which of its transactions with records. */
  victim: number;
  dieInTransaction: number;
  /** For every wait (group formed, kill point, all input committed). */
  stepTimeoutMs: number;
  /** The instances' group.protocol (default classic). */
  groupProtocol?: 'classic' | 'consumer';
}

export interface ExactlyOnceResult {
  /** Output values read with read_committed, per partition in offset order. */
  committed: string[][];
  /** How many records the killed instance had sent in its open transaction. */
  inOpenTransaction: number;
  /** Output records read with read_uncommitted (the killed transaction's are there too). */
  uncommittedCount: number;
  /** Transactions committed, per instance name. */
  commits: Map<string, number>;
  /** Abortable errors the instances met (e.g. a rebalance during a transaction). */
  aborts: string[];
  /** `P: A -> B` each time a partition's commits came from another instance than before. */
  handovers: string[];
  log: string[];
}

interface Instance {
  name: string;
  child: ChildProcess;
  owned: Set<number>;
  ready: boolean;
  inTransaction?: number;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

export async function runExactlyOnce(o: ExactlyOnceOptions): Promise<ExactlyOnceResult> {
  const input = `eos-in-${o.runId}`;
  const output = `eos-out-${o.runId}`;
  const groupId = `eos-group-${o.runId}`;
  const admin = new Admin({ bootstrap: o.bootstrap, retry: RETRY });
  try {
    await admin.createTopics({
      topics: [
        { topic: input, numPartitions: o.partitions, replicationFactor: 1 },
        { topic: output, numPartitions: o.partitions, replicationFactor: 1 },
      ],
    });
  } finally {
    await admin.close();
  }

  const log: string[] = [];
  const instances: Instance[] = [];
  const committedTo = new Map<number, bigint>();
  const commits = new Map<string, number>();
  const aborts: string[] = [];
  const handovers: string[] = [];
  const lastCommitter = new Map<number, string>();
  const start = (name: string, transactionalId: string, dieIn: number): Instance => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        WORKER,
        o.bootstrap,
        input,
        output,
        groupId,
        transactionalId,
        name,
        String(dieIn),
        o.groupProtocol ?? 'classic',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const inst: Instance = { name, child, owned: new Set(), ready: false, stderr: '' };
    child.stderr!.on('data', (d) => {
      inst.stderr += d;
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(`${name}: ${line}`);
      const [what, ...rest] = line.split(' ');
      const parts = (rest[0] ?? '') === '' ? [] : rest[0]!.split(',').map(Number);
      if (what === 'ready') inst.ready = true;
      else if (what === 'assigned') for (const p of parts) inst.owned.add(p);
      else if (what === 'revoked' || what === 'lost') for (const p of parts) inst.owned.delete(p);
      else if (what === 'committed') {
        commits.set(name, (commits.get(name) ?? 0) + 1);
        for (const pair of rest) {
          const [p, next] = pair.split(':');
          const previous = lastCommitter.get(Number(p));
          if (previous !== undefined && previous !== name) handovers.push(`${p}: ${previous} -> ${name}`);
          lastCommitter.set(Number(p), name);
          const before = committedTo.get(Number(p)) ?? 0n;
          if (BigInt(next!) > before) committedTo.set(Number(p), BigInt(next!));
        }
      } else if (what === 'in-transaction') inst.inTransaction = Number(rest[0]);
      else if (what === 'aborted') aborts.push(`${name}: ${rest.join(' ')}`);
      poke();
    });
    child.on('exit', (code, signal) => {
      inst.exit = { code, signal };
      log.push(`${name}: exit ${code ?? signal}`);
      poke();
    });
    instances.push(inst);
    return inst;
  };
  /** A wait that also fails at once when an instance dies that should not have. */
  const waitFor = (what: string, check: () => boolean) =>
    until(
      what,
      () => {
        const crashed = instances.find((i) => i.exit && i.exit.signal !== 'SIGKILL' && i.exit.code !== 0);
        if (crashed)
          throw new Error(
            `${crashed.name} exited ${crashed.exit!.code} while waiting for ${what}:\n${crashed.stderr}\n${log.join('\n')}`,
          );
        return check();
      },
      o.stepTimeoutMs,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- instance log ---\n${log.slice(-60).join('\n')}`);
    });

  try {
    const ids = [0, 1, 2].map((i) => `eos-txn-${o.runId}-${i}`);
    for (let i = 0; i < 3; i++) start(`i${i}`, ids[i]!, i === o.victim ? o.dieInTransaction : -1);
    // The input is written only once the group is formed, so every instance has work of its own.
    await waitFor('every instance to own a partition', () =>
      instances.every((i) => i.ready && i.owned.size > 0),
    );

    // Half of the input now, half once the replacement is in the group, so that every instance of
    // the group after the kill has work left, however fast the first half went.
    const half = Math.floor(o.records / 2);
    await produceInput(o.bootstrap, input, o.partitions, 0, half);
    const ends = new Map<number, bigint>();
    for (let p = 0; p < o.partitions; p++)
      ends.set(p, BigInt(Math.floor(o.records / o.partitions) + (p < o.records % o.partitions ? 1 : 0)));

    const victim = instances[o.victim]!;
    await waitFor(`${victim.name} to stop inside a transaction`, () => victim.inTransaction !== undefined);
    victim.child.kill('SIGKILL');
    await waitFor(`${victim.name} to die`, () => victim.exit !== undefined);
    // The replacement: same transactional.id, a new process and a new group member, named to sort
    // last so that the range assignor moves partitions between the live instances too (each new
    // owner must start at the offset the previous owner's last transaction committed).
    const replacement = start(REPLACEMENT, ids[o.victim]!, -1);
    await waitFor(`${REPLACEMENT} to own a partition`, () => replacement.owned.size > 0);
    await produceInput(o.bootstrap, input, o.partitions, half, o.records);

    await waitFor('the group to commit the end of every input partition', () =>
      [...ends].every(([p, end]) => committedTo.get(p) === end),
    );
    for (const i of instances) i.child.stdin!.end();
    await waitFor('the instances to close', () => instances.every((i) => i.exit !== undefined));
    for (const i of instances)
      if (i.exit!.signal !== 'SIGKILL') expect(i.exit!.code, `${i.name} exit code\n${i.stderr}`).toBe(0);
  } finally {
    for (const i of instances) if (i.exit === undefined) i.child.kill('SIGKILL');
  }

  await writeSentinels(o.bootstrap, output, o.partitions);
  const committed = await readOutput(o.bootstrap, output, o.partitions, 'read_committed');
  const uncommitted = await readOutput(o.bootstrap, output, o.partitions, 'read_uncommitted');
  return {
    committed,
    inOpenTransaction: instances[o.victim]!.inTransaction!,
    uncommittedCount: uncommitted.reduce((n, p) => n + p.length, 0),
    commits,
    aborts,
    handovers,
    log,
  };
}

/** Input records from..to-1: record n goes to partition n % partitions, acknowledged in order. */
async function produceInput(bootstrap: string, topic: string, partitions: number, from: number, to: number) {
  const producer = new Producer({ bootstrap, retry: RETRY });
  try {
    await producer.send({
      topic,
      messages: Array.from({ length: to - from }, (_, i) => ({
        key: `k${from + i}`,
        value: `r-${String(from + i).padStart(6, '0')}`,
        partition: (from + i) % partitions,
      })),
    });
  } finally {
    await producer.close();
  }
}

/** One committed sentinel per partition: a reader that has them all has read everything before. */
async function writeSentinels(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const p = new Producer({ bootstrap, transactionalId: `sentinel-${topic}`, retry: RETRY });
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

async function readOutput(
  bootstrap: string,
  topic: string,
  partitions: number,
  isolationLevel: 'read_committed' | 'read_uncommitted',
): Promise<string[][]> {
  const c = new Consumer({ bootstrap, isolationLevel, fetchMaxWaitMs: 100, retry: RETRY });
  const out = Array.from({ length: partitions }, () => [] as string[]);
  const done = new Set<number>();
  try {
    c.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: 0n })));
    // Bounded by rounds: each waits at most fetch.max.wait.ms once everything is read.
    for (let round = 0; round < 2_000 && done.size < partitions; round++) {
      for (const b of await c.poll()) {
        for (const r of b.records) {
          const v = r.value?.toString() ?? '';
          if (v === SENTINEL) done.add(b.partition);
          else if (!done.has(b.partition)) out[b.partition]!.push(v);
        }
      }
    }
  } finally {
    await c.close();
  }
  expect(done.size, `sentinels of ${topic} read with ${isolationLevel}`).toBe(partitions);
  return out;
}

/** What the output must be: input record n in partition n % partitions, in order. */
export function expectedOutput(records: number, partitions: number): string[][] {
  const out = Array.from({ length: partitions }, () => [] as string[]);
  for (let n = 0; n < records; n++) out[n % partitions]!.push(`r-${String(n).padStart(6, '0')}`);
  return out;
}
