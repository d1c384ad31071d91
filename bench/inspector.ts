/**
 * `npm run bench:inspector` — what attaching the browser inspector costs the emulator (issue 18: at
 * most a 10% drop). Each side as a user runs it: the emulator is `kafkalab emulator` in its own
 * process, bare or with `--inspect`; the page is another process reading the inspector's event
 * stream (/api/events) as a browser tab does; the load (Metadata v12 on one connection) comes from
 * this process. Two measures per round:
 *
 * - saturation: requests answered per second with 256 in flight, as fast as the emulator goes;
 * - 10,000 requests/s (the producer): the emulator's CPU over that stretch, read from /proc,
 *   as a share of one core — what the inspector adds when the emulator is not the bottleneck.
 *
 * Rounds alternate bare / attached so machine load moves both alike; medians are reported.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { unusedPort } from '../test/client/support/ports.js';
import { flat, paced } from '../test/inspector/load.js';
import { cpuMsOf, startEmulatorProcess, waitForLine } from './emulator-process.js';
import { machineLine } from './harness.js';

const COUNT = Number(process.env.BENCH_REQUESTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RATE = 10_000;
const PACED_MS = Number(process.env.BENCH_PACED_MS ?? 3_000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * The page: a process that reads the event stream and counts the list rows it was sent (retrying
 * until the inspector is up); prints "ready" once subscribed and the count when its stdin ends.
 */
const PAGE = `
const http = require('node:http');
const port = Number(process.argv[1]);
let rows = 0, tail = '';
function subscribe() {
  const req = http.request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
    if (res.statusCode !== 200) { console.error('inspector answered ' + res.statusCode); process.exit(1); }
    process.stdout.write('ready\\n');
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      const text = tail + chunk;
      rows += text.split('{"id":').length - 1;
      tail = text.slice(-6);
      if (tail.includes('{')) tail = tail.slice(tail.lastIndexOf('{')); else tail = '';
    });
  });
  req.on('error', () => setTimeout(subscribe, 50));
  req.end();
}
subscribe();
process.stdin.on('end', () => { process.stdout.write('rows ' + rows + '\\n'); process.exit(0); });
process.stdin.resume();
`;

async function startPage(port: number): Promise<{ child: ChildProcess; rows: () => Promise<number> }> {
  const child = spawn(process.execPath, ['-e', PAGE, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  await waitForLine(child, /ready/, 30_000);
  return {
    child,
    rows: async () => {
      const done = waitForLine(child, /rows (\d+)/, 30_000);
      child.stdin!.end();
      return Number((await done)[1]);
    },
  };
}

interface Round {
  perSecond: number;
  cpuShare: number;
  answered: number;
  sent: number;
  rows: number;
}

async function round(attached: boolean): Promise<Round> {
  const inspectPort = attached ? await unusedPort() : 0;
  const emulator = await startEmulatorProcess(attached ? ['--inspect', String(inspectPort)] : []);
  const page = attached ? await startPage(inspectPort) : undefined;
  try {
    const port = Number(emulator.bootstrap.split(':')[1]);
    await flat(port, 2000); // warm-up
    const ms = await flat(port, COUNT);
    const cpuBefore = cpuMsOf(emulator.pid);
    const started = performance.now();
    const { sent, answered } = await paced(port, RATE, PACED_MS);
    const cpuShare = (cpuMsOf(emulator.pid) - cpuBefore) / (performance.now() - started);
    return { perSecond: (COUNT / ms) * 1000, cpuShare, sent, answered, rows: page ? await page.rows() : 0 };
  } finally {
    page?.child.kill();
    await emulator.stop();
  }
}

const bare: Round[] = [];
const withInspector: Round[] = [];
for (let i = 0; i < ROUNDS; i++) {
  bare.push(await round(false));
  withInspector.push(await round(true));
}
const b = median(bare.map((r) => r.perSecond));
const w = median(withInspector.map((r) => r.perSecond));
const bc = median(bare.map((r) => r.cpuShare));
const wc = median(withInspector.map((r) => r.cpuShare));
const all = (rs: Round[]) => rs.every((r) => r.answered === r.sent);
console.log(machineLine());
console.log(
  `Metadata v12 on one connection; kafkalab emulator in its own process, the page in another; ${ROUNDS} rounds each, medians`,
);
console.log(`saturation (${COUNT} requests, 256 in flight):`);
console.log(`  emulator alone:              ${b.toFixed(0)} requests/s`);
console.log(
  `  with the inspector attached: ${w.toFixed(0)} requests/s (the page was sent ${median(withInspector.map((r) => r.rows))} rows per round; the rest dropped and counted)`,
);
console.log(`  drop: ${((1 - w / b) * 100).toFixed(1)}% (target ≤ 10%)`);
console.log(
  `${RATE} requests/s for ${PACED_MS} ms (every request answered: ${all(bare) && all(withInspector)}):`,
);
console.log(`  emulator CPU alone:              ${(bc * 100).toFixed(0)}% of one core`);
console.log(`  emulator CPU, inspector attached: ${(wc * 100).toFixed(0)}% of one core`);
