// The seed's console workflow without a JVM (issue 4, "CLI"): `kafkalab produce` words, then
// `kafkalab consume` them back (all partitions without a group; with --group committing what it
// printed), and `kafkalab groups --list / --describe / --delete`, run as the built bin against the
// in-process emulator; plus one-line errors with a non-zero exit.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { CLI_MAIN, ROOT, runCli } from '../support/cli.js';
import { startTestEmulator } from './consumer-support.js';

let emulator: Emulator;
let bs: string[];
const WORDS = ['kafka', 'is', 'a', 'distributed', 'log', 'and', 'this', 'reads', 'it', 'back'];

beforeAll(async () => {
  emulator = await startTestEmulator([{ name: 'words', partitions: 2 }]);
  bs = ['--bootstrap-server', emulator.bootstrap];
  // The seed's step: type words into the console producer (here with keys, so both partitions fill).
  const input = WORDS.map((w, i) => `k${i}:${w}`).join('\n') + '\n';
  const r = await runCli(
    ['produce', ...bs, '--topic', 'words', '--property', 'parse.key=true', '--property', 'key.separator=:'],
    { stdin: input },
  );
  expect(r.stderr).toContain('10 records sent');
  expect(r.code).toBe(0);
});

afterAll(async () => {
  await emulator?.stop();
});

describe('kafkalab consume', () => {
  it('without --group reads every partition from the beginning and stops at --max-messages', async () => {
    const r = await runCli([
      'consume',
      ...bs,
      '--topic',
      'words',
      '--from-beginning',
      '--max-messages',
      '10',
      '--print-key',
      '--print-partition',
      '--print-offset',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(10);
    const parsed = lines.map((l) => l.split('\t'));
    for (const fields of parsed) {
      expect(fields[0]).toMatch(/^Partition:[01]$/);
      expect(fields[1]).toMatch(/^Offset:\d+$/);
    }
    // Every word once, with its key; per partition in offset order.
    expect(parsed.map((f) => `${f[2]}:${f[3]}`).sort()).toEqual(WORDS.map((w, i) => `k${i}:${w}`).sort());
    for (const p of ['Partition:0', 'Partition:1']) {
      const offsets = parsed.filter((f) => f[0] === p).map((f) => Number(f[1].slice(7)));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    expect(r.stderr).toContain('Processed a total of 10 messages');
  });

  it('with --group commits what it printed: a second run continues where the first stopped', async () => {
    const first = await runCli([
      'consume',
      ...bs,
      '--topic',
      'words',
      '--group',
      'cli-g',
      '--from-beginning',
      '--max-messages',
      '4',
    ]);
    expect(first.code).toBe(0);
    const second = await runCli([
      'consume',
      ...bs,
      '--topic',
      'words',
      '--group',
      'cli-g',
      '--from-beginning',
      '--max-messages',
      '6',
    ]);
    expect(second.code).toBe(0);
    const all = [...first.stdout.trim().split('\n'), ...second.stdout.trim().split('\n')];
    expect(all.sort()).toEqual([...WORDS].sort());

    const list = await runCli(['groups', ...bs, '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toContain('cli-g');

    const d = await runCli(['groups', ...bs, '--describe', '--group', 'cli-g']);
    expect(d.code).toBe(0);
    expect(d.stderr).toContain("Consumer group 'cli-g' has no active members.");
    const [header, ...rows] = d.stdout.trim().split('\n');
    expect(header.split(/\s+/)).toEqual([
      'GROUP',
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'CONSUMER-ID',
      'HOST',
      'CLIENT-ID',
    ]);
    const cells = rows.map((r) => r.split(/\s+/));
    expect(cells.map((c) => c.slice(0, 6))).toEqual(
      cells.map((c) => ['cli-g', 'words', c[2], c[4], c[4], '0']), // everything read: current = end, lag 0
    );
    expect(cells.reduce((n, c) => n + Number(c[4]), 0)).toBe(10);

    const del = await runCli(['groups', ...bs, '--delete', '--group', 'cli-g']);
    expect(del.code).toBe(0);
    expect((await runCli(['groups', ...bs, '--list'])).stdout.split('\n')).not.toContain('cli-g');
  });

  it('--describe shows a live member and its assignment; SIGTERM commits and leaves', async () => {
    // A member that stays in the group until told to stop.
    const child = spawn(
      process.execPath,
      [CLI_MAIN, 'consume', ...bs, '--topic', 'words', '--group', 'live-g', '--from-beginning'],
      {
        cwd: ROOT,
      },
    );
    let printed = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const allRead = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`10 lines not printed within 30 s: ${printed}`)), 30_000);
      child.stdout.on('data', (d) => {
        printed += d;
        if (printed.split('\n').length > 10) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    try {
      await allRead;
      // As kafka-consumer-groups.sh: the offsets table by default, the members with --members.
      const m = await runCli(['groups', ...bs, '--describe', '--group', 'live-g', '--members', '--verbose']);
      expect(m.code).toBe(0);
      const memberRows = m.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((r) => r.split(/\s+/));
      expect(memberRows).toHaveLength(1);
      const [group, memberId, host, clientId, partitionCount, , assignment] = memberRows[0];
      expect([group, clientId, partitionCount, assignment]).toEqual([
        'live-g',
        'kafkalab-console-consumer',
        '2',
        'words:0,1',
      ]);
      expect(host).toMatch(/127\.0\.0\.1/);
      // Both partitions are owned by that member in the offsets table.
      const d = await runCli(['groups', ...bs, '--describe', '--group', 'live-g']);
      expect(d.code).toBe(0);
      const offsetRows = d.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((r) => r.split(/\s+/))
        .sort((a, b) => Number(a[2]) - Number(b[2]));
      expect(offsetRows.map((c) => [c[2], c[6], c[8]])).toEqual([
        ['0', memberId, 'kafkalab-console-consumer'],
        ['1', memberId, 'kafkalab-console-consumer'],
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('Processed a total of 10 messages');
    // Closing committed all it printed and left the group.
    const after = await runCli(['groups', ...bs, '--describe', '--group', 'live-g']);
    expect(after.stderr).toContain('has no active members');
    const rows = after.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(/\s+/));
    expect(rows.map((c) => c[5])).toEqual(['0', '0']);
  });

  it('errors are one line and a non-zero exit', async () => {
    const r = await runCli([
      'consume',
      '--bootstrap-server',
      '127.0.0.1:1',
      '--topic',
      'words',
      '--max-messages',
      '1',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kafkalab: .*127\.0\.0\.1:1/);
    const g = await runCli(['groups', ...bs, '--describe', '--group', 'no-such-group']);
    expect(g.code).not.toBe(0);
    // kafka-consumer-groups.sh's own words, Java exception name included.
    expect(`${g.stdout}${g.stderr}`.trim()).toBe(
      'Error: Executing consumer group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group no-such-group not found.',
    );
    const u = await runCli(['groups', ...bs]);
    expect(u.code).not.toBe(0);
    expect(u.stderr.trim()).toBe(
      'kafkalab: Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex',
    );
  });
});
