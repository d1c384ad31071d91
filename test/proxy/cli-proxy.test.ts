// `kafkalab proxy` and `kafkalab decode --trace` as a user runs them: the built bin (dist/cli/main.js,
// built by test/cli/global-setup.ts) in child processes, kafkajs 2.2.4 through the proxy to the
// emulator, the recording replayed by a second command. Ready = the proxy's listening line; every
// wait is bounded.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { CLI_MAIN, ROOT, runCli } from '../support/cli.js';

const READY = /^kafkalab proxy listening on (\S+) → (\S+)$/m;

let dir: string;
let emulator: Emulator;
let child: ChildProcessWithoutNullStreams;
let out = '';
let err = '';
let bootstrap: string;
let exited: Promise<number | null>;

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  dir = await mkdtemp(join(tmpdir(), 'kafkalab-cli-proxy-'));
  emulator = await startEmulator({ port: 0 });
  child = spawn(
    process.execPath,
    [
      CLI_MAIN,
      'proxy',
      '--upstream',
      emulator.bootstrap,
      '--trace',
      '--explain',
      '--record',
      join(dir, 'session.jsonl'),
    ],
    { cwd: ROOT },
  );
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  bootstrap = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line within 30 s; stdout: ${out} stderr: ${err}`)),
      30_000,
    );
    const onData = () => {
      const m = READY.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(m[1]);
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`proxy exited (${code}) before it was ready; stderr: ${err}`));
    });
  });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kafkalab proxy (built bin)', () => {
  it('traces, explains and records a kafkajs session; SIGTERM flushes the record; decode --trace replays it', async () => {
    expect(READY.exec(out)![2]).toBe(emulator.bootstrap);
    const kafka = new Kafka({ clientId: 'cli-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'cli', numPartitions: 1 }] });
    await admin.disconnect();

    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('proxy did not stop within 15 s')), 15_000),
      ),
    ]);
    expect(code).toBe(0);
    expect(err).toBe('');
    // --trace: one line per exchange; --explain: the listings.
    const traced = out.split('\n').filter((l) => l.startsWith('conn#'));
    expect(
      traced.some((l) => /^conn#1 client="cli-test" CreateTopics v\d+ corr=\d+ \d+B→\d+B /.test(l)),
    ).toBe(true);
    expect(
      traced.some(
        (l) => l.includes(`Metadata`) && l.includes(`[rewrote node 0 ${emulator.bootstrap} → ${bootstrap}]`),
      ),
    ).toBe(true);
    expect(out).toMatch(/^0x0004 +00 13 +INT16 +header\.requestApiKey +19/m);

    const replay = await runCli(['decode', '--trace', join(dir, 'session.jsonl')]);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    const rows = replay.stdout.trimEnd().split('\n');
    // Same exchanges as traced live, each prefixed with #N and its time.
    expect(
      rows.slice(0, -1).map((l) => l.replace(/^#\d+ \+\d+\.\d{3}s /, '').replace(/ \d+\.\d\dms/, '')),
    ).toEqual(traced.map((l) => l.replace(/ \d+\.\d\dms/, '')));
    expect(rows.at(-1)).toMatch(new RegExp(`^${traced.length} exchanges on 1 connection over `));

    const createTopics = rows.find((l) => l.includes(' CreateTopics '))!;
    const n = /^#(\d+)/.exec(createTopics)![1];
    const one = await runCli([
      'decode',
      '--trace',
      join(dir, 'session.jsonl'),
      '--frame',
      n,
      '--format',
      'json',
    ]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('"name": "cli"');
  }, 90_000);

  it('refuses a bad --upstream with a one-line error', async () => {
    const r = await runCli(['proxy', '--upstream', 'nohostport']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/expected HOST:PORT, got 'nohostport'/);
  });
});
