/**
 * `npm run bench:emulator` — the emulator's speed figures of issue 3:
 * - start: command to ready line (`node dist/cli/main.js emulator`) vs `node -e 0` (target ≤ 2×), and
 *   in-process `startEmulator()` (target ≤ 10 ms);
 * - produce and consume throughput with kafkajs as the client, the emulator in its own process, with
 *   CPU per record on each side (client: process.cpuUsage; emulator: /proc/PID/stat), so one can see
 *   whether the emulator is the bottleneck;
 * - memory for 1 million retained 100-byte messages vs their wire size (target ≤ 1.25×), in a child
 *   process with --expose-gc.
 * Runs the built dist/ (rebuilt first when a source is newer). Bounded: fixed counts, time limits.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import buildDist from '../test/cli/global-setup.js';
import { CLI, cpuMsOf, READY, waitForLine } from './emulator-process.js';
import { machineLine } from './harness.js';

const root = join(import.meta.dirname, '..');
const EMULATOR = join(root, 'dist', 'emulator', 'index.js');
const PRODUCE_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RETAINED = Number(process.env.BENCH_RETAINED ?? 1_000_000);
/** Interleaved start-time runs; an odd count so the median is one run. */
const START_RUNS = 11;
/**
 * Memory child runs: RSS growth moves by ±0.1× between identical runs (how far V8 grew its young
 * generation, where glibc placed freed frames), so the median of a few is reported.
 */
const MEMORY_RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeToReady(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, READY, 30_000);
  const ms = performance.now() - t0;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  return ms;
}

async function nodeNoop(): Promise<number> {
  const t0 = performance.now();
  await promisify(execFile)(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

function clientCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Throughput {
  phase: string;
  records: number;
  seconds: number;
  clientUsPerRecord: number;
  emulatorUsPerRecord: number;
}

async function throughput(): Promise<Throughput[]> {
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--topic', 'bench:2'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = Number((await waitForLine(child, READY, 30_000))[1]);
  const pid = child.pid!;
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const value = Buffer.alloc(100, 0x61);
  const out: Throughput[] = [];
  try {
    const producer = kafka.producer();
    await producer.connect();
    const batch = 1000;
    const measure = async (phase: string, run: () => Promise<void>) => {
      const c0 = clientCpuMs();
      const e0 = cpuMsOf(pid);
      const t0 = performance.now();
      await run();
      const seconds = (performance.now() - t0) / 1000;
      out.push({
        phase,
        records: PRODUCE_MESSAGES,
        seconds,
        clientUsPerRecord: ((clientCpuMs() - c0) * 1000) / PRODUCE_MESSAGES,
        emulatorUsPerRecord: ((cpuMsOf(pid) - e0) * 1000) / PRODUCE_MESSAGES,
      });
    };
    await measure('produce (kafkajs, acks=1, 1000 × 100 B per send)', async () => {
      for (let i = 0; i < PRODUCE_MESSAGES; i += batch) {
        await producer.send({
          topic: 'bench',
          acks: 1,
          messages: Array.from({ length: Math.min(batch, PRODUCE_MESSAGES - i) }, (_, j) => ({
            key: String((i + j) % 64),
            value,
          })),
        });
      }
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'bench', maxBytes: 10 << 20, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'bench', fromBeginning: true });
    await measure('consume (kafkajs group, eachBatch)', async () => {
      let seen = 0;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumed only ${seen}`)), 300_000);
        void consumer.run({
          eachBatch: async ({ batch: b }) => {
            seen += b.messages.length;
            if (seen >= PRODUCE_MESSAGES) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    });
    await consumer.disconnect();
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

/** Runs in a child with --expose-gc: retains RETAINED 100-byte messages, reports memory deltas. */
const MEMORY_CHILD = `
const { startEmulator } = await import(${JSON.stringify(EMULATOR)});
const { encodeRequestFrame } = await import(${JSON.stringify(join(root, 'dist', 'protocol', 'frame.js'))});
const { Produce } = await import(${JSON.stringify(join(root, 'dist', 'protocol', 'messages', '00-produce.js'))});
const { encodeRecordBatch } = await import(${JSON.stringify(join(root, 'dist', 'protocol', 'records', 'index.js'))});
const net = await import('node:net');
const total = Number(process.argv[1]);
const perBatch = 1000;
const emulator = await startEmulator({ port: 0, topics: [{ name: 'm', partitions: 1 }, { name: 'warm', partitions: 1 }] });
const socket = net.connect({ port: emulator.port, host: '127.0.0.1' });
await new Promise((r) => socket.once('connect', r));
const snap = () => { gc(); gc(); const m = process.memoryUsage(); return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers }; };
const value = Buffer.alloc(100, 0x62);
let wire = 0, pending = 0, corr = 0;
let wake = () => {};
socket.on('data', (d) => { /* one small response per request; count them by frames */
  let at = 0; while (at + 4 <= d.length) { at += 4 + d.readInt32BE(at); pending--; } wake();
});
const produce = (topic, n) => {
  const records = encodeRecordBatch({ records: Array.from({ length: n }, () => ({ key: null, value, timestamp: 1700000000000 })) });
  socket.write(encodeRequestFrame({ api: Produce, version: 9, correlationId: ++corr, clientId: 'mem', body: {
    transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] } }));
  pending++;
  return records.length;
};
// The first Produce loads the zstd wasm codec (~16 MB of its own, once): keep it out of the figure.
produce('warm', 1);
while (pending > 0) await new Promise((r) => { wake = r; });
const before = snap();
for (let sent = 0; sent < total; sent += perBatch) {
  wire += produce('m', Math.min(perBatch, total - sent));
  // Bounded pipelining: at most 8 requests in flight.
  while (pending >= 8) await new Promise((r) => { wake = r; });
}
while (pending > 0) await new Promise((r) => { wake = r; });
const log = emulator.cluster.topics.get('m').partitions[0];
if (log.logEndOffset !== total) throw new Error('stored ' + log.logEndOffset + ' of ' + total);
const after = snap();
process.stdout.write(JSON.stringify({ wire, stored: log.sizeInBytes, rss: after.rss - before.rss, heap: after.heap - before.heap }) + '\\n');
socket.destroy();
await emulator.stop();
`;

async function memory(): Promise<{ wire: number; stored: number; rss: number; heap: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--input-type=module', '-e', MEMORY_CHILD, String(RETAINED)],
    { maxBuffer: 1 << 20, timeout: 300_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  await buildDist();
  const rows: string[] = ['| figure | value | target |', '|---|---:|---|'];
  const print = () => process.stdout.write(`${rows.join('\n')}\n`);
  process.stdout.write(`${machineLine()}\n\n`);

  // Warm the disk cache once, then interleave so both see the same machine load.
  await nodeNoop();
  await timeToReady();
  const noop: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < START_RUNS; i++) {
    noop.push(await nodeNoop());
    ready.push(await timeToReady());
  }
  rows.push(`| \`node -e 0\` (median of ${START_RUNS}) | ${median(noop).toFixed(0)} ms | |`);
  rows.push(
    `| \`kafkalab emulator\` command → ready line (median of ${START_RUNS}) | ${median(ready).toFixed(0)} ms | |`,
  );
  rows.push(`| ratio ready / \`node -e 0\` | ${(median(ready) / median(noop)).toFixed(2)}× | ≤ 2× |`);

  const { startEmulator } = (await import(EMULATOR)) as typeof import('../src/emulator/index.js');
  const starts: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    const e = await startEmulator({ port: 0 });
    starts.push(performance.now() - t0);
    await e.stop();
  }
  rows.push(
    `| in-process \`startEmulator()\`, first (module already loaded) | ${starts[0].toFixed(2)} ms | |`,
  );
  rows.push(
    `| in-process \`startEmulator()\`, median of next 20 | ${median(starts.slice(1)).toFixed(2)} ms | ≤ 10 ms |`,
  );

  for (const t of await throughput()) {
    rows.push(
      `| ${t.phase}: ${t.records.toLocaleString('en')} records | ${Math.round(t.records / t.seconds).toLocaleString('en')} rec/s | |`,
    );
    rows.push(
      `| … CPU per record: client / emulator | ${t.clientUsPerRecord.toFixed(2)} µs / ${t.emulatorUsPerRecord.toFixed(2)} µs | emulator < client |`,
    );
  }

  const runs: Awaited<ReturnType<typeof memory>>[] = [];
  for (let i = 0; i < MEMORY_RUNS; i++) runs.push(await memory());
  const wire = runs[0].wire;
  const rss = runs.map((m) => m.rss / m.wire);
  const heap = runs.map((m) => m.heap / m.wire);
  const each = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
  rows.push(
    `| ${RETAINED.toLocaleString('en')} retained 100-byte messages: wire size | ${(wire / 2 ** 20).toFixed(1)} MiB | |`,
  );
  rows.push(
    `| … RSS growth / wire size (median of ${MEMORY_RUNS}: ${each(rss)}) | ${median(rss).toFixed(3)}× | ≤ 1.25× |`,
  );
  rows.push(
    `| … heap + ArrayBuffer growth / wire size (median of ${MEMORY_RUNS}: ${each(heap)}) | ${median(heap).toFixed(3)}× | ≤ 1.25× |`,
  );
  print();
}

await main();
