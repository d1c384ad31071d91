// Issue 16: `kafkalab emulator --brokers 3` (the built bin) takes broker commands on stdin, one a
// line, and answers each with one line: stop moves leadership away first, kill resets and leaves
// fencing to broker.session.timeout.ms (here 200 ms, real time), start listens on the same port.
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { poke, until } from '../../support/until.js';
import { type SpawnedEmulator, spawnEmulator } from '../support/spawn-emulator.js';

let emulator: SpawnedEmulator | undefined;

afterEach(async () => {
  await emulator?.stop('SIGTERM');
  emulator = undefined;
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Sends one command and waits for the next stdout or stderr line that matches `answer`. */
async function command(e: SpawnedEmulator, line: string, answer: RegExp): Promise<string> {
  const from = { out: e.stdout().length, err: e.stderr().length };
  e.child.stdin.write(`${line}\n`);
  let found = '';
  await until(`an answer to "${line}"`, () => {
    const text = e.stdout().slice(from.out) + e.stderr().slice(from.err);
    found = text.split('\n').find((l) => answer.test(l)) ?? '';
    return found !== '';
  });
  return found;
}

it('stop, kill, start and brokers on stdin, one line each; bad commands say why', async () => {
  emulator = await spawnEmulator([
    '--brokers',
    '3',
    '--port',
    '0',
    '--topic',
    'fo:3',
    '--override',
    'broker.session.timeout.ms=200',
  ]);
  const e = emulator;
  // Each output chunk re-checks the waits below.
  e.child.stdout.on('data', () => setImmediate(poke));
  e.child.stderr.on('data', () => setImmediate(poke));
  await until('three listening lines', () => /\(node 2\)$/m.test(e.stdout()));
  const ports = [...e.stdout().matchAll(/listening on 127\.0\.0\.1:(\d+) \(node (\d)\)/g)].map((m) =>
    Number(m[1]),
  );
  expect(ports).toHaveLength(3);
  expect(await command(e, 'brokers', /^broker 2 /)).toMatch(
    /^broker 2 127\.0\.0\.1:\d+ running, registered, leads \d+ partitions?$/,
  );
  expect(await command(e, 'stop 1', /^broker 1 stopped/)).toMatch(
    /^broker 1 stopped: controlled shutdown leadership of \d+ partitions? moved \(.*\); listener 127\.0\.0\.1:\d+ closed, 0 connections closed$/,
  );
  expect(await canConnect(ports[1] as number)).toBe(false);
  expect(await command(e, 'stop 1', /already stopped/)).toBe(
    'kafkalab emulator: broker 1 is already stopped: cannot stop it',
  );
  expect(await command(e, 'kill 2', /^broker 2 killed/)).toBe(
    'broker 2 killed: 0 connections reset, no controlled shutdown; the controller fences it after broker.session.timeout.ms (200 ms)',
  );
  expect(await command(e, 'help', /^commands:/)).toContain('stop N');
  // The fencing line comes by itself once the session timeout has passed.
  await until('broker 2 fenced', () => /^broker 2 fenced: no heartbeat/m.test(e.stdout()));
  expect(await command(e, 'start 1', /^broker 1 started/)).toMatch(
    new RegExp(`^broker 1 started: listening on 127\\.0\\.0\\.1:${ports[1]}; registered again`),
  );
  expect(await canConnect(ports[1] as number)).toBe(true);
  expect(await command(e, 'brokers', /^broker 2 /)).toMatch(
    /^broker 2 127\.0\.0\.1:\d+ killed, fenced, leads 0 partitions$/,
  );
  expect(await command(e, 'reboot 1', /unknown command/)).toContain('unknown command "reboot 1"; commands:');
  expect(await command(e, 'stop one', /takes one broker id/)).toBe(
    'kafkalab emulator: stop takes one broker id (a node id, e.g. "stop 1"), got "stop one"',
  );
  expect(await command(e, 'pause 9', /no broker 9/)).toBe(
    'kafkalab emulator: no broker 9 in this cluster (brokers: 0, 1, 2)',
  );
  // stdin ending does not stop the emulator; SIGTERM does, with code 0.
  e.child.stdin.end();
  expect(await canConnect(ports[0] as number)).toBe(true);
  expect(await e.stop('SIGTERM')).toBe(0);
  emulator = undefined;
});
