/**
 * librdkafka as an unmodified client, through kcat (Debian package `kcat`, installed by .ci/run):
 * metadata list, produce and consume — each compression codec librdkafka offers included, since the
 * emulator opens compressed batches to validate them. librdkafka opens with ApiVersions v3 and
 * picks its versions from the answer, so this also checks what ApiVersions advertises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runProcess } from '../support/cli.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, record: true, topics: [{ name: 'kc', partitions: 2 }] });
});

afterAll(async () => {
  await emulator.stop();
});

/** kcat with a hard time limit, so a hang fails the test instead of stalling the run. */
async function kcat(args: string[], stdin = '', timeoutMs = 30_000) {
  const r = await runProcess('kcat', ['-b', emulator.bootstrap, ...args], { stdin, timeoutMs });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

describe('kcat (librdkafka) against the emulator', () => {
  it('lists metadata: this broker, and the topic with both partitions led by node 0', async () => {
    const r = await kcat(['-L', '-J']);
    expect(r.code, r.stderr).toBe(0);
    const md = JSON.parse(r.stdout);
    expect(md.brokers).toEqual([{ id: 0, name: emulator.bootstrap }]);
    const topic = md.topics.find((t: { topic: string }) => t.topic === 'kc');
    expect(
      topic.partitions.map((p: any) => [
        p.partition,
        p.leader,
        p.replicas.map((x: any) => x.id),
        p.isrs.map((x: any) => x.id),
      ]),
    ).toEqual([
      [0, 0, [0], [0]],
      [1, 0, [0], [0]],
    ]);
  });

  it('produces keyed messages and consumes them back from both partitions', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `key${i}:value ${i}`);
    const p = await kcat(['-P', '-t', 'kc', '-K', ':'], `${lines.join('\n')}\n`);
    expect(p.code, p.stderr).toBe(0);
    const c = await kcat(['-C', '-t', 'kc', '-e', '-q', '-f', '%k:%s\\n']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n').sort()).toEqual([...lines].sort());
    // The same key always lands on the same partition (librdkafka's consistent_random partitioner).
    const byPartition = await kcat(['-C', '-t', 'kc', '-e', '-q', '-f', '%p %k\\n']);
    const partitionOf = new Map<string, string>();
    for (const l of byPartition.stdout.trim().split('\n')) {
      const [partition, key] = l.split(' ');
      expect(partitionOf.get(key) ?? partition).toBe(partition);
      partitionOf.set(key, partition);
    }
    expect(new Set(partitionOf.values())).toEqual(new Set(['0', '1']));
  });

  it.each([
    'gzip',
    'snappy',
    'lz4',
    'zstd',
  ])('produces %s-compressed batches that the emulator accepts', async (codec) => {
    const topic = `kc-${codec}`;
    const lines = Array.from({ length: 30 }, (_, i) => `${codec} message ${i} ${'x'.repeat(40)}`);
    const p = await kcat(['-P', '-t', topic, '-z', codec], `${lines.join('\n')}\n`);
    expect(p.code, p.stderr).toBe(0);
    const produces = emulator.exchanges.filter(
      (e) => e.api.name === 'Produce' && e.request.topicData.some((t: { name: string }) => t.name === topic),
    );
    expect(produces.length).toBeGreaterThan(0);
    expect(produces.flatMap((e) => e.errorCodes)).toEqual([]);
    // zstd batches really arrive compressed (codec id 4 in attributes bits 0-2). librdkafka 2.0 sends
    // gzip, snappy and lz4 uncompressed here: it enables those codecs only when the broker advertises
    // Produce v2 / Fetch v2 ("MsgVer1"), which Kafka 4 no longer does (KIP-896) and nor does the
    // emulator; so it does the same against a real Kafka 4 broker. Newer librdkafka compresses them.
    const expected = ['gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec) + 1;
    const codecIds = new Set(
      emulator.cluster.topics
        .get(topic)!
        .partitions.flatMap((log) => log.batches.map((b) => b.bytes.readInt16BE(21) & 7)),
    );
    if (codec === 'zstd') expect(codecIds).toEqual(new Set([expected]));
    else expect([...codecIds].every((id) => id === 0 || id === expected)).toBe(true);
    const c = await kcat(['-C', '-t', topic, '-e', '-q', '-f', '%s\\n']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim().split('\n')).toEqual(lines);
  });
});
