/**
 * Load for the inspector's performance checks: Metadata v12 requests (no topics: small both ways)
 * written on one connection, either paced at a rate (`paced`) or as fast as the broker answers with
 * a bounded number in flight (`flat`). Responses are read and counted by their size prefixes.
 */
import { connect, type Socket } from 'node:net';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { apiByName } from '../../src/protocol/messages/index.js';

function metadataFrame(correlationId: number): Buffer {
  return encodeRequestFrame({
    api: apiByName('Metadata')!,
    version: 12,
    correlationId,
    clientId: 'load',
    body: { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false },
  } as any);
}

interface Conn {
  socket: Socket;
  answered: () => number;
  onAnswer: (fn: () => void) => void;
}

async function open(port: number): Promise<Conn> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let answered = 0;
  let pending: Buffer = Buffer.alloc(0);
  const listeners: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4) {
      const size = pending.readInt32BE(at);
      if (pending.length - at < 4 + size) break;
      at += 4 + size;
      answered++;
    }
    pending = pending.subarray(at);
    for (const l of listeners) l();
  });
  return { socket, answered: () => answered, onAnswer: (fn) => listeners.push(fn) };
}

/** `rate` requests a second for `ms`, written every few milliseconds; resolves with the counts. */
export async function paced(
  port: number,
  rate: number,
  ms: number,
): Promise<{ sent: number; answered: number }> {
  const c = await open(port);
  const frame = metadataFrame(1);
  let sent = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - started;
      const due = Math.min(Math.floor((elapsed * rate) / 1000), Math.floor((ms * rate) / 1000)) - sent;
      if (due > 0) {
        c.socket.write(Buffer.concat(Array(due).fill(frame)));
        sent += due;
      }
      if (elapsed >= ms) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  // Every request answered (bounded: 30 s), then the connection closes.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${c.answered()} of ${sent} answered in 30 s`)), 30_000);
    const check = () => {
      if (c.answered() < sent) return;
      clearTimeout(timer);
      resolve();
    };
    c.onAnswer(check);
    check();
  });
  c.socket.destroy();
  return { sent, answered: c.answered() };
}

/** `count` requests as fast as they are answered, `window` in flight; resolves with the time taken. */
export async function flat(port: number, count: number, window = 256): Promise<number> {
  const c = await open(port);
  const frame = metadataFrame(1);
  let sent = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const fill = () => {
      const room = Math.min(window - (sent - c.answered()), count - sent);
      if (room > 0) {
        c.socket.write(Buffer.concat(Array(room).fill(frame)));
        sent += room;
      }
      if (c.answered() >= count) resolve();
    };
    c.onAnswer(fill);
    fill();
  });
  const ms = performance.now() - started;
  c.socket.destroy();
  return ms;
}
