/**
 * Bad input against a running emulator (issue 3, "Bad input"): 10,000 mutated frames plus 2,000 frames
 * of pure random bytes, over many connections, while a well-behaved kafkajs producer and consumer
 * group keep working on their own connections. The emulator runs as the built CLI in its own process.
 *
 * Oracle, per bad connection (Kafka's rules, notes/broker-behaviour.md §7 rows 1-9):
 * - a size prefix that is negative or over --max-request-bytes, or a whole frame our decoder refuses,
 *   or an API/version the emulator does not serve: the emulator closes the connection by itself
 *   (we never half-close those), sending nothing — except an ApiVersions of a version it does not
 *   serve, which is answered with a v0 body (KIP-511);
 * - anything else (a frame that decodes, or one still missing bytes): we half-close after writing;
 *   the connection must then close, and whatever came back must be whole response frames.
 * And globally: the process stays up, no handler threw ("internal error" in the trace), the good
 * client saw no error and lost no message. Seeded, so a failure can be replayed.
 */
import net from 'node:net';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRequestFrame, encodeRequestFrame } from '../../src/protocol/frame.js';
import { ApiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { ALL_APIS } from '../../src/protocol/messages/index.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import { messageArb } from '../support/arbitrary.js';
import { Rng } from '../support/rng.js';
import { type SpawnedEmulator, spawnEmulator } from './support/spawn-emulator.js';
import { WireClient } from './support/wire-client.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const MUTATED = 10_000;
const RANDOM = 2_000;
const CONCURRENCY = 24;
const MAX_REQUEST_BYTES = 1 << 20;
const CLOSE_TIMEOUT_MS = 15_000;
const GOOD_TOPIC = 'fuzz-good-topic-5d1c';
const GOOD_GROUP = 'fuzz-good-group-5d1c';

/** Values that make sizes, lengths and counts lie. */
const INT32_LIES = [0x7fffffff, -1, -2, 0x80000000 | 0, 0x10000, 0x00ffffff, MAX_REQUEST_BYTES + 1];
const VARINT_LIES = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
];

/** One mutation; the size prefix is fixed up afterwards unless the mutation is about the size. */
function mutate(frame: Buffer, rng: Rng): Buffer {
  let b = Buffer.from(frame);
  const pos = () => 4 + rng.int(Math.max(1, b.length - 4));
  let fixSize = true;
  switch (rng.int(9)) {
    case 0: // flip 1-4 bits
      for (let i = rng.int(4); i >= 0; i--) b[pos()] ^= 1 << rng.int(8);
      break;
    case 1: // a boundary byte
      b[pos()] = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01]);
      break;
    case 2: {
      const at = pos();
      b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(8)), b.subarray(at)]);
      break;
    }
    case 3: {
      const at = pos();
      b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(8)))]);
      break;
    }
    case 4: // truncated: the size still claims the whole frame, or is fixed to the cut
      b = b.subarray(0, 4 + rng.int(b.length - 4));
      fixSize = rng.int(2) === 0;
      break;
    case 5: // a count or length that lies (int32)
      if (b.length >= 8) b.writeInt32BE(rng.pick(INT32_LIES), 4 + rng.int(b.length - 7));
      break;
    case 6: // a varint that lies
      {
        const at = pos();
        const v = Buffer.from(rng.pick(VARINT_LIES));
        b = Buffer.concat([b.subarray(0, at), v, b.subarray(Math.min(b.length, at + v.length))]);
      }
      break;
    case 7: // a wrong size prefix
      b.writeInt32BE(rng.pick([...INT32_LIES, b.length - 4 + 1 + rng.int(64), rng.int(b.length)]), 0);
      fixSize = false;
      break;
    default: // an API version from nowhere
      if (b.length >= 8) b.writeInt16BE(rng.pick([-1, 99, 0x7fff, rng.int(20)]), 6);
  }
  if (fixSize && b.length >= 4) b.writeInt32BE(b.length - 4, 0);
  return b;
}

function randomFrame(rng: Rng): Buffer {
  const body = rng.bytes(rng.int(64));
  if (rng.int(2) === 0) return body; // not even a size prefix that matches
  const b = Buffer.alloc(4 + body.length);
  b.writeInt32BE(body.length, 0);
  body.copy(b, 4);
  return b;
}

type Served = Map<number, { min: number; max: number }>;

/** What the emulator must do with these bytes, judged before sending them. */
function expectation(bytes: Buffer, served: Served): 'closes-by-itself' | 'answers-v0' | 'may-answer' {
  if (bytes.length < 4) return 'may-answer';
  const size = bytes.readInt32BE(0);
  if (size < 0 || size > MAX_REQUEST_BYTES) return 'closes-by-itself';
  if (size !== bytes.length - 4) return 'may-answer'; // waits for more bytes, or a second frame follows
  if (size < 8) return 'closes-by-itself';
  const apiKey = bytes.readInt16BE(4);
  const version = bytes.readInt16BE(6);
  const range = served.get(apiKey);
  if (!range) return 'closes-by-itself';
  // Kafka answers any ApiVersions version it does not support, below or above, without parsing the
  // body (RequestContext.isUnsupportedApiVersionsRequest), and keeps the connection open.
  if (apiKey === 18 && (version > range.max || version < range.min)) return 'answers-v0';
  if (version < range.min || version > range.max) return 'closes-by-itself';
  try {
    decodeRequestFrame(bytes);
  } catch {
    return 'closes-by-itself';
  }
  return 'may-answer';
}

interface Outcome {
  closed: boolean;
  received: Buffer;
}

function sendBad(port: number, bytes: Buffer, halfClose: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, received: Buffer.concat(chunks) });
    }, CLOSE_TIMEOUT_MS);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, received: Buffer.concat(chunks) });
    });
    socket.on('connect', () => {
      if (bytes.length > 0) socket.write(bytes);
      if (halfClose) socket.end();
    });
  });
}

/** Whole frames only: each size prefix is followed by exactly that many bytes. */
function wholeFrames(b: Buffer): number | undefined {
  let at = 0;
  let n = 0;
  while (at < b.length) {
    if (b.length - at < 4) return undefined;
    const size = b.readInt32BE(at);
    if (size < 4 || b.length - at - 4 < size) return undefined;
    at += 4 + size;
    n++;
  }
  return n;
}

let emulator: SpawnedEmulator | undefined;

afterAll(async () => {
  await emulator?.stop('SIGKILL');
});

describe('fuzzing a running emulator', () => {
  it('survives 12,000 bad frames while a kafkajs producer and consumer lose nothing', async () => {
    emulator = await spawnEmulator([
      '--port',
      '0',
      '--trace',
      '--max-request-bytes',
      String(MAX_REQUEST_BYTES),
      '--topic',
      `${GOOD_TOPIC}:2`,
    ]);
    const port = emulator.port;

    // What the emulator serves, from its own ApiVersions.
    const wire = await WireClient.connect(port);
    const versions = await wire.request(ApiVersions, 3, {
      clientSoftwareName: 'fuzz',
      clientSoftwareVersion: '1',
    });
    wire.close();
    const served: Served = new Map(
      versions.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]),
    );

    // Valid frames of every declared API and version (served or not), to mutate.
    const pool: Buffer[] = [];
    let correlationId = 0;
    for (const api of ALL_APIS) {
      const r = parseVersions(api.request.validVersions);
      for (let v = r.low; v <= r.high; v++) {
        for (const body of fc.sample(messageArb(api.request, v, { maxArray: 2 }), {
          numRuns: 6,
          seed: SEED + api.apiKey * 100 + v,
        })) {
          pool.push(
            encodeRequestFrame({
              api,
              version: v,
              correlationId: ++correlationId,
              clientId: 'fuzz',
              body: body as never,
            }),
          );
        }
      }
    }
    expect(pool.length).toBeGreaterThan(500);

    // The good client, on its own connections the whole time.
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    const clientErrors: string[] = [];
    const kafka = new Kafka({
      clientId: 'good-client',
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => {
        if (entry.level <= logLevel.ERROR) clientErrors.push(JSON.stringify(entry.log));
      },
    });
    const producer = kafka.producer({ idempotent: true });
    const consumer = kafka.consumer({ groupId: GOOD_GROUP, maxWaitTimeInMs: 100 });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: GOOD_TOPIC, fromBeginning: true });
    const consumed = new Set<string>();
    let duplicates = 0;
    consumer.on(consumer.events.CRASH, (e) => clientErrors.push(`consumer crash: ${e.payload.error}`));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const v = String(message.value);
        if (consumed.has(v)) duplicates++;
        consumed.add(v);
      },
    });
    const produced: string[] = [];
    let fuzzing = true;
    const producing = (async () => {
      // Bounded: stops when the fuzzing does, and never runs more than 2000 rounds.
      for (let round = 0; fuzzing && round < 2000; round++) {
        const messages = Array.from({ length: 10 }, (_, i) => ({
          key: `k${i}`,
          value: `round-${round}-msg-${i}`,
        }));
        await producer.send({ topic: GOOD_TOPIC, acks: -1, messages });
        for (const m of messages) produced.push(m.value);
      }
    })().catch((err: Error) => clientErrors.push(`producer: ${err.message}`));

    // The bad connections.
    const rng = new Rng(SEED);
    const jobs: Buffer[] = [];
    for (let i = 0; i < MUTATED; i++) jobs.push(mutate(rng.pick(pool), rng));
    for (let i = 0; i < RANDOM; i++) jobs.push(randomFrame(rng));
    const stats = { closedByItself: 0, answered: 0, halfClosed: 0 };
    const failures: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        // Bounded: each worker takes jobs until none are left.
        while (next < jobs.length) {
          const index = next++;
          const bytes = jobs[index];
          const expect_ = expectation(bytes, served);
          const selfClose = expect_ === 'closes-by-itself';
          const out = await sendBad(port, bytes, !selfClose);
          const frames = wholeFrames(out.received);
          const fail = (why: string) =>
            failures.push(`#${index} (${expect_}) ${why}: ${bytes.subarray(0, 64).toString('hex')}`);
          if (!out.closed) fail('connection not closed');
          else if (selfClose && out.received.length > 0) fail(`answered ${out.received.length} bytes`);
          else if (frames === undefined) fail('partial response frame');
          else if (expect_ === 'answers-v0' && frames !== 1) fail('too-new ApiVersions not answered');
          if (selfClose) stats.closedByItself++;
          else stats.halfClosed++;
          if (frames) stats.answered++;
        }
      }),
    );
    const fuzzMs = performance.now() - started;
    fuzzing = false;
    await producing;

    // The good client got everything it sent, once.
    const deadline = Date.now() + 30_000;
    while (consumed.size < produced.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await consumer.disconnect();
    await producer.disconnect();

    console.log(
      `fuzz-live: ${jobs.length} bad connections in ${(fuzzMs / 1000).toFixed(1)} s ` +
        `(${stats.closedByItself} closed by the emulator itself, ${stats.halfClosed} half-closed by us, ` +
        `${stats.answered} answered); good client produced and consumed ${produced.length} messages`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(stats.closedByItself).toBeGreaterThan(jobs.length / 4);
    expect(clientErrors).toEqual([]);
    expect(produced.length).toBeGreaterThan(0);
    expect(consumed.size).toBe(produced.length);
    expect([...consumed].sort()).toEqual([...produced].sort());
    expect(duplicates).toBe(0);

    // No handler threw on input that decoded; the process is still up and stops cleanly.
    const internalErrors = emulator
      .stdout()
      .split('\n')
      .filter((l) => l.includes('internal error'));
    expect(internalErrors.slice(0, 5)).toEqual([]);
    expect(emulator.child.exitCode).toBe(null);
    expect(await emulator.stop('SIGTERM')).toBe(0);
  }, 180_000);
});
