// Bad input on a SASL listener (issue 17's proof): random and truncated SaslAuthenticate tokens for
// PLAIN and SCRAM (a client-first cut anywhere, a good client-first then a random or cut
// client-final), SaslHandshake with junk mechanisms, and a frame that announces 100 MB before login.
// Each bad connection gets an error answer or is closed — never a hang (every request is bounded) —
// and a SCRAM producer on its own connection keeps every acknowledged record through all of it.
// Seeded: a failure names the seed, and FUZZ_SEED replays it.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/client/connection.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { Producer } from '../../src/client/producer/producer.js';
import { SaslHandshake } from '../../src/protocol/messages/17-sasl-handshake.js';
import { SaslAuthenticate } from '../../src/protocol/messages/36-sasl-authenticate.js';
import { Rng } from '../support/rng.js';
import { type SecureEmulator, startSecureEmulator } from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 848_368);
const ROUNDS = 150;
let e: SecureEmulator;
let host: string;
let port: number;

beforeAll(async () => {
  e = await startSecureEmulator(
    {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'sasl.users': 'alice:alice-secret',
      'connection.failed.authentication.delay.ms': '0',
    },
    { topics: [{ name: 'sasl-fuzz', partitions: 1 }] },
  );
  const [h, p] = e.bootstrap.split(':');
  host = h as string;
  port = Number(p);
}, 30_000);

afterAll(async () => {
  await e?.stop();
});

/** Per token: the SaslAuthenticate error code, or 'closed' when the broker closed instead. */
type Outcome = number | 'closed';

/** One bad login: a handshake, then the tokens; how the broker ended it. */
async function badLogin(mechanism: string, tokens: Buffer[]): Promise<Outcome[]> {
  const c = new Connection({ host, port, requestTimeoutMs: 5000 });
  const out: Outcome[] = [];
  try {
    await c.connect();
    const hs = await c.request(SaslHandshake, { mechanism }, { version: 1 });
    if (hs.errorCode !== 0) return [hs.errorCode];
    for (const token of tokens) {
      const a = await c.request(SaslAuthenticate, { authBytes: token });
      out.push(a.errorCode);
      if (a.errorCode !== 0) break;
    }
  } catch (err) {
    // A closed connection is an answer too; a timeout is not (it would mean a hang).
    if (/timed out/.test((err as Error).message)) throw err;
    out.push('closed');
  } finally {
    await c.close();
  }
  return out;
}

function badTokens(rng: Rng): { mechanism: string; tokens: Buffer[] } {
  const mechanism = rng.pick([
    'PLAIN',
    'SCRAM-SHA-256',
    'SCRAM-SHA-512',
    'GSSAPI',
    '',
    'scram-sha-256\u0000',
  ]);
  const first = Buffer.from(`n,,n=alice,r=${rng.bytes(12).toString('base64')}`);
  const cut = (b: Buffer) => b.subarray(0, rng.int(b.length));
  switch (rng.int(4)) {
    case 0:
      return { mechanism, tokens: [rng.bytes(rng.int(600))] };
    case 1:
      return { mechanism, tokens: [cut(first)] };
    case 2:
      return {
        mechanism,
        tokens: [first, rng.int(2) ? rng.bytes(rng.int(200)) : cut(Buffer.from('c=biws,r=x,p=AAAA'))],
      };
    default:
      // PLAIN's NUL-separated form with pieces missing or junk inside.
      return { mechanism, tokens: [cut(Buffer.from(`\u0000alice\u0000${rng.bytes(8).toString('hex')}`))] };
  }
}

describe('SASL listener under bad input', () => {
  it(`random and truncated tokens, junk mechanisms, a 100 MB frame: closed or refused, never a hang; a good producer loses nothing (seed ${SEED})`, async () => {
    const security = {
      sasl: { mechanism: 'SCRAM-SHA-512' as const, username: 'alice', password: 'alice-secret' },
    };
    const producer = new Producer({ bootstrap: e.bootstrap, security });
    const acked: string[] = [];
    const rng = new Rng(SEED);
    const outcomes: Outcome[][] = [];
    const rounds: number[] = [];
    const scram: boolean[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const { mechanism, tokens } = badTokens(rng);
        rounds.push(tokens.length);
        scram.push(mechanism.startsWith('SCRAM'));
        const [outcome] = await Promise.all([
          badLogin(mechanism, tokens),
          producer
            .send({ topic: 'sasl-fuzz', messages: [{ value: `v${i}` }] })
            .then(() => acked.push(`v${i}`)),
        ]);
        outcomes.push(outcome);
      }
      // Before login a frame is limited to sasl.server.max.receive.size (512 KiB): announcing 100 MB
      // gets the connection closed at once, without the broker waiting for (or buffering) the bytes.
      const closed = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host, port }, () => {
          const header = Buffer.alloc(4);
          header.writeInt32BE(100 * 1024 * 1024);
          s.write(Buffer.concat([header, Buffer.alloc(1024)]));
        });
        const timer = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 10_000);
        s.on('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
        s.on('error', () => undefined);
        s.resume();
      });
      expect(closed).toBe(true);
    } finally {
      await producer.close();
    }
    // Every bad login ended in a refusal or a close — none completed: a login completes on a 0
    // for its last token (PLAIN's only one, SCRAM's client-final).
    const completed = outcomes.filter(
      (o, i) => o.length === rounds[i] && o.at(-1) === 0 && !(rounds[i] === 1 && scram[i]),
    );
    expect(completed).toEqual([]);
    expect(outcomes.every((o) => o.length > 0)).toBe(true);
    expect(acked).toHaveLength(ROUNDS);
    // Every acknowledged record is there, in order.
    const consumer = new Consumer({ bootstrap: e.bootstrap, security });
    consumer.assign([{ topic: 'sasl-fuzz', partition: 0, offset: 0n }]);
    const read: string[] = [];
    try {
      for await (const r of consumer) {
        read.push(r.value!.toString());
        if (read.length === ROUNDS) break;
      }
    } finally {
      await consumer.close();
    }
    expect(read).toEqual(acked);
    expect(e.trace.some((l) => /closed/.test(l))).toBe(true);
  }, 120_000);
});
