// Record → replay round trip: kafkajs 2.2.4 talks to the emulator through the proxy, the proxy records
// (emulator's --record format), and `kafkalab decode --trace FILE` (runDecode in-process) replays it.
// The emulator's own recordFile of the same session replays with the same exchanges: one format.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIO, runDecode } from '../../src/cli/commands/decode.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { type KafkaProxy, type ProxyExchange, startProxy } from '../../src/proxy/index.js';

let dir: string;
let emulator: Emulator;
let proxy: KafkaProxy;
let proxyFile: string;
let emulatorFile: string;
let exchanges: ProxyExchange[];

function io(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    readFile: (p) => readFile(p),
    readStdin: async () => Buffer.alloc(0),
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdout: () => out,
    stderr: () => err,
  };
}

async function decode(file: string, options: Record<string, string>) {
  const sink = io();
  const code = await runDecode(undefined, { trace: file, ...options }, sink);
  return { code, stdout: sink.stdout(), stderr: sink.stderr() };
}

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  dir = await mkdtemp(join(tmpdir(), 'kafkalab-replay-'));
  proxyFile = join(dir, 'proxy.jsonl');
  emulatorFile = join(dir, 'emulator.jsonl');
  emulator = await startEmulator({ port: 0, recordFile: emulatorFile });
  const lines: string[] = [];
  proxy = await startProxy({
    upstream: emulator.bootstrap,
    keepExchanges: true,
    recordLine: (l) => lines.push(l),
  });
  const kafka = new Kafka({ clientId: 'replayed', brokers: [proxy.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'replay', numPartitions: 2 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: 'replay',
    messages: [
      { key: 'a', value: 'first' },
      { key: 'b', value: 'second' },
    ],
  });
  await producer.disconnect();
  await proxy.stop();
  await emulator.stop();
  exchanges = proxy.exchanges.filter((x) => x.outcome !== 'pending');
  await writeFile(proxyFile, lines.map((l) => `${l}\n`).join(''));
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `#N +S.SSSs conn#C client="…" Api vV corr=K …` */
const LINE =
  /^#(\d+) \+(\d+\.\d{3})s conn#(\d+) client="([^"]*)" (\w+) v(\d+) corr=(-?\d+) (\d+)B→(\d+B|[\w-]+)/;

describe('kafkalab decode --trace', () => {
  it('lists every recorded exchange in request order, with its time and sizes', async () => {
    const { code, stdout, stderr } = await decode(proxyFile, {});
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const rows = lines.slice(0, -1).map((l) => LINE.exec(l));
    expect(rows.every((m) => m !== null)).toBe(true);
    expect(rows).toHaveLength(exchanges.length);
    const expected = [...exchanges].sort((a, b) => a.receivedAt - b.receivedAt);
    // Same set of (connection, api, correlation id, sizes); order within one millisecond may differ.
    const key = (conn: number, api: string, corr: number, req: number) => `${conn} ${api} ${corr} ${req}`;
    expect(rows.map((m) => key(Number(m![3]), m![5], Number(m![7]), Number(m![8]))).sort()).toEqual(
      expected.map((x) => key(x.conn, x.api!.name, x.correlationId, x.request.raw.length)).sort(),
    );
    expect(rows.map((m) => Number(m![1]))).toEqual(rows.map((_, i) => i + 1));
    const offsets = rows.map((m) => Number(m![2]));
    expect(offsets[0]).toBe(0);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^${exchanges.length} exchanges on ${new Set(exchanges.map((x) => x.conn)).size} connections over \\d+\\.\\d{3} s$`,
      ),
    );
    // The rewritten Metadata answers say so.
    expect(stdout).toContain(`[rewrote node 0 ${emulator.bootstrap} → ${proxy.bootstrap}]`);
  });

  it('filters by --api, --client-id and --connection', async () => {
    const produce = await decode(proxyFile, { api: 'Produce' });
    const produceRows = produce.stdout.trimEnd().split('\n').slice(0, -1);
    expect(produceRows.length).toBe(exchanges.filter((x) => x.api?.name === 'Produce').length);
    expect(produceRows.length).toBeGreaterThan(0);
    expect(produceRows.every((l) => / Produce v\d+ /.test(l))).toBe(true);
    expect(produce.stdout).toMatch(/; \d+ shown$/m);

    const byKey = await decode(proxyFile, { api: '3' });
    expect(
      byKey.stdout
        .trimEnd()
        .split('\n')
        .slice(0, -1)
        .every((l) => / Metadata v\d+ /.test(l)),
    ).toBe(true);

    const none = await decode(proxyFile, { clientId: 'someone-else' });
    expect(none.stdout.trimEnd().split('\n')).toHaveLength(1);
    const all = await decode(proxyFile, { clientId: 'replayed' });
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(exchanges.length + 1);

    const conn = exchanges[exchanges.length - 1].conn;
    const one = await decode(proxyFile, { connection: String(conn) });
    const rows = one.stdout.trimEnd().split('\n').slice(0, -1);
    expect(rows).toHaveLength(exchanges.filter((x) => x.conn === conn).length);
    expect(rows.every((l) => l.includes(` conn#${conn} `))).toBe(true);
  });

  it('explains one exchange in full with --frame N', async () => {
    const list = await decode(proxyFile, { api: 'Metadata' });
    const n = Number(/^#(\d+)/.exec(list.stdout)![1]);
    const { code, stdout } = await decode(proxyFile, { frame: String(n) });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^#${n} `));
    expect(stdout).toContain('── request');
    expect(stdout).toContain('── response');
    // The listing shows the address the client was given: the proxy's port.
    expect(stdout).toMatch(new RegExp(`brokers\\[0\\]\\.port\\s.*\\b${proxy.port}\\b`));
    const tree = await decode(proxyFile, { frame: String(n), format: 'tree' });
    expect(tree.stdout).not.toBe(stdout);
    expect(tree.stdout).toContain('brokers');
  });

  it("replays the emulator's own record of the same session: one format for both", async () => {
    const fromProxy = await decode(proxyFile, {});
    const fromEmulator = await decode(emulatorFile, {});
    expect(fromEmulator.code).toBe(0);
    const apis = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .slice(0, -1)
        .map((l) => LINE.exec(l)![5])
        .sort();
    expect(apis(fromEmulator.stdout)).toEqual(apis(fromProxy.stdout));
  });

  it('names the line of a malformed file and a missing frame, exit code 1', async () => {
    const bad = join(dir, 'bad.jsonl');
    const good = (await readFile(proxyFile, 'utf8')).split('\n')[0];
    await writeFile(bad, `${good}\n{"connection":1}\n`);
    const r = await decode(bad, {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 2: "apiKey" must be an integer/);
    const missing = await decode(proxyFile, { frame: '99999' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no exchange #99999/);
    const usage = await decode(proxyFile, { version: '3' });
    expect(usage.code).toBe(1);
  });
});
