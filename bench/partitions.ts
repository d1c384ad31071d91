/**
 * `npm run bench:partitions` — issue 11, item 9: how the cost of producing grows with the number of
 * partitions. For each cell of a records × partitions grid, keyed records (`k<i>:v<i>`, one per line)
 * go from a file into a topic of N partitions of a fresh emulator (its own process), sent by
 * kafkalab's `produce` command and by kcat, one after the other, each into an emulator of its own:
 *
 * - wall time of the client process (start to exit, connection and metadata included);
 * - the client's peak RSS (VmHWM, polled from /proc while it runs and read once more at exit by
 *   GNU time when /usr/bin/time is there);
 * - the emulator's RSS before (idle, topic created) and after the client is done;
 * - the records stored (sum of every partition's log end offset, by ListOffsets): all must be there.
 *
 * Targets (issue 11): kafkalab within 2× kcat's time and memory at every N up to 10,000; the
 * emulator's memory per retained record within 1.25× wire bytes whoever sent it.
 *
 * Bounded: fixed counts, each client run killed after BENCH_RUN_TIMEOUT_MS (default 300 s, reported
 * as a timeout), every emulator stopped in `finally`. BENCH_GRID="20000x20,20000x200" picks cells;
 * the default grid is 20,000 records × 20, 200, 1000, 2000, 10000 partitions and 100,000 × 10,000.
 * BENCH_CLIENTS="kafkalab,kcat" picks clients; BENCH_KAFKALAB_CLI=path/to/dist/cli/main.js measures
 * another build of kafkalab's command (an older commit, for a before/after).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../src/client/cluster.js';
import { LATEST_TIMESTAMP, listOffsets } from '../src/client/consumer/offsets.js';
import { CLI, type EmulatorProcess, startEmulatorProcess } from './emulator-process.js';
import { machineLine } from './harness.js';

const RUN_TIMEOUT_MS = Number(process.env.BENCH_RUN_TIMEOUT_MS ?? 300_000);
const DEFAULT_GRID = '20000x20,20000x200,20000x1000,20000x2000,20000x10000,100000x10000';
const GRID = (process.env.BENCH_GRID ?? DEFAULT_GRID).split(',').map((cell) => {
  const m = /^(\d+)x(\d+)$/.exec(cell.trim());
  if (!m) throw new Error(`BENCH_GRID: "${cell}" is not RECORDSxPARTITIONS`);
  return { records: Number(m[1]), partitions: Number(m[2]) };
});
const TOPIC = 'scale';
const KAFKALAB_CLI = process.env.BENCH_KAFKALAB_CLI ?? CLI;
const GNU_TIME = '/usr/bin/time';

interface ClientRun {
  client: string;
  records: number;
  partitions: number;
  wallMs: number;
  peakRssKb: number;
  exitCode: number | null;
  timedOut: boolean;
  stderrTail: string;
  emulatorRssBeforeKb: number;
  emulatorRssAfterKb: number;
  stored: number;
  /** Bytes of the input file: keys, values and separators, the records' payload. */
  inputBytes: number;
}

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The client command for one run: [command, args]. */
function commandFor(client: string, kcat: string | undefined, bootstrap: string, file: string): string[] {
  if (client === 'kafkalab') {
    return [
      process.execPath,
      KAFKALAB_CLI,
      'produce',
      '--bootstrap-server',
      bootstrap,
      '--topic',
      TOPIC,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    ];
  }
  // kcat's producer with librdkafka's defaults (linger 5 ms, idempotence off, acks all), keys split at ':'.
  return [kcat!, '-P', '-b', bootstrap, '-t', TOPIC, '-K:', '-l', file];
}

/** Runs one client to completion (or the timeout), polling its peak RSS. */
async function runClient(
  argv: string[],
  stdinFile: string | undefined,
): Promise<{
  wallMs: number;
  peakRssKb: number;
  exitCode: number | null;
  timedOut: boolean;
  stderr: string;
}> {
  const useTime = existsSync(GNU_TIME);
  const [cmd, ...args] = useTime ? [GNU_TIME, '-f', 'GNU-TIME-MAXRSS %M', ...argv] : argv;
  const t0 = performance.now();
  const child: ChildProcess = spawn(cmd, args, {
    stdio: [stdinFile ? 'pipe' : 'ignore', 'ignore', 'pipe'],
  });
  if (stdinFile && child.stdin) {
    child.stdin.on('error', () => undefined); // a client that exits early closes its stdin
    child.stdin.end(readFileSync(stdinFile));
  }
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  // Under GNU time the measured process is time's child: poll the newest descendant's VmHWM.
  let peak = 0;
  const poll = setInterval(() => {
    const pid = child.pid;
    if (pid === undefined) return;
    let target = pid;
    if (useTime) {
      try {
        const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
        if (kids[0]) target = Number(kids[0]);
      } catch {
        return;
      }
    }
    peak = Math.max(peak, statusKb(target, 'VmHWM'));
  }, 50);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, RUN_TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const wallMs = performance.now() - t0;
  clearTimeout(timer);
  clearInterval(poll);
  const m = /GNU-TIME-MAXRSS (\d+)/.exec(stderr);
  if (m) peak = Math.max(peak, Number(m[1]));
  return {
    wallMs,
    peakRssKb: peak,
    exitCode,
    timedOut,
    stderr: stderr.replace(/GNU-TIME-MAXRSS \d+\n?/, ''),
  };
}

/** Sum of the log end offsets of every partition of the topic. */
async function storedRecords(bootstrap: string, partitions: number): Promise<number> {
  const cluster = new Cluster({ bootstrap, clientId: 'bench-partitions-check' });
  try {
    const offsets = await listOffsets(
      cluster,
      Array.from({ length: partitions }, (_, p) => ({ topic: TOPIC, partition: p })),
      LATEST_TIMESTAMP,
    );
    let n = 0n;
    for (const o of offsets.values()) n += o;
    return Number(n);
  } finally {
    await cluster.close();
  }
}

async function oneRun(
  client: string,
  kcat: string | undefined,
  records: number,
  partitions: number,
  file: string,
  inputBytes: number,
): Promise<ClientRun> {
  let emulator: EmulatorProcess | undefined;
  try {
    emulator = await startEmulatorProcess(['--topic', `${TOPIC}:${partitions}`]);
    const before = statusKb(emulator.pid, 'VmRSS');
    const argv = commandFor(client, kcat, emulator.bootstrap, file);
    const r = await runClient(argv, client === 'kafkalab' ? file : undefined);
    const after = statusKb(emulator.pid, 'VmRSS');
    const stored = await storedRecords(emulator.bootstrap, partitions);
    return {
      client,
      records,
      partitions,
      wallMs: r.wallMs,
      peakRssKb: r.peakRssKb,
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      stderrTail: r.stderr.trim().split('\n').slice(-2).join(' | '),
      emulatorRssBeforeKb: before,
      emulatorRssAfterKb: after,
      stored,
      inputBytes,
    };
  } finally {
    await emulator?.stop();
  }
}

const mb = (kb: number) => (kb / 1024).toFixed(0);
const secs = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const kcat = which('kcat') ?? which('kafkacat');
  const wanted = (process.env.BENCH_CLIENTS ?? 'kafkalab,kcat').split(',').map((c) => c.trim());
  const clients = wanted.filter((c) => c === 'kafkalab' || (c === 'kcat' && kcat));
  if (!kcat) console.error('kcat not on PATH: only kafkalab is measured');
  const dir = mkdtempSync(join(tmpdir(), 'kafkalab-bench-partitions-'));
  const runs: ClientRun[] = [];
  try {
    for (const { records, partitions } of GRID) {
      const file = join(dir, `in-${records}.txt`);
      if (!existsSync(file)) {
        const lines: string[] = [];
        for (let i = 0; i < records; i++) lines.push(`k${i}:v${i}`);
        writeFileSync(file, `${lines.join('\n')}\n`);
      }
      const inputBytes = readFileSync(file).length;
      for (const client of clients) {
        const r = await oneRun(client, kcat, records, partitions, file, inputBytes);
        runs.push(r);
        console.error(
          `${records} × ${partitions} ${client}: ${secs(r.wallMs)} s, peak RSS ${mb(r.peakRssKb)} MB, ` +
            `emulator ${mb(r.emulatorRssBeforeKb)} → ${mb(r.emulatorRssAfterKb)} MB, stored ${r.stored}` +
            (r.timedOut ? ' (timed out)' : r.exitCode !== 0 ? ` (exit ${r.exitCode}: ${r.stderrTail})` : ''),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The floor a Node client cannot go under: starting Node itself.
  const floor = await runClient([process.execPath, '-e', '0'], undefined);
  console.log(`\n${machineLine()}\n`);
  console.log(
    `Floor for a Node client: \`node -e 0\` takes ${secs(floor.wallMs)} s and peaks at ${mb(floor.peakRssKb)} MB RSS.\n`,
  );
  console.log(
    '| records × partitions | client | wall time | client peak RSS | emulator RSS before → after | stored | kafkalab / kcat: time, RSS |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    const kc = runs.find(
      (x) => x.client === 'kcat' && x.records === r.records && x.partitions === r.partitions,
    );
    const ratio =
      r.client === 'kafkalab' && kc
        ? `${(r.wallMs / kc.wallMs).toFixed(2)}×, ${(r.peakRssKb / kc.peakRssKb).toFixed(2)}×`
        : '';
    const status = r.timedOut ? ' (timed out)' : r.exitCode !== 0 ? ` (exit ${r.exitCode})` : '';
    const complete = r.stored === r.records ? '' : ' ✗';
    console.log(
      `| ${r.records.toLocaleString('en')} × ${r.partitions.toLocaleString('en')} | ${r.client}${status} | ` +
        `${secs(r.wallMs)} s | ${mb(r.peakRssKb)} MB | ${mb(r.emulatorRssBeforeKb)} → ${mb(r.emulatorRssAfterKb)} MB | ` +
        `${r.stored.toLocaleString('en')}${complete} | ${ratio} |`,
    );
  }
  const missing = runs.filter((r) => r.stored !== r.records);
  if (missing.length > 0) {
    console.error(`${missing.length} run(s) did not store every record`);
    process.exitCode = 1;
  }
}

await main();
