/**
 * --data-dir (issue 15, persistence): what a stop and a start on the same directory keep — topics
 * (ids, partitions, configs), every record batch at its offset, the log start offset, committed
 * group offsets and idempotent producers' state — read back with kafkajs; a torn tail cut at the
 * last whole batch, damage before it refused with the file and byte offset, and a second emulator
 * on a directory in use refused.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLogDirs as describeClientLogDirs } from '../../src/client/admin-log-dirs.js';
import { Cluster as ClientCluster } from '../../src/client/cluster.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { CorruptDataError, DataDirLockedError, dataDirOf } from '../../src/emulator/persistence/data-dir.js';
import { BATCH } from '../../src/emulator/persistence/segment-file.js';
import { logManagerOf } from '../../src/emulator/state/log/log-manager.js';

/** DescribeLogDirs through kafkalab's client, asked of the listed brokers. */
async function describeLogDirs(e: Emulator, brokers: number[]) {
  const cluster = new ClientCluster({ bootstrap: [e.bootstrap] });
  await cluster.connect();
  try {
    return await describeClientLogDirs(cluster, brokers);
  } finally {
    await cluster.close();
  }
}

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const dirs: string[] = [];
const running: Emulator[] = [];

afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkalab-data-'));
  dirs.push(d);
  return d;
}

async function start(dir: string): Promise<Emulator> {
  const e = await startEmulator({ host: '127.0.0.1', port: 0, dataDir: dir });
  running.push(e);
  return e;
}

async function stop(e: Emulator): Promise<void> {
  running.splice(running.indexOf(e), 1);
  await e.stop();
}

function kafkaOf(e: Emulator): Kafka {
  return new Kafka({ clientId: 'persistence-test', brokers: [e.bootstrap], logLevel: logLevel.NOTHING });
}

interface Seen {
  partition: number;
  offset: string;
  key: string;
  value: string;
}

/** Reads `count` records of `topic` from the beginning with a fresh kafkajs consumer group. */
async function consumeAll(kafka: Kafka, topic: string, count: number, groupId: string): Promise<Seen[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: Seen[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          seen.push({
            partition,
            offset: message.offset,
            key: String(message.key),
            value: String(message.value),
          });
          if (seen.length === count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

function byPartition(seen: Seen[]): Map<number, Seen[]> {
  const m = new Map<number, Seen[]>();
  for (const s of seen) m.set(s.partition, [...(m.get(s.partition) ?? []), s]);
  return m;
}

function segmentFiles(dir: string, tp: string): string[] {
  return readdirSync(join(dir, tp))
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(dir, tp, f));
}

describe('--data-dir', () => {
  it('keeps topics, records at their offsets, log start, configs, committed offsets and producer state across a stop and start', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const kafka = kafkaOf(first);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 3 }] });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'events',
          configEntries: [{ name: 'retention.ms', value: '86400000' }],
        },
      ],
    });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let round = 0; round < 4; round++)
      await producer.send({
        topic: 'events',
        acks: -1,
        messages: Array.from({ length: 50 }, (_, i) => ({
          key: `k${(round * 50 + i) % 7}`,
          value: `v${round * 50 + i}`,
        })),
      });
    await producer.disconnect();
    const before = await consumeAll(kafka, 'events', 200, 'reader-1');
    await admin.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 1, offset: '5' }] });
    await admin.setOffsets({ groupId: 'app', topic: 'events', partitions: [{ partition: 2, offset: '7' }] });
    const offsetsBefore = await admin.fetchTopicOffsets('events');
    await admin.disconnect();
    const topicId = first.cluster.topics.get('events')?.id;
    // The idempotent producer's last batch on partition 0, as the log holds it.
    const last = first.cluster.topics.partition('events', 0)?.batches.at(-1);
    if (!last) throw new Error('no batch on events-0');
    const producerId = Number(last.bytes.readBigInt64BE(BATCH.producerId));
    const epoch = last.bytes.readInt16BE(BATCH.producerEpoch);
    const firstSeq = last.bytes.readInt32BE(BATCH.baseSequence);
    const lastSeq = firstSeq + last.lastOffset - last.baseOffset;
    await stop(first);

    const second = await start(dir);
    expect(dataDirOf(second.cluster)?.recovery).toEqual([]);
    expect(second.cluster.topics.get('events')?.id).toBe(topicId);
    const kafka2 = kafkaOf(second);
    const admin2 = kafka2.admin();
    await admin2.connect();
    // DescribeLogDirs names the data dir and its volume's sizes (v4), as a broker names its log dir.
    const [logDirs] = await describeLogDirs(second, [0]).then((m) => m.get(0) ?? []);
    expect(logDirs.logDir).toBe(dir);
    expect(logDirs.totalBytes).toBeGreaterThan(0n);
    expect(logDirs.usableBytes).toBeGreaterThan(0n);
    expect(logDirs.replicas.find((r) => r.topic === 'events' && r.partition === 0)?.size).toBe(
      BigInt(second.cluster.topics.partition('events', 0)?.sizeInBytes ?? -1),
    );
    expect(await admin2.fetchTopicOffsets('events')).toEqual(offsetsBefore);
    expect(offsetsBefore.find((p) => p.partition === 1)?.low).toBe('5');
    const [{ partitions: committed }] = await admin2.fetchOffsets({ groupId: 'app', topics: ['events'] });
    expect(committed.find((p) => p.partition === 2)?.offset).toBe('7');
    const described = await admin2.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'events', configNames: ['retention.ms'] }],
    });
    expect(described.resources[0].configEntries[0].configValue).toBe('86400000');

    // Every record read back in order at the offset it had, except those below partition 1's log start.
    const expected = before.filter((s) => !(s.partition === 1 && Number(s.offset) < 5));
    const after = await consumeAll(kafka2, 'events', expected.length, 'reader-2');
    const want = byPartition(expected);
    const got = byPartition(after);
    for (const p of [0, 1, 2]) expect(got.get(p)).toEqual(want.get(p));

    // A retry of the producer's last batch is still known as a duplicate with its offset, and the
    // next producer id is past it.
    const check = second.cluster.producerIds.check(producerId, epoch, 'events', 0, firstSeq, lastSeq);
    expect(check).toMatchObject({ kind: 'duplicate', batch: { baseOffset: last.baseOffset } });
    expect(second.cluster.producerIds.nextProducerId).toBeGreaterThan(producerId);

    // New records follow the old log end offset.
    const producer2 = kafka2.producer();
    await producer2.connect();
    const [meta] = await producer2.send({
      topic: 'events',
      acks: -1,
      messages: [{ partition: 0, value: 'more' }],
    });
    await producer2.disconnect();
    expect(meta.baseOffset).toBe(offsetsBefore.find((p) => p.partition === 0)?.high);
    await admin2.disconnect();
  });

  it('cuts a torn last batch off at the last whole batch, and serves and appends from there', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const producer = kafkaOf(first).producer();
    await producer.connect();
    for (let i = 0; i < 3; i++)
      await producer.send({ topic: 't', acks: -1, messages: [{ partition: 0, value: `whole-${i}` }] });
    await producer.disconnect();
    await stop(first);
    const [file] = segmentFiles(dir, 't-0');
    const wholeSize = statSync(file).size;
    // A fourth batch whose write was cut by a crash: its first 30 bytes.
    const third = readFileSync(file).subarray(0, 30);
    appendFileSync(file, third);

    const second = await start(dir);
    expect(dataDirOf(second.cluster)?.recovery).toEqual([
      {
        file,
        message: `torn write at the end: 30 bytes after byte ${wholeSize} dropped (the last whole batch kept)`,
      },
    ]);
    expect(statSync(file).size).toBe(wholeSize);
    const kafka = kafkaOf(second);
    const producer2 = kafka.producer();
    await producer2.connect();
    const [meta] = await producer2.send({
      topic: 't',
      acks: -1,
      messages: [{ partition: 0, value: 'next' }],
    });
    await producer2.disconnect();
    expect(meta.baseOffset).toBe('3');
    const seen = await consumeAll(kafka, 't', 4, 'reader');
    expect(seen.map((s) => [s.offset, s.value])).toEqual([
      ['0', 'whole-0'],
      ['1', 'whole-1'],
      ['2', 'whole-2'],
      ['3', 'next'],
    ]);
  });

  it('refuses to start on damage before the tail, naming the file and byte offset, and leaves the dir unlocked', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const producer = kafkaOf(first).producer();
    await producer.connect();
    for (let i = 0; i < 3; i++)
      await producer.send({ topic: 't', acks: -1, messages: [{ partition: 0, value: `record-${i}` }] });
    await producer.disconnect();
    const secondBatchAt = first.cluster.topics.partition('t', 0)?.batches[0].bytes.length ?? 0;
    await stop(first);
    const [file] = segmentFiles(dir, 't-0');
    const bytes = readFileSync(file);
    bytes[secondBatchAt + BATCH.records + 3] ^= 0xff; // a byte inside the second batch's record
    writeFileSync(file, bytes);

    const err = await startEmulator({ host: '127.0.0.1', port: 0, dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as CorruptDataError).file).toBe(file);
    expect((err as CorruptDataError).position).toBe(secondBatchAt);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^corrupt data file .*t-0/00000000000000000000\\.log at byte ${secondBatchAt}: CRC-32C \\d+ stored, \\d+ computed$`,
      ),
    );
    // The failed start released its lock: after repair the dir opens.
    bytes[secondBatchAt + BATCH.records + 3] ^= 0xff;
    writeFileSync(file, bytes);
    const again = await start(dir);
    expect(again.cluster.topics.partition('t', 0)?.logEndOffset).toBe(3);
  });

  it('refuses a second emulator on a dir in use, takes over the lock of a process that died', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const err = await startEmulator({ host: '127.0.0.1', port: 0, dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toBe(
      `data dir ${dir} is in use by process ${process.pid} (${join(dir, '.lock')}); stop that emulator or pick another --data-dir`,
    );
    await stop(first);
    // A lock left by a process that is gone (kill -9) is taken over, and said so.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, '.lock'), `${gone}\n`);
    const second = await start(dir);
    expect(dataDirOf(second.cluster)?.recovery.map((n) => n.message)).toEqual([
      `stale lock of process ${gone} (not running) taken over: the last stop was not clean`,
    ]);
    expect(readFileSync(join(dir, '.lock'), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('mirrors retention and compaction onto the segment files, and a restart serves what they left', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const admin = kafkaOf(first).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'd', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '1048576' }] },
        {
          topic: 'c',
          numPartitions: 1,
          configEntries: [
            { name: 'segment.bytes', value: '1048576' },
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          ],
        },
      ],
    });
    const producer = kafkaOf(first).producer();
    await producer.connect();
    for (let i = 0; i < 8; i++) {
      await producer.send({ topic: 'd', acks: -1, messages: [{ value: `d-${i}`.padEnd(300_000, '.') }] });
      await producer.send({
        topic: 'c',
        acks: -1,
        messages: [{ key: `k${i % 2}`, value: `c-${i}`.padEnd(300_000, '.') }],
      });
    }
    await producer.disconnect();
    const d = first.cluster.topics.partition('d', 0);
    if (!d) throw new Error('no d-0');
    expect(segmentFiles(dir, 'd-0').length).toBe(d.segments.length);
    await admin.fetchTopicMetadata({ topics: ['d'] }); // kafkajs's admin learns the leader
    await admin.deleteTopicRecords({ topic: 'd', partitions: [{ partition: 0, offset: '5' }] });
    await admin.disconnect();
    const manager = logManagerOf(first.cluster);
    manager.runRetention();
    expect(manager.runCleaner({ force: true })).toBeGreaterThan(0);
    const dBases = d.segments.map((s) => s.baseOffset);
    expect(dBases[0]).toBeGreaterThan(0);
    expect(segmentFiles(dir, 'd-0').map((f) => Number(f.slice(-24, -4)))).toEqual(dBases);
    const cOffsets = first.cluster.topics.partition('c', 0)?.batches.map((b) => b.baseOffset);
    expect(cOffsets?.length).toBeLessThan(8);
    await stop(first);

    const second = await start(dir);
    const d2 = second.cluster.topics.partition('d', 0);
    expect(d2?.logStartOffset).toBe(5);
    expect(d2?.segments.map((s) => s.baseOffset)).toEqual(dBases);
    expect(second.cluster.topics.partition('c', 0)?.batches.map((b) => b.baseOffset)).toEqual(cOffsets);
    const seen = await consumeAll(kafkaOf(second), 'c', cOffsets?.length ?? 0, 'reader');
    expect(seen.map((s) => Number(s.offset))).toEqual(cOffsets);
  });

  it('aborts a transaction left open in a log at the stop, so read_committed readers pass it', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const kafka = kafkaOf(first);
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: 'tx', acks: -1, messages: [{ partition: 0, value: 'before' }] });
    const producer = kafka.producer({
      transactionalId: 'left-open',
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: 'tx', acks: -1, messages: [{ partition: 0, value: 'in-flight' }] });
    const log = first.cluster.topics.partition('tx', 0);
    expect(log?.lastStableOffset).toBe(1);
    await stop(first); // the transaction never ends: its producer is cut off with the broker

    const second = await start(dir);
    const log2 = second.cluster.topics.partition('tx', 0);
    expect(dataDirOf(second.cluster)?.recovery.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^transaction of producer \d+ was open at the stop: aborted \(marker at offset 2\)$/,
      ),
    ]);
    expect(log2?.lastStableOffset).toBe(3);
    expect(log2?.abortedTransactions.map((t) => [t.firstOffset, t.lastOffset])).toEqual([[1, 2]]);
    const kafka2 = kafkaOf(second);
    const plain2 = kafka2.producer();
    await plain2.connect();
    await plain2.send({ topic: 'tx', acks: -1, messages: [{ partition: 0, value: 'after' }] });
    await plain2.disconnect();
    const consumer = kafka2.consumer({
      groupId: 'committed-reader',
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'tx', fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(String(message.value));
            if (String(message.value) === 'after') resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(values).toEqual(['before', 'after']);
    await producer.disconnect().catch(() => {});
    await plain.disconnect().catch(() => {});
  });
});
