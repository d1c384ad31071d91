/**
 * The seed's console workflow, without a JVM: `kafkalab topics` and `kafkalab produce` from the built
 * bin (dist/, built by test/cli/global-setup.ts) against an in-process emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { unusedPort } from './support/ports.js';
import { readPartition } from './support/read-back.js';

let emulator: Emulator;
let bs: string[];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, autoCreateTopics: false });
  bs = ['--bootstrap-server', emulator.bootstrap];
});

afterAll(async () => {
  await emulator.stop();
});

describe('kafkalab topics / produce (built bin)', () => {
  it('creates, lists and describes a topic like kafka-topics', async () => {
    const created = await runCli([
      'topics',
      '--create',
      '--topic',
      'test',
      '--partitions',
      '2',
      '--replication-factor',
      '1',
      '--config',
      'retention.ms=60000',
      ...bs,
    ]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic test.\n' });
    const list = await runCli(['topics', '--list', ...bs]);
    expect(list.stdout.split('\n')).toContain('test');
    const d = await runCli(['topics', '--describe', '--topic', 'test', ...bs]);
    expect(d.code).toBe(0);
    // Each partition line ends in "LastKnownElr: " (an empty list), as kafka-topics prints it.
    const lines = d.stdout.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(
      /^Topic: test\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: .*retention\.ms=60000/,
    );
    expect(lines.slice(1)).toEqual([
      '\tTopic: test\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: \tLastKnownElr: ',
      '\tTopic: test\tPartition: 1\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: \tLastKnownElr: ',
    ]);
  });

  it('produces one record per stdin line, with keys split at the separator', async () => {
    const r = await runCli(
      ['produce', '--topic', 'test', '--property', 'parse.key=true', '--property', 'key.separator=:', ...bs],
      { stdin: 'k1:hello\nk2:world\nk1:again:with colon\n' },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('3 records sent to test');
    const all = [
      ...(await readPartition(emulator, 'test', 0)),
      ...(await readPartition(emulator, 'test', 1)),
    ];
    const byKey = (k: string) => all.filter((x) => x.key === k).map((x) => x.value);
    expect(byKey('k1')).toEqual(['hello', 'again:with colon']);
    expect(byKey('k2')).toEqual(['world']);
    const short = await runCli(
      ['produce', '--topic', 'test', '--key-separator', '=', '--partition', '1', ...bs],
      { stdin: 'a=1\nb=2\n' },
    );
    expect(short.code).toBe(0);
    const p1 = await readPartition(emulator, 'test', 1);
    expect(p1.slice(-2).map((x) => [x.key, x.value])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    const plain = await runCli(['produce', '--topic', 'test', '--partition', '0', ...bs], {
      stdin: 'no key here\n',
    });
    expect(plain.code).toBe(0);
    const last = (await readPartition(emulator, 'test', 0)).at(-1)!;
    expect([last.key, last.value]).toEqual([null, 'no key here']);
  });

  it('fails with one line and a non-zero exit code', async () => {
    const again = await runCli(['topics', '--create', '--topic', 'test', '--partitions', '1', ...bs]);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^kafkalab: TOPIC_ALREADY_EXISTS \(36\) in CreateTopics, topic test/);
    const missing = await runCli(['produce', '--topic', 'nope', ...bs], { stdin: 'x\n' });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);
    const noSep = await runCli(['produce', '--topic', 'test', '--key-separator', ':', ...bs], {
      stdin: 'nokey\n',
    });
    expect(noSep.code).not.toBe(0);
    expect(noSep.stderr).toMatch(/No key separator found on line number 1/);
    const dead = await runCli(['topics', '--list', '--bootstrap-server', `127.0.0.1:${await unusedPort()}`]);
    expect(dead.code).not.toBe(0);
    expect(dead.stderr.trim().split('\n')).toHaveLength(1);
    expect(dead.stderr).toMatch(/cannot reach any broker/);
    const usage = await runCli(['topics', '--create', ...bs]);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/--create needs --topic/);
  });

  it('deletes a topic', async () => {
    const del = await runCli(['topics', '--delete', '--topic', 'test', ...bs]);
    expect(del.code).toBe(0);
    expect((await runCli(['topics', '--list', ...bs])).stdout.split('\n')).not.toContain('test');
  });
});

describe('kafkalab produce to a topic created on first use (issue 11, item 1)', () => {
  let auto: Emulator;
  let abs: string[];
  beforeAll(async () => {
    auto = await startEmulator({ port: 0, autoCreateTopics: true });
    abs = ['--bootstrap-server', auto.bootstrap];
  });
  afterAll(async () => {
    await auto.stop();
  });

  it('stores the lines in stdin order (the first line used to land last)', async () => {
    const keyed = await runCli(
      ['produce', '--topic', 'ord1', '--property', 'parse.key=true', '--property', 'key.separator=:', ...abs],
      { stdin: 'x:1\ny:2\nz:3\n' },
    );
    expect(keyed.code).toBe(0);
    const plain = await runCli(['produce', '--topic', 'ord2', ...abs], { stdin: 'a\nb\nc\nd\ne\n' });
    expect(plain.code).toBe(0);
    // One partition (num.partitions 1): the log is the stdin order.
    const ord1 = await readPartition(auto, 'ord1', 0);
    expect(ord1.map((r) => [r.key, r.value])).toEqual([
      ['x', '1'],
      ['y', '2'],
      ['z', '3'],
    ]);
    expect((await readPartition(auto, 'ord2', 0)).map((r) => r.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
