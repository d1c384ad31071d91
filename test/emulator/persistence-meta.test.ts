/**
 * --data-dir, the state beside the logs (issue 15, persistence step 2): client quotas and SCRAM
 * credentials (salted keys only) kept in meta.json across a stop and start, and the offsets journal (persistence/offsets-journal.ts) —
 * replayed over meta.json at a start, a torn last line dropped and said so, damage before it
 * refused with the file and byte offset — and what is deliberately not kept, the transaction
 * coordinator's state: a transactional producer that outlived a restart cannot write or commit any
 * more (its producer id is unknown to the new coordinator), a new one with the same transactional.id
 * starts afresh, and read_committed readers see only the new producer's committed records.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupAdmin } from '../../src/client/admin-groups.js';
import { alterClientQuotas, describeClientQuotas } from '../../src/client/admin-quotas.js';
import { alterUserScramCredentials, describeUserScramCredentials } from '../../src/client/admin-scram.js';
import { Cluster as ClientCluster } from '../../src/client/cluster.js';
import { Consumer } from '../../src/client/consumer/index.js';
import { AuthenticationError } from '../../src/client/index.js';
import { Producer } from '../../src/client/producer/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { CorruptDataError, dataDirOf } from '../../src/emulator/persistence/data-dir.js';
import { OFFSETS_JOURNAL_FILE } from '../../src/emulator/persistence/offsets-journal.js';
import { transactionsOf } from '../../src/emulator/state/transactions/index.js';
import { unusedPort } from '../client/support/ports.js';

const dirs: string[] = [];
const running: Emulator[] = [];

afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkalab-meta-'));
  dirs.push(d);
  return d;
}

async function start(dir: string, port = 0): Promise<Emulator> {
  const e = await startEmulator({
    host: '127.0.0.1',
    port,
    dataDir: dir,
    topics: [{ name: 't', partitions: 2 }],
  });
  running.push(e);
  return e;
}

async function stop(e: Emulator): Promise<void> {
  running.splice(running.indexOf(e), 1);
  await e.stop();
}

async function withCluster<T>(e: Emulator, fn: (c: ClientCluster) => Promise<T>): Promise<T> {
  const cluster = new ClientCluster({ bootstrap: [e.bootstrap] });
  await cluster.connect();
  try {
    return await fn(cluster);
  } finally {
    await cluster.close();
  }
}

async function committed(e: Emulator, group: string): Promise<Record<string, string>> {
  const admin = new GroupAdmin({ bootstrap: e.bootstrap });
  try {
    const m = await admin.committedOffsets(group);
    return Object.fromEntries([...m.values()].map((o) => [`${o.topic}-${o.partition}`, String(o.offset)]));
  } finally {
    await admin.close();
  }
}

const journalLine = (group: string, partition: number, offset: number) =>
  `${JSON.stringify({ op: 'commit', group, topic: 't', partition, offset: String(offset), leaderEpoch: -1, metadata: '', commitTimestamp: Date.now(), expireTimestamp: null })}\n`;

describe('--data-dir beside the logs', () => {
  it('keeps client quotas (user, client-id, defaults, ip) across a stop and start', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await withCluster(first, async (c) => {
      await alterClientQuotas(c, { user: 'alice' }, { producer_byte_rate: 1024, request_percentage: 12.5 });
      await alterClientQuotas(c, { user: 'alice', 'client-id': null }, { consumer_byte_rate: 2048 });
      await alterClientQuotas(c, { 'client-id': 'batch-job' }, { producer_byte_rate: 4096 });
      await alterClientQuotas(c, { ip: '127.0.0.1' }, { connection_creation_rate: 10 });
      // set then removed: not kept
      await alterClientQuotas(c, { user: 'bob' }, { producer_byte_rate: 1 });
      await alterClientQuotas(c, { user: 'bob' }, { producer_byte_rate: null });
    });
    const before = await withCluster(first, (c) => describeClientQuotas(c, []));
    expect(before).toHaveLength(4);
    await stop(first);

    const second = await start(dir);
    expect(dataDirOf(second.cluster)?.recovery).toEqual([]);
    expect(await withCluster(second, (c) => describeClientQuotas(c, []))).toEqual(before);
    expect(
      await withCluster(second, (c) =>
        describeClientQuotas(c, [{ entityType: 'user', match: { name: 'alice' } }], true),
      ),
    ).toEqual([
      { entity: { user: 'alice' }, values: { producer_byte_rate: 1024, request_percentage: 12.5 } },
    ]);
  });

  it('answers an offset commit only once it is in the journal, and replays the journal over meta.json at a start', async () => {
    const dir = dataDir();
    const journal = join(dir, OFFSETS_JOURNAL_FILE);
    const first = await start(dir);
    const admin = new GroupAdmin({ bootstrap: first.bootstrap });
    await admin.alterOffsets('app', [{ topic: 't', partition: 0, offset: 7n }]);
    await admin.close();
    // Answered: the commit is in meta.json or in the journal, whichever wrote last.
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
      offsets: { offset: string }[];
    };
    const onDisk = meta.offsets.map((o) => o.offset).join() + readFileSync(journal, 'utf8');
    expect(onDisk).toMatch(/7/);
    await stop(first);
    // A clean stop folds the journal into meta.json.
    expect(statSync(journal).size).toBe(0);

    // What a kill -9 leaves: changes after meta.json's last write, in the journal only.
    appendFileSync(journal, journalLine('app', 0, 9));
    appendFileSync(journal, journalLine('app', 1, 3));
    appendFileSync(
      journal,
      `${JSON.stringify({ op: 'delete-partition', group: 'app', topic: 't', partition: 1 })}\n`,
    );
    appendFileSync(journal, journalLine('other', 1, 4));
    const wholeSize = statSync(journal).size;
    const torn = journalLine('app', 0, 11).slice(0, 40); // the write the process died in
    appendFileSync(journal, torn);

    const second = await start(dir);
    expect(dataDirOf(second.cluster)?.recovery).toEqual([
      {
        file: journal,
        message: `torn write at the end: 40 bytes after byte ${wholeSize} dropped (an unanswered offset change)`,
      },
    ]);
    expect(await committed(second, 'app')).toEqual({ 't-0': '9' });
    expect(await committed(second, 'other')).toEqual({ 't-1': '4' });
    // Replayed into meta.json at the start: the journal starts over.
    expect(statSync(journal).size).toBe(0);
    await stop(second);

    // A bad line before the last one is damage, not a torn write.
    appendFileSync(journal, 'not json\n');
    appendFileSync(journal, journalLine('app', 0, 12));
    const err = await startEmulator({ host: '127.0.0.1', port: 0, dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toBe(
      `corrupt data file ${journal} at byte 0: not a journal line: "not json"`,
    );
  });

  it('keeps no transaction coordinator state: a producer from before the restart is refused, a new one with its transactional.id commits', async () => {
    const dir = dataDir();
    const port = await unusedPort();
    const bootstrap = `127.0.0.1:${port}`;
    const first = await start(dir, port);
    const old = new Producer({
      bootstrap,
      transactionalId: 'tx-app',
      retry: { retries: 2, initialBackoffMs: 20 },
      maxBlockMs: 3_000,
    });
    await old.initTransactions();
    old.beginTransaction();
    await old.send({ topic: 't', messages: [{ partition: 0, value: 'old-1' }] });
    const before = transactionsOf(first.cluster).describe('tx-app');
    expect(before?.state).toBe('Ongoing');
    await stop(first);

    const second = await start(dir, port);
    expect(dataDirOf(second.cluster)?.recovery.map((n) => n.message)).toEqual([
      `transaction of producer ${before?.producerId} was open at the stop: aborted (marker at offset 1)`,
    ]);
    expect(transactionsOf(second.cluster).describe('tx-app')).toBeUndefined();
    const fresh = new Producer({ bootstrap, transactionalId: 'tx-app' });
    try {
      await fresh.initTransactions();
      // A new producer id, epoch 0 (Kafka would give the same id, epoch + 1, from __transaction_state).
      const now = transactionsOf(second.cluster).describe('tx-app');
      expect(now?.producerId).toBeGreaterThan(before?.producerId ?? Number.POSITIVE_INFINITY);
      expect(now?.producerEpoch).toBe(0);
      fresh.beginTransaction();
      await fresh.send({ topic: 't', messages: [{ partition: 0, value: 'new-1' }] });
      await fresh.commitTransaction();
    } finally {
      await fresh.close();
    }
    // The producer that outlived the restart: its producer id is no one's now, so the coordinator
    // refuses it (INVALID_PRODUCER_ID_MAPPING; Kafka: PRODUCER_FENCED) and nothing of it commits.
    await expect(
      (async () => {
        await old.send({ topic: 't', messages: [{ partition: 1, value: 'old-2' }] });
        await old.commitTransaction();
      })(),
    ).rejects.toThrow(/AddPartitionsToTxn answered INVALID_PRODUCER_ID_MAPPING/);
    await old.close().catch(() => {});

    const reader = new Consumer({
      bootstrap,
      clientId: 'committed-reader',
      isolationLevel: 'read_committed',
      fetchMaxWaitMs: 50,
    });
    try {
      reader.assign([
        { topic: 't', partition: 0, offset: 0n },
        { topic: 't', partition: 1, offset: 0n },
      ]);
      const values: string[] = [];
      // Partition 0: old-1 (aborted at the start), its ABORT marker, new-1 at 2, its COMMIT marker.
      while ((reader.position({ topic: 't', partition: 0 }) ?? 0n) < 3n)
        for (const batch of await reader.poll()) for (const r of batch.records) values.push(String(r.value));
      expect(values).toEqual(['new-1']);
      expect(second.cluster.topics.partition('t', 1)?.logEndOffset).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('keeps SCRAM credentials set over the wire (salted keys, no password), and sasl.users still wins at a start', async () => {
    const dir = dataDir();
    const security = {
      listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
      'sasl.users': 'alice:alice-secret',
      'connection.failed.authentication.delay.ms': '0',
    };
    const boot = async () => {
      const e = await startEmulator({ port: 0, dataDir: dir, security });
      running.push(e);
      const at = (name: string) => e.endpoints.find((p) => p.listener === name);
      const [plain, sasl] = [at('PLAINTEXT'), at('SASL_PLAINTEXT')].map((p) => `${p?.host}:${p?.port}`);
      return { e, plain, sasl };
    };
    const login = async (
      bootstrap: string,
      user: string,
      mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
      password: string,
    ) => {
      const producer = new Producer({
        bootstrap,
        security: { protocol: 'SASL_PLAINTEXT', sasl: { mechanism, username: user, password } },
        // A login is never retried; the retries are for the topic this first send creates (its
        // first Metadata answers UNKNOWN_TOPIC_OR_PARTITION, as a KRaft Kafka does).
        retry: { retries: 5, initialBackoffMs: 10, maxBackoffMs: 50 },
      });
      try {
        await producer.send({ topic: 't', messages: [{ value: user }] });
        return 'ok';
      } catch (err) {
        return err instanceof AuthenticationError ? 'refused' : `error: ${(err as Error).message}`;
      } finally {
        await producer.close();
      }
    };
    const first = await boot();
    const admin = new ClientCluster({ bootstrap: [first.plain] });
    await admin.connect();
    await alterUserScramCredentials(admin, [
      { user: 'bob', mechanism: 'SCRAM-SHA-256', iterations: 8192, password: 'bob-secret' },
      { user: 'carol', mechanism: 'SCRAM-SHA-512', password: 'carol-secret' },
      { user: 'alice', mechanism: 'SCRAM-SHA-256', password: 'changed-over-the-wire' },
    ]);
    await alterUserScramCredentials(admin, [{ user: 'carol', mechanism: 'SCRAM-SHA-512', delete: true }]);
    await admin.close();
    expect(await login(first.sasl, 'bob', 'SCRAM-SHA-256', 'bob-secret')).toBe('ok');
    await stop(first.e);
    const meta = readFileSync(join(dir, 'meta.json'), 'utf8');
    expect(meta).not.toMatch(/secret|changed-over-the-wire/);

    const second = await boot();
    const admin2 = new ClientCluster({ bootstrap: [second.plain] });
    await admin2.connect();
    try {
      // The broker lists users in Kafka's HashMap order: compared by user.
      const users = (await describeUserScramCredentials(admin2)).map((u) => [u.user, u.credentials]);
      expect(Object.fromEntries(users)).toEqual({
        // sasl.users without a mechanism: every enabled one
        alice: [
          { mechanism: 'SCRAM-SHA-256', iterations: 4096 },
          { mechanism: 'SCRAM-SHA-512', iterations: 4096 },
        ],
        bob: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }],
      });
    } finally {
      await admin2.close();
    }
    expect(await login(second.sasl, 'bob', 'SCRAM-SHA-256', 'bob-secret')).toBe('ok');
    expect(await login(second.sasl, 'bob', 'SCRAM-SHA-256', 'wrong')).toBe('refused');
    expect(await login(second.sasl, 'carol', 'SCRAM-SHA-512', 'carol-secret')).toBe('refused');
    // sasl.users is applied at every start, over what the directory kept for that user.
    expect(await login(second.sasl, 'alice', 'SCRAM-SHA-256', 'alice-secret')).toBe('ok');
    expect(await login(second.sasl, 'alice', 'SCRAM-SHA-256', 'changed-over-the-wire')).toBe('refused');
  });
});
