/**
 * --data-dir through a crash loop (issue 15, persistence proof): `kafkalab emulator --data-dir DIR`
 * in a child process, SIGKILLed at ROUNDS seeded random moments while kafkalab's idempotent producer
 * (acks=all) keeps writing numbered records to several partitions and a group commits offsets, and
 * restarted on the same directory and port each time (the fsync policy drawn per start: kill -9
 * kills the process, not the machine, so both policies promise it). After every restart:
 *
 * - every record the producer had acknowledged, from the log start on, is at the offset it was
 *   acknowledged with;
 * - each partition holds record n at offset n, in order with no gap and no duplicate, so a batch
 *   written but not answered before the kill and retried after it was recognised as a duplicate
 *   (the producer state rebuilt from the log) — the producer never needs a new epoch;
 * - no log end offset is below one observed before the kill (a record written before the answer
 *   is in the page cache, which outlives the process), and no log start offset below an answered
 *   DeleteRecords (the group's committer also trims each partition to half, and segments wholly
 *   below the log start are unlinked by the retention check every 100 ms, kills landing there too);
 * - every committed offset is the last one the group had answered, or one whose commit was in
 *   flight at the kill — an answered commit is never lost (data-dir.ts's header).
 *
 * The kill moment is event-driven, not timed: once the producer has had a seeded random number of
 * acknowledgements more, with several Produce requests and a commit always in flight.
 * CRASH_LOOP_SEED=n replays a run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/client/admin.js';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { tpKey } from '../../src/client/consumer/types.js';
import { Producer } from '../../src/client/producer/index.js';
import { BATCH } from '../../src/emulator/persistence/segment-file.js';
import { unusedPort } from '../client/support/ports.js';
import { Rng } from '../support/rng.js';
import { poke, until } from '../support/until.js';
import { type SpawnedEmulator, spawnEmulator } from './support/spawn-emulator.js';

const SEED = Number(process.env.CRASH_LOOP_SEED ?? 15);
/** CRASH_LOOP_ROUNDS=50 for the long form (87 s for 50 rounds on the shared 2-core machine). */
const ROUNDS = Number(process.env.CRASH_LOOP_ROUNDS ?? 10);
const PARTITIONS = 4;
const TOPIC = 'crash-loop';
const GROUP = 'crash-loop-readers';
/** Produce calls outstanding at any time (each one partition's next 1–4 records). */
const OUTSTANDING = 12;

let emulator: SpawnedEmulator | undefined;
let dir: string | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  // After a failure the producer may hold sends it cannot deliver: its close (a flush) is not awaited
  // past a few seconds, so the hook ends and reports the failure itself.
  for (const close of closers.splice(0).reverse())
    await Promise.race([close().catch(() => {}), new Promise((r) => setTimeout(r, 5_000).unref())]);
  await emulator?.stop('SIGKILL');
  emulator = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}, 60_000);

/** A DeleteRecords of one partition (as a test cleaning up after itself sends them). */
interface Deletion {
  partition: number;
  offset: bigint;
  answered: boolean;
}

interface Commit {
  partition: number;
  offset: bigint;
  /** The answer came back (before a kill, or from the next emulator). */
  answered: boolean;
}

/** The whole batches of a partition's segment files, read from the dir as they are: no recovery. */
function batchesOnDisk(dir: string, partition: number): Buffer[] {
  const pdir = join(dir, `${TOPIC}-${partition}`);
  if (!existsSync(pdir)) return [];
  const out: Buffer[] = [];
  for (const f of readdirSync(pdir)
    .filter((n) => n.endsWith('.log'))
    .sort()) {
    const data = readFileSync(join(pdir, f));
    for (let pos = 0; pos + 12 <= data.length; ) {
      const end = pos + 12 + data.readInt32BE(pos + BATCH.length);
      if (end > data.length) break;
      out.push(data.subarray(pos, end));
      pos = end;
    }
  }
  return out;
}

/** Every record of the partitions from `starts` up to `ends` (exclusive), as `[offset, value]`. */
async function readBack(bootstrap: string, starts: bigint[], ends: bigint[]): Promise<[bigint, string][][]> {
  const consumer = new Consumer({ bootstrap, clientId: 'crash-loop-check', fetchMaxWaitMs: 50 });
  const out: [bigint, string][][] = ends.map(() => []);
  try {
    consumer.assign(ends.map((_, partition) => ({ topic: TOPIC, partition, offset: starts[partition] })));
    const done = () =>
      ends.every((end, p) => (consumer.position({ topic: TOPIC, partition: p }) ?? 0n) >= end);
    while (!done()) {
      for (const batch of await consumer.poll())
        for (const r of batch.records)
          if (r.offset < ends[batch.partition]) out[batch.partition].push([r.offset, String(r.value)]);
    }
  } finally {
    await consumer.close();
  }
  return out;
}

describe('kafkalab emulator --data-dir, SIGKILLed in a loop', () => {
  it(`keeps every acknowledged record and commit, in order and once, through ${ROUNDS} kill -9 restarts (seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    dir = mkdtempSync(join(tmpdir(), 'kafkalab-crash-loop-'));
    const port = await unusedPort();
    const bootstrap = `127.0.0.1:${port}`;
    const start = async (): Promise<string> => {
      const fsync = rng.int(2) === 0 ? 'always' : 'never';
      emulator = await spawnEmulator([
        '--port',
        String(port),
        '--data-dir',
        dir as string,
        '--fsync',
        fsync,
        // Segments below a DeleteRecords log start are unlinked within 100 ms: kills land in that too.
        '--override',
        'log.retention.check.interval.ms=100',
      ]);
      return fsync;
    };
    let fsync = await start();
    const admin = new Admin({ bootstrap, clientId: 'crash-loop-admin', requestTimeoutMs: 10_000 });
    closers.push(() => admin.close());
    // segment.ms 20: a segment rolled every few batches, so there are many files to write, roll and delete.
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: PARTITIONS, configs: { 'segment.ms': '20' } }],
    });

    const producer = new Producer({
      bootstrap,
      clientId: 'crash-loop-producer',
      acks: 'all',
      idempotent: true,
      retry: { initialBackoffMs: 20, maxBackoffMs: 200 },
      deliveryTimeoutMs: 120_000,
      requestTimeoutMs: 10_000,
    });
    closers.push(() => producer.close());
    await producer.connect();
    const groups = new GroupAdmin({ bootstrap, clientId: 'crash-loop-committer', requestTimeoutMs: 10_000 });
    closers.push(() => groups.close());

    // acked[p][n] = the offset record n of partition p was acknowledged at.
    const acked: bigint[][] = Array.from({ length: PARTITIONS }, () => []);
    const next = new Array<number>(PARTITIONS).fill(0);
    let ackCount = 0;
    let failure: unknown;
    let stopping = false;
    let turn = 0;
    // Paused while a round checks the log: a DeleteRecords moving the log start during the read-back
    // would take records from under it. The commit or deletion in flight at the kill finishes first.
    let paused = false;
    let parked: (() => void) | undefined;
    const sendOne = async (): Promise<void> => {
      const partition = turn++ % PARTITIONS;
      const first = next[partition];
      const count = 1 + rng.int(4);
      next[partition] += count;
      const metas = await producer.send({
        topic: TOPIC,
        messages: Array.from({ length: count }, (_, i) => ({
          partition,
          value: `${partition}:${first + i}`,
        })),
      });
      metas.forEach((m, i) => {
        acked[partition][first + i] = m.offset;
      });
      ackCount += count;
      poke();
    };
    const lane = async (): Promise<void> => {
      while (!stopping) await sendOne();
    };
    const lanes = Array.from({ length: OUTSTANDING }, () =>
      lane().catch((err: unknown) => {
        failure ??= err;
        poke();
      }),
    );

    // One commit in flight at a time: the next acknowledged end of a partition, as a consumer commits;
    // every third turn, a DeleteRecords of the partition to half of what it has acknowledged.
    const commits: Commit[] = [];
    const deletions: Deletion[] = [];
    const committer = (async () => {
      let p = 0;
      while (!stopping) {
        if (paused) {
          await new Promise<void>((resume) => {
            parked = resume;
            poke();
          });
          continue;
        }
        const partition = p % PARTITIONS;
        const commit: Commit = { partition, offset: BigInt(acked[partition].length), answered: false };
        commits.push(commit);
        await groups.alterOffsets(GROUP, [{ topic: TOPIC, partition, offset: commit.offset }]);
        commit.answered = true;
        if (p++ % 3 === 0) {
          const deletion: Deletion = {
            partition,
            offset: BigInt(acked[partition].length >> 1),
            answered: false,
          };
          deletions.push(deletion);
          await admin.deleteRecords({ partitions: [{ topic: TOPIC, partition, offset: deletion.offset }] });
          deletion.answered = true;
        }
        poke();
      }
    })().catch((err: unknown) => {
      failure ??= err;
      poke();
    });

    const logEnds = async (): Promise<bigint[]> =>
      (await admin.listOffsets({ topic: TOPIC, spec: 'latest' })).map((o) => o.offset);
    const logStarts = async (): Promise<bigint[]> =>
      (await admin.listOffsets({ topic: TOPIC, spec: 'earliest' })).map((o) => o.offset);

    const failed = () => {
      if (failure !== undefined) throw failure;
      return false;
    };
    let seenEnds: bigint[] = new Array<bigint>(PARTITIONS).fill(0n);
    let seenStarts: bigint[] = new Array<bigint>(PARTITIONS).fill(0n);
    const kills: string[] = [];
    let unanswered = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const target = ackCount + 40 + rng.int(400);
      await until(
        `${target} acknowledgements in round ${round}`,
        () => failed() || ackCount >= target,
        60_000,
      );
      // One round trip more (the log ends the broker reports): meanwhile it takes more batches in, so
      // the kill tends to land with some written and not yet answered (counted below).
      const reported = await logEnds();
      paused = true;
      expect(await (emulator as SpawnedEmulator).stop('SIGKILL')).toBeNull();
      const ackedBefore = acked.map((a) => [...a]);
      kills.push(`round ${round}: fsync ${fsync}, killed after ${ackCount} acks`);
      // Whatever was answered before the process died counts as acknowledged before the kill.
      const answeredAtKill = commits.filter((c) => c.answered);
      const deletedAtKill = deletions.filter((d) => d.answered);
      // Records on disk that no answer had reached the producer for: its retries after the restart
      // must be recognised as duplicates, or the checks below see a number twice.
      // The log end at the kill: what the broker had written, answered or not.
      const endsBefore: bigint[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const last = batchesOnDisk(dir, p).at(-1);
        const written = last
          ? Number(last.readBigInt64BE(BATCH.baseOffset)) + last.readInt32BE(BATCH.lastOffsetDelta) + 1
          : 0;
        endsBefore.push(reported[p] > BigInt(written) ? reported[p] : BigInt(written));
        unanswered += Math.max(0, written - acked[p].length);
      }
      fsync = await start();
      await until(`the committer paused in round ${round}`, () => failed() || parked !== undefined, 60_000);

      // Log end offsets never go backwards.
      const endsAfter = await logEnds();
      for (let p = 0; p < PARTITIONS; p++) {
        expect(endsAfter[p], `${kills.at(-1)}: partition ${p} end`).toBeGreaterThanOrEqual(endsBefore[p]);
        expect(endsAfter[p]).toBeGreaterThanOrEqual(seenEnds[p]);
      }
      seenEnds = endsAfter;

      // Log start offsets never go backwards either: at or past every answered DeleteRecords.
      const startsAfter = await logStarts();
      for (let p = 0; p < PARTITIONS; p++) {
        const answeredLow = deletedAtKill
          .filter((d) => d.partition === p)
          .reduce((m, d) => (d.offset > m ? d.offset : m), 0n);
        expect(startsAfter[p], `${kills.at(-1)}: partition ${p} log start`).toBeGreaterThanOrEqual(
          answeredLow,
        );
        expect(startsAfter[p]).toBeGreaterThanOrEqual(seenStarts[p]);
      }
      seenStarts = startsAfter;

      // Every acknowledged record from the log start on at its offset; record n at offset n, in
      // order, no gap, no duplicate. (Read up to the later of the end seen before the kill and the
      // last acknowledged offset: an answer may have come between the two looks.)
      const log = await readBack(
        bootstrap,
        startsAfter,
        endsBefore.map((end, p) => {
          const ackedEnd = (ackedBefore[p].at(-1) ?? -1n) + 1n;
          return end > ackedEnd ? end : ackedEnd;
        }),
      );
      for (let p = 0; p < PARTITIONS; p++) {
        const start = Number(startsAfter[p]);
        expect(log[p], `${kills.at(-1)}: partition ${p}`).toEqual(
          Array.from({ length: log[p].length }, (_, i) => [BigInt(start + i), `${p}:${start + i}`]),
        );
        ackedBefore[p].forEach((offset, n) => {
          if (n >= start) expect(log[p][n - start]?.[0], `${kills.at(-1)}: record ${p}:${n}`).toBe(offset);
        });
      }

      // Each committed offset: the last answered commit of the partition, or a later one that was
      // in flight at the kill (it may have been written before the answer went out).
      const committed = await groups.committedOffsets(GROUP);
      for (let p = 0; p < PARTITIONS; p++) {
        const mine = commits.filter((c) => c.partition === p);
        const lastAnswered = mine.filter((c) => answeredAtKill.includes(c)).at(-1);
        const inFlight = mine.filter((c) => !answeredAtKill.includes(c));
        const allowed = [lastAnswered, ...inFlight].filter((c) => c !== undefined).map((c) => c.offset);
        const got = committed.get(tpKey(TOPIC, p))?.offset;
        if (allowed.length === 0) expect(got).toBeUndefined();
        else expect(allowed, `${kills.at(-1)}: committed offset of partition ${p}`).toContain(got);
      }
      paused = false;
      parked?.();
      parked = undefined;
    }

    stopping = true;
    parked?.();
    await Promise.all([...lanes, committer]);
    failed();
    // The whole run once more, after a clean stop: everything acknowledged, once, in order.
    expect(await (emulator as SpawnedEmulator).stop('SIGTERM')).toBe(0);
    await start();
    const starts = await logStarts();
    const log = await readBack(bootstrap, starts, await logEnds());
    for (let p = 0; p < PARTITIONS; p++) {
      const start = Number(starts[p]);
      expect(
        log[p].map(([o]) => o),
        `partition ${p}`,
      ).toEqual(acked[p].slice(start));
      expect(acked[p]).toEqual(Array.from({ length: acked[p].length }, (_, n) => BigInt(n)));
    }
    // The DeleteRecords did move log starts (the half-way trims of a run of this length).
    expect(starts.some((o) => o > 0n)).toBe(true);
    // One producer id and epoch 0 in every batch: no retry needed a new epoch (KIP-360's bump), which
    // would have let a duplicate in.
    await (emulator as SpawnedEmulator).stop('SIGTERM');
    const identities = new Set<string>();
    for (let p = 0; p < PARTITIONS; p++)
      for (const b of batchesOnDisk(dir, p))
        identities.add(`${b.readBigInt64BE(BATCH.producerId)}/${b.readInt16BE(BATCH.producerEpoch)}`);
    expect([...identities]).toEqual([expect.stringMatching(/^\d+\/0$/)]);
    // How often the retried-duplicate case was met (records written, not yet answered at a kill) is
    // printed, not asserted: it depends on where the kills land. persistence.test.ts checks the
    // duplicate answer after a restart deterministically.
    console.log(
      `crash loop seed ${SEED}: ${kills.join('; ')}; ${ackCount} records acknowledged, ${unanswered} written but unanswered at the kills, ${deletions.length} DeleteRecords, log starts ${starts.join('/')}`,
    );
  }, 300_000);
});
