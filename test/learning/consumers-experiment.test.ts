/**
 * The seed's experiment at small scale against the emulator: in-process (the logic) and through the
 * built bin (the table, the chart file, no progress bar when stderr is not a terminal).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsumersExperimentCli } from '../../src/cli/commands/experiment.js';
import { Admin } from '../../src/client/admin.js';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { niceScale, renderConsumersChart } from '../../src/learning/consumers-chart.js';
import { runConsumersExperiment } from '../../src/learning/consumers-experiment.js';
import { ProgressBar, renderProgressLine } from '../../src/learning/progress-bar.js';
import { runCli } from '../support/cli.js';

describe('runConsumersExperiment against the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator.stop());

  it('fills the topic evenly once, then every consumer count reads all of it in fresh groups', async () => {
    const progress: string[] = [];
    const result = await runConsumersExperiment({
      bootstrap: emulator.bootstrap,
      topic: 'exp-small',
      partitions: 2,
      messages: 3001,
      consumers: [1, 2, 3],
      runs: 2,
      messageBytes: 10,
      runTimeoutMs: 30_000,
      onProgress: (p) => progress.push(`${p.phase} ${p.label} ${p.done}/${p.total}`),
    });
    const admin = new Admin({ bootstrap: emulator.bootstrap });
    try {
      const ends = await admin.listOffsets({ topic: 'exp-small', spec: 'latest' });
      // Produced once (not once per run): 1501 + 1500.
      expect(ends.map((p) => p.offset).sort()).toEqual([1500n, 1501n]);
    } finally {
      await admin.close();
    }
    expect(result.results.map((r) => r.consumers)).toEqual([1, 2, 3]);
    const splits = result.results.map((r) => r.runs.map((run) => [...run.partitionsEach].sort().join('+')));
    // A partition goes to one consumer of a group; a third consumer of a 2-partition topic gets none.
    expect(splits).toEqual([
      ['2', '2'],
      ['1+1', '1+1'],
      ['0+1+1', '0+1+1'],
    ]);
    for (const r of result.results) {
      expect(r.runs).toHaveLength(2);
      for (const run of r.runs) {
        expect(run.delivered).toBeGreaterThanOrEqual(3001);
        expect(run.joinMs).toBeGreaterThan(0);
        expect(run.elapsedMs).toBeGreaterThan(0);
      }
      expect(r.elapsed.min).toBeLessThanOrEqual(r.elapsed.median);
      expect(r.elapsed.median).toBeLessThanOrEqual(r.elapsed.max);
      expect(r.messagesPerSecond).toBeCloseTo(3001 / (r.elapsed.median / 1000), 6);
    }
    expect(progress[0]).toMatch(/^produce producing to exp-small \d+\/3001$/);
    expect(progress).toContain('consume 3 consumers, run 2/2 3001/3001');
    // The throwaway groups are gone afterwards.
    const groups = new GroupAdmin({ bootstrap: emulator.bootstrap });
    try {
      expect((await groups.listGroups()).filter((g) => g.groupId.startsWith('kafkalab-experiment-'))).toEqual(
        [],
      );
    } finally {
      await groups.close();
    }
  });

  it('--group-protocol consumer: the same runs with KIP-848 members — ConsumerGroupHeartbeat, no JoinGroup', async () => {
    const kip848 = await startEmulator({ port: 0, groupConsumerHeartbeatIntervalMs: 100 });
    const apis = new Set<string>();
    kip848.hooks.observe('*', (e) => apis.add(e.api.name));
    try {
      const result = await runConsumersExperiment({
        bootstrap: kip848.bootstrap,
        topic: 'exp-kip848',
        partitions: 2,
        messages: 2000,
        consumers: [1, 2],
        runs: 1,
        messageBytes: 10,
        runTimeoutMs: 30_000,
        groupProtocol: 'consumer',
      });
      expect(result.results.map((r) => r.runs[0]!.partitionsEach)).toEqual([[2], [1, 1]]);
      for (const r of result.results) expect(r.runs[0]!.delivered).toBeGreaterThanOrEqual(2000);
      expect(apis.has('ConsumerGroupHeartbeat')).toBe(true);
      expect(apis.has('JoinGroup')).toBe(false);
      expect(apis.has('SyncGroup')).toBe(false);
    } finally {
      await kip848.stop();
    }
  });

  it('--group-protocol classic,consumer: both tables side by side, the join-while-reading runs measured', async () => {
    const kip848 = await startEmulator({ port: 0, groupConsumerHeartbeatIntervalMs: 100 });
    const dir = await mkdtemp(join(tmpdir(), 'kafkalab-experiment-'));
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    try {
      const chart = join(dir, 'compare.svg');
      await runConsumersExperimentCli(
        {
          bootstrapServer: kip848.bootstrap,
          topic: 'exp-compare',
          partitions: 3,
          messages: 600,
          consumers: [2],
          groupProtocol: ['classic', 'consumer'],
          runs: 1,
          messageBytes: 10,
          runTimeoutMs: 30_000,
          chart,
        },
        sink,
        { isTTY: false, write: () => true },
      );
      const lines = out.trimEnd().split('\n');
      expect(lines[2].split(/\s{2,}/)).toEqual([
        'PROTOCOL',
        'CONSUMERS',
        'PARTITIONS EACH',
        'TIME (MEDIAN)',
        'MESSAGES/S',
        'SPREAD (MIN-MAX)',
        'JOIN (MEDIAN)',
      ]);
      expect(lines.slice(3, 5).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
        ['classic', '2', '2+1'],
        ['consumer', '2', '2+1'],
      ]);
      const at = lines.findIndex((l) => l.startsWith('PROTOCOL  RUN'));
      expect(lines[at - 2]).toMatch(/^One more consumer joins 2 that are reading/);
      expect(lines[at].split(/\s{2,}/)).toEqual([
        'PROTOCOL',
        'RUN',
        'REBALANCE',
        'ALL STOPPED',
        'MEMBERS STOPPED',
        'PARTITIONS PAUSED',
        'LONGEST PAUSE',
        'GROUP REQUESTS',
      ]);
      const [classic, consumer] = lines.slice(at + 1, at + 3).map((l) => l.split(/\s{2,}/));
      expect([classic[0], classic[1], classic[4], classic[5]]).toEqual(['classic', '1', '2 of 2', '3 of 3']);
      expect(classic[3]).not.toBe('0.0 ms');
      expect(classic[7]).toMatch(/^JoinGroup \d+, SyncGroup 3(, Heartbeat \d+)?$/);
      expect([consumer[0], consumer[3], consumer[4], consumer[5]]).toEqual([
        'consumer',
        '0.0 ms',
        '0 of 2',
        '1 of 3',
      ]);
      expect(consumer[7]).toMatch(/^ConsumerGroupHeartbeat \d+$/);
      expect(lines.at(-1)).toBe(`Chart written to ${chart}`);
      const svg = await readFile(chart, 'utf8');
      expect(svg).toContain('>classic: 2 consumers</text>');
      expect(svg).toContain('>partition 2</text>');
      expect(svg).toMatch(
        />consumer: a consumer joins 2 that are reading \(all partitions read again after [^)]+\)<\/text>/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
      await kip848.stop();
    }
  });

  it('refuses a topic that already exists instead of timing someone else’s data', async () => {
    const admin = new Admin({ bootstrap: emulator.bootstrap });
    await admin.createTopics({ topics: [{ topic: 'exp-taken', numPartitions: 2 }] });
    await admin.close();
    await expect(
      runConsumersExperiment({
        bootstrap: emulator.bootstrap,
        topic: 'exp-taken',
        partitions: 2,
        messages: 10,
        consumers: [1],
        runs: 1,
      }),
    ).rejects.toThrow(/topic exp-taken already exists.*kafkalab topics --delete --topic exp-taken/);
  });
});

describe('kafkalab experiment consumers (built bin, in-process emulator)', () => {
  it('--override reaches the in-process emulator: group.consumer.max.size=1 refuses the second consumer', async () => {
    const run = await runCli(
      [
        'experiment',
        'consumers',
        '--topic',
        'O',
        '--messages',
        '50',
        '--consumers',
        '2',
        '--runs',
        '1',
        '--group-protocol',
        'consumer',
        '--override',
        'group.consumer.max.size=1',
      ],
      { timeoutMs: 60_000 },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/GROUP_MAX_SIZE_REACHED \(81\) in ConsumerGroupHeartbeat/);
    const refused = await runCli([
      'experiment',
      'consumers',
      '--topic',
      'O',
      '--bootstrap-server',
      '127.0.0.1:1',
      '--override',
      'group.max.size=1',
    ]);
    expect(refused.stderr).toContain('--override sets the in-process emulator');
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafkalab-experiment-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the table, writes the chart, and draws no progress bar into a pipe', async () => {
    const chart = join(dir, 'out.svg');
    const run = await runCli(
      [
        'experiment',
        'consumers',
        '--topic',
        'T',
        '--messages',
        '2000',
        '--consumers',
        '1,2',
        '--runs',
        '3',
        '--chart',
        chart,
      ],
      { timeoutMs: 120_000 },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^No --bootstrap-server: using an in-process emulator at 127\.0\.0\.1:\d+ .*\n$/,
    );
    expect(run.stderr).not.toContain('\r');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^2000 messages of 100 bytes in T \(2 partitions\), produced in [\d.]+ m?s; 3 runs per consumer count, each in a fresh group; the clock starts once the group is complete\.$/,
    );
    expect(lines[2].split(/\s{2,}/)).toEqual([
      'CONSUMERS',
      'PARTITIONS EACH',
      'TIME (MEDIAN)',
      'MESSAGES/S',
      'SPREAD (MIN-MAX)',
      'JOIN (MEDIAN)',
    ]);
    const rows = lines.slice(3, 5).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['1', '2'],
      ['2', '1+1'],
    ]);
    for (const r of rows) {
      // messages/s is the message count over the median time; the time is printed rounded.
      const m = /^(\d+(?:\.\d)?) ms$|^(\d+\.\d\d) s$/.exec(r[2])!;
      const ms = m[1] !== undefined ? Number(m[1]) : Number(m[2]) * 1000;
      const half = m[1]?.includes('.') ? 0.05 : m[1] !== undefined ? 0.5 : 5;
      expect(Number(r[3])).toBeGreaterThanOrEqual(Math.floor(2000 / ((ms + half) / 1000)));
      expect(Number(r[3])).toBeLessThanOrEqual(Math.ceil(2000 / ((ms - half) / 1000)));
    }
    expect(lines.at(-1)).toBe(`Chart written to ${chart}`);
    const svg = await readFile(chart, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain('>1 consumer</text>');
    expect(svg).toContain('>2 consumers</text>');
    expect(svg).toContain('>partitions each: 1+1</text>');
  });

  it('rejects a bad consumer list before doing anything', async () => {
    const run = await runCli(['experiment', 'consumers', '--topic', 'T', '--consumers', '1,x']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--consumers takes a comma-separated list');
  });
});

describe('progress bar', () => {
  function fakeStream(isTTY: boolean) {
    const writes: string[] = [];
    return { stream: { isTTY, columns: 60, write: (t: string) => writes.push(t) }, writes };
  }

  it('draws in place on a terminal, throttled, always drawing the last step, and clears itself', () => {
    const { stream, writes } = fakeStream(true);
    const bar = new ProgressBar(stream, { minIntervalMs: 60_000 });
    bar.update('reading', 1, 4);
    bar.update('reading', 2, 4); // within the interval: skipped
    bar.update('reading', 4, 4); // the last step: drawn
    bar.clear();
    expect(writes).toEqual([
      `\r${renderProgressLine('reading', 1, 4, 60)}\x1b[K`,
      `\r${renderProgressLine('reading', 4, 4, 60)}\x1b[K`,
      '\r\x1b[K',
    ]);
    expect(renderProgressLine('reading', 1, 4, 60)).toMatch(/^reading \[#+\.+\] {2}25% 1\/4$/);
    expect(renderProgressLine('reading', 4, 4, 60)).not.toContain('.');
  });

  it('stays silent when the stream is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const bar = new ProgressBar(stream);
    bar.update('reading', 1, 4);
    bar.clear();
    expect(writes).toEqual([]);
  });

  it('fits a narrow terminal', () => {
    expect(renderProgressLine('a rather long label for the bar', 50, 100, 30).length).toBeLessThan(30);
  });
});

describe('chart', () => {
  it('picks round axis steps', () => {
    expect(niceScale(686_406)).toEqual({ step: 200_000, max: 800_000 });
    expect(niceScale(9)).toEqual({ step: 2, max: 10 });
    expect(niceScale(1)).toEqual({ step: 0.2, max: 1 });
  });

  it('escapes the topic name', () => {
    const svg = renderConsumersChart({
      bootstrap: 'x:1',
      topic: 'a<b&c',
      partitions: 1,
      messages: 10,
      messageBytes: 1,
      produceMs: 1,
      protocols: ['classic'],
      rebalance: [],
      results: [
        {
          protocol: 'classic',
          consumers: 1,
          runs: [{ elapsedMs: 100, joinMs: 10, partitionsEach: [1], delivered: 10 }],
          elapsed: { median: 100, min: 100, max: 100 },
          join: { median: 10, min: 10, max: 10 },
          messagesPerSecond: 100,
        },
      ],
    });
    expect(svg).toContain('a&lt;b&amp;c');
    expect(svg).not.toContain('a<b');
  });
});
