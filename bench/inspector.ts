/**
 * `npm run bench:inspector` (or `npx tsx bench/inspector.ts`) — what attaching the browser inspector
 * costs the emulator (issue 18: at most a 10% drop). The same in-process emulator answers Metadata
 * v12 requests as fast as one connection with 256 in flight gets them answered, first bare, then
 * with the inspector attached and one page's event stream (/api/events) read as a browser would.
 * Rounds alternate bare / attached so machine load moves both alike; the median of each is reported.
 */
import { request } from 'node:http';
import { startEmulator } from '../src/emulator/start-emulator.js';
import { inspectLive } from '../src/inspector/index.js';
import { flat } from '../test/inspector/load.js';
import { machineLine } from './harness.js';

const COUNT = Number(process.env.BENCH_REQUESTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** One page's worth of reading: the event stream, consumed and counted. */
function readEvents(port: number): Promise<{ events: () => number; close: () => void }> {
  return new Promise((resolve, reject) => {
    let events = 0;
    const req = request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        events += chunk.split('event: exchange').length - 1;
      });
      resolve({ events: () => events, close: () => req.destroy() });
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

async function round(attached: boolean): Promise<{ perSecond: number; delivered: number }> {
  const emulator = await startEmulator({ port: 0 });
  const inspector = attached ? await inspectLive(emulator.hooks, 'bench') : undefined;
  const page = inspector ? await readEvents(inspector.port) : undefined;
  try {
    await flat(emulator.port, 2000); // warm-up
    const ms = await flat(emulator.port, COUNT);
    return { perSecond: (COUNT / ms) * 1000, delivered: page?.events() ?? 0 };
  } finally {
    page?.close();
    await inspector?.close();
    await emulator.stop();
  }
}

const bare: number[] = [];
const withInspector: number[] = [];
const delivered: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  bare.push((await round(false)).perSecond);
  const r = await round(true);
  withInspector.push(r.perSecond);
  delivered.push(r.delivered);
}
const b = median(bare);
const w = median(withInspector);
console.log(machineLine());
console.log(
  `Metadata v12, ${COUNT} requests per round, ${ROUNDS} rounds each, one connection, 256 in flight`,
);
console.log(`emulator alone:              ${b.toFixed(0)} requests/s (median)`);
console.log(
  `with the inspector attached: ${w.toFixed(0)} requests/s (median; one page reading its event stream, ${median(delivered)} events delivered, the rest dropped and counted)`,
);
console.log(`drop: ${((1 - w / b) * 100).toFixed(1)}% (target ≤ 10%)`);
