/**
 * `--data-dir DIR` (startEmulator({ dataDir })): what a stop and a start keep. Opt-in; without it
 * the emulator stays memory-only.
 *
 *     DIR/.lock                      the pid of the emulator using DIR (Kafka's log dir .lock)
 *     DIR/meta.json                  topics (name, id, partitions, configs), dynamic broker configs,
 *                                    client quotas, SCRAM credentials (salted keys, never a
 *                                    password), committed group offsets, the next producer id
 *     DIR/offsets.journal            offset commits and deletions since meta.json was last written
 *     DIR/<topic>-<p>/<base>.log     a segment: record batches as Kafka's .log files hold them
 *     DIR/<topic>-<p>/log-start-offset
 *
 * Partition logs are written as they change (log-files.ts states when bytes reach the disk), and so
 * is each change of the committed offsets (offsets-journal.ts), before the request that made it is
 * answered. meta.json is Kafka's metadata log and __consumer_offsets rolled into one snapshot,
 * rewritten atomically (tmp + fsync + rename) when a partition is first written to (so no record is
 * on disk for a topic meta.json does not name), when a topic is deleted, every META_FLUSH_MS while
 * it changes, and at a clean stop; each rewrite empties the journal. So a crash (kill -9) loses no
 * acknowledged record and no answered offset commit (test/emulator/persistence-crash-loop.test.ts
 * proves both), but may lose topic and broker config, client quota and SCRAM credential changes
 * of the last META_FLUSH_MS (or longer while the event loop is busy: the rewrite is a timer), and
 * a topic created then with nothing written to it yet. With --fsync always, the journal is
 * fdatasynced per change as the logs are per append, so a power loss loses neither; with never,
 * only the kernel's write-back stands between them and the disk.
 *
 * What is rebuilt rather than stored, as Kafka rebuilds it from the log at recovery: each log's
 * end offset, open and aborted transactions (from transactional batches and their markers) and the
 * idempotent producers' state (epoch and the last five batches per producer and partition, from the
 * batches' producer fields), so a retry after a restart is still recognised as a duplicate.
 * The transaction coordinator's state is not stored: a transaction still open in a log at start is
 * aborted there (an ABORT marker appended, as the coordinator does once transaction.timeout.ms
 * passes), so read_committed readers are not held at it forever. A producer that outlived the
 * restart is then refused (its producer id is no transactional id's: INVALID_PRODUCER_ID_MAPPING,
 * where Kafka answers PRODUCER_FENCED once a newer producer initialised), so no transaction is
 * committed half aborted; a new producer with the same transactional.id gets a new producer id at
 * epoch 0 (Kafka: the same id, epoch + 1). Stored as a snapshot, the state would be up to
 * META_FLUSH_MS stale, and a stale Ongoing or epoch is worse than none; Kafka writes each
 * transition to __transaction_state before answering (test/emulator/persistence-meta.test.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeControlBatch } from '../../protocol/records/index.js';
import { SCRAM_MECHANISMS, type ScramMechanismName } from '../../protocol/sasl/scram.js';
import type { Cluster, StateDomain } from '../cluster.js';
import { scramCredentialsOf } from '../security/scram-credentials.js';
import { dynamicConfigsOf } from '../state/configs.js';
import { offsetsOf } from '../state/group-classic/wiring.js';
import { LogSegment, type PartitionLog } from '../state/partition-log.js';
import { type EntityData, quotasOf } from '../state/quotas.js';
import {
  type FsyncPolicy,
  LOG_START_OFFSET_FILE,
  LogFiles,
  partitionDirName,
  writeFileAtomically,
} from './log-files.js';
import {
  OFFSETS_JOURNAL_FILE,
  OffsetsJournal,
  replayOffsetsJournal,
  restoreCommit,
  type StoredCommit,
} from './offsets-journal.js';
import { ATTR, BATCH, CorruptDataError, controlType, scanSegmentFile } from './segment-file.js';

export type { FsyncPolicy } from './log-files.js';
export { CorruptDataError } from './segment-file.js';

/** How often meta.json is rewritten while offsets or configs change (real time, not the cluster's clock). */
export const META_FLUSH_MS = 500;
const META_FILE = 'meta.json';
const LOCK_FILE = '.lock';
const META_VERSION = 1;

/** A second emulator on a data dir in use. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `data dir ${dir} is in use by process ${pid} (${join(dir, LOCK_FILE)}); stop that emulator or pick another --data-dir`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface MetaTopic {
  name: string;
  id: string;
  partitions: number;
  configs: Record<string, string>;
}

type MetaOffset = StoredCommit;

interface Meta {
  version: number;
  nextProducerId: number;
  topics: MetaTopic[];
  brokerConfigs: {
    clusterDefault: Record<string, string>;
    perBroker: Record<string, Record<string, string>>;
  };
  offsets: MetaOffset[];
  /** Client quotas (AlterClientQuotas); absent in a meta.json written before they were kept. */
  quotas?: MetaQuota[];
  /**
   * SCRAM credentials by user and mechanism (salt, stored and server key in base64, iterations):
   * never a password, as Kafka's metadata log keeps them. Absent in an older meta.json.
   */
  scram?: Record<string, Record<string, MetaScramCredential>>;
}

interface MetaScramCredential {
  salt: string;
  storedKey: string;
  serverKey: string;
  iterations: number;
}

interface MetaQuota {
  entity: EntityData[];
  values: Record<string, number>;
}

/** What a start found on disk beyond the plain data: torn tails cut, transactions aborted. */
export interface RecoveryNote {
  file: string;
  message: string;
}

export class DataDir implements StateDomain {
  readonly logFiles: LogFiles;
  /** Set at load: what recovery did (a torn tail cut, an open transaction aborted, a stale lock taken over). */
  readonly recovery: RecoveryNote[] = [];
  private lastWritten = '';
  /** Topic name → partitions named in meta.json as last written. */
  private readonly persisted = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Offset changes since meta.json was last written (offsets-journal.ts); set at load. */
  private journal: OffsetsJournal | undefined;

  constructor(
    private readonly cluster: Cluster,
    readonly dir: string,
    readonly fsync: FsyncPolicy,
  ) {
    this.logFiles = new LogFiles(dir, fsync, (log) => this.ensureNamed(log));
  }

  /** Writes meta.json if it changed since it was last written. */
  flushMeta(): void {
    const meta = this.snapshot();
    const text = `${JSON.stringify(meta, null, 1)}\n`;
    if (text !== this.lastWritten) {
      writeFileAtomically(join(this.dir, META_FILE), text, true);
      this.lastWritten = text;
      this.persisted.clear();
      for (const t of meta.topics) this.persisted.set(t.name, t.partitions);
    }
    // meta.json on disk holds every offset change journaled so far.
    this.journal?.reset();
  }

  /** A clean stop: logs fsynced, meta.json written, the lock released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.logFiles.close();
    this.flushMeta();
    this.journal?.close();
    this.journal = undefined;
    try {
      unlinkSync(join(this.dir, LOCK_FILE));
    } catch {
      // already gone: nothing to release
    }
  }

  stop(): void {
    this.close();
  }

  topicDeleted(topic: string): void {
    const partitions = this.persisted.get(topic) ?? 0;
    // The partitions on disk may be more than meta.json says (grown since): remove every dir.
    let n = partitions;
    while (existsSync(join(this.dir, partitionDirName(topic, n)))) n++;
    this.logFiles.topicDeleted(topic, n);
    this.flushMeta();
  }

  /** Before a partition's first write: make sure meta.json names its topic and partition. */
  private ensureNamed(log: PartitionLog): void {
    const known = this.persisted.get(log.topic);
    if (known === undefined || known <= log.partition) this.flushMeta();
  }

  private snapshot(): Meta {
    const c = this.cluster;
    const topics: MetaTopic[] = c.topics.list().map((t) => ({
      name: t.name,
      id: t.id,
      partitions: t.partitions.length,
      configs: Object.fromEntries(t.configs),
    }));
    const configs = dynamicConfigsOf(c);
    const perBroker: Record<string, Record<string, string>> = {};
    for (const b of c.brokers) {
      const m = configs.perBroker(b.nodeId);
      if (m.size > 0) perBroker[String(b.nodeId)] = Object.fromEntries(m);
    }
    const store = offsetsOf(c);
    const offsets: MetaOffset[] = [];
    for (const group of store.groupIds())
      for (const e of store.entries(group))
        offsets.push({
          group,
          topic: e.topic,
          partition: e.partition,
          offset: e.offset.offset.toString(),
          leaderEpoch: e.offset.leaderEpoch,
          metadata: e.offset.metadata,
          commitTimestamp: e.offset.commitTimestamp,
          expireTimestamp: e.offset.expireTimestamp,
        });
    const quotas: MetaQuota[] = (quotasOf(c).describe([], false).entries ?? []).map((e) => ({
      entity: e.entity,
      values: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
    }));
    const credentials = scramCredentialsOf(c);
    const scram: NonNullable<Meta['scram']> = {};
    for (const user of credentials.userNames())
      for (const { mechanism } of credentials.describe(user)) {
        const k = credentials.get(user, mechanism);
        if (!k) continue;
        scram[user] ??= {};
        scram[user][mechanism] = {
          salt: k.salt.toString('base64'),
          storedKey: k.storedKey.toString('base64'),
          serverKey: k.serverKey.toString('base64'),
          iterations: k.iterations,
        };
      }
    return {
      version: META_VERSION,
      nextProducerId: c.producerIds.nextProducerId,
      topics,
      brokerConfigs: { clusterDefault: Object.fromEntries(configs.clusterDefault), perBroker },
      offsets,
      quotas,
      scram,
    };
  }

  /** Loads what DIR holds into the (new, empty) cluster; throws CorruptDataError / DataDirLockedError. */
  load(): void {
    const metaFile = join(this.dir, META_FILE);
    let meta: Meta | undefined;
    if (existsSync(metaFile)) {
      const text = readFileSync(metaFile, 'utf8');
      try {
        meta = JSON.parse(text) as Meta;
      } catch (err) {
        const at = /position (\d+)/.exec(String(err));
        throw new CorruptDataError(
          metaFile,
          at ? Number(at[1]) : 0,
          `not valid JSON (${(err as Error).message})`,
        );
      }
      if (meta?.version !== META_VERSION || !Array.isArray(meta.topics))
        throw new CorruptDataError(metaFile, 0, `not a kafkalab meta.json of version ${META_VERSION}`);
    }
    const c = this.cluster;
    const store = offsetsOf(c);
    if (meta) {
      const configs = dynamicConfigsOf(c);
      configs.clusterDefault.clear();
      for (const [k, v] of Object.entries(meta.brokerConfigs.clusterDefault))
        configs.clusterDefault.set(k, v);
      for (const [id, m] of Object.entries(meta.brokerConfigs.perBroker)) {
        const target = configs.perBroker(Number(id));
        for (const [k, v] of Object.entries(m)) target.set(k, v);
      }
      configs.generation++;
      c.producerIds.reserveThrough(meta.nextProducerId - 1);
      for (const t of meta.topics) {
        const r = c.topics.create(t.name, t.partitions, new Map(Object.entries(t.configs)), t.id);
        if (!('topic' in r))
          throw new CorruptDataError(metaFile, 0, `topic ${t.name} cannot be restored: ${r.errorMessage}`);
        for (const log of r.topic.partitions) this.loadPartition(log);
      }
      for (const o of meta.offsets) restoreCommit(store, o);
      this.restoreQuotas(meta.quotas ?? [], metaFile);
      this.restoreScram(meta.scram ?? {}, metaFile);
    }
    const journalFile = join(this.dir, OFFSETS_JOURNAL_FILE);
    const torn = replayOffsetsJournal(journalFile, store);
    if (torn) this.recovery.push({ file: journalFile, message: torn });
    this.journal = new OffsetsJournal(journalFile, this.fsync);
    store.onChange = (change) => this.journal?.append(change);
    this.flushMeta();
    this.abortOpenTransactions();
    this.timer = setInterval(() => this.flushMeta(), META_FLUSH_MS);
    this.timer.unref();
  }

  /** Client quotas back through AlterClientQuotas' own validation: a refused entry is damage. */
  private restoreQuotas(quotas: MetaQuota[], metaFile: string): void {
    if (quotas.length === 0) return;
    const results = quotasOf(this.cluster).alter(
      quotas.map((q) => ({
        entity: q.entity,
        ops: Object.entries(q.values).map(([key, value]) => ({ key, value, remove: false })),
      })),
      false,
    );
    const refused = results.find((r) => r.errorCode !== 0);
    if (refused)
      throw new CorruptDataError(metaFile, 0, `client quota cannot be restored: ${refused.errorMessage}`);
  }

  /**
   * SCRAM credentials back as they were stored. Users of --user / sasl.users are set again after
   * this at every start (listeners.ts), so the flags win over what the dir kept for the same user.
   */
  private restoreScram(scram: NonNullable<Meta['scram']>, metaFile: string): void {
    const credentials = scramCredentialsOf(this.cluster);
    for (const [user, byMechanism] of Object.entries(scram))
      for (const [name, k] of Object.entries(byMechanism)) {
        const mechanism = SCRAM_MECHANISMS[name as ScramMechanismName];
        if (!mechanism || !(k.iterations > 0))
          throw new CorruptDataError(metaFile, 0, `SCRAM credential of ${user} (${name}) cannot be restored`);
        credentials.set(user, mechanism, {
          salt: Buffer.from(k.salt, 'base64'),
          storedKey: Buffer.from(k.storedKey, 'base64'),
          serverKey: Buffer.from(k.serverKey, 'base64'),
          iterations: k.iterations,
        });
      }
  }

  /** Reads one partition's segment files into its (empty) log, and rebuilds what Kafka rebuilds. */
  private loadPartition(log: PartitionLog): void {
    const dir = join(this.dir, partitionDirName(log.topic, log.partition));
    if (!existsSync(dir)) return;
    const files = readdirSync(dir);
    for (const f of files)
      if (f.endsWith('.tmp') || f.endsWith('.cleaned')) rmSync(join(dir, f), { force: true });
    const segmentFiles = files
      .filter((f) => /^\d{20}\.log$/.test(f))
      .sort()
      .map((f) => ({ file: join(dir, f), baseOffset: Number(f.slice(0, 20)) }));
    const now = this.cluster.now();
    const segments: LogSegment[] = [];
    let next = 0;
    for (const [i, sf] of segmentFiles.entries()) {
      if (sf.baseOffset < next)
        throw new CorruptDataError(
          sf.file,
          0,
          `segment starts at ${sf.baseOffset}, below the previous one's end ${next}`,
        );
      const scanned = scanSegmentFile(sf.file, sf.baseOffset, i === segmentFiles.length - 1);
      if (scanned.truncated)
        this.recovery.push({
          file: sf.file,
          message: `torn write at the end: ${scanned.truncated.dropped} bytes after byte ${scanned.truncated.at} dropped (the last whole batch kept)`,
        });
      const segment = new LogSegment(sf.baseOffset, now);
      for (const b of scanned.batches) segment.append(b, now);
      segments.push(segment);
      next = segment.nextOffset;
    }
    const checkpointFile = join(dir, LOG_START_OFFSET_FILE);
    let checkpoint = 0;
    if (existsSync(checkpointFile)) {
      const text = readFileSync(checkpointFile, 'utf8').trim();
      if (!/^\d+$/.test(text))
        throw new CorruptDataError(
          checkpointFile,
          0,
          `expected a log start offset, found ${JSON.stringify(text)}`,
        );
      checkpoint = Number(text);
    }
    if (segments.length === 0) {
      if (checkpoint === 0) return;
      segments.push(new LogSegment(checkpoint, now));
    }
    log.segments.splice(0, log.segments.length, ...segments);
    log.logEndOffset = segments[segments.length - 1].nextOffset;
    log.logStartOffset = Math.min(Math.max(checkpoint, segments[0].baseOffset), log.logEndOffset);
    this.rebuildProducerState(log);
  }

  /** Transactions and idempotent producers from the batches' producer fields (Kafka's producer state recovery). */
  private rebuildProducerState(log: PartitionLog): void {
    const producerIds = this.cluster.producerIds;
    let maxProducerId = -1;
    for (const s of log.segments)
      for (const b of s.batches) {
        const bytes = b.bytes;
        const producerId = Number(bytes.readBigInt64BE(BATCH.producerId));
        if (producerId < 0) continue;
        if (producerId > maxProducerId) maxProducerId = producerId;
        const attributes = bytes.readInt16BE(BATCH.attributes);
        const epoch = bytes.readInt16BE(BATCH.producerEpoch);
        this.lastEpoch.set(producerId, epoch);
        if (attributes & ATTR.control) {
          const type = controlType(bytes);
          if (type === 0 || type === 1) log.endTransaction(producerId, type === 0, b.baseOffset);
          continue;
        }
        if (attributes & ATTR.transactional) log.beginTransaction(producerId, b.baseOffset);
        const baseSequence = bytes.readInt32BE(BATCH.baseSequence);
        if (baseSequence < 0) continue;
        const logAppendTime = attributes & ATTR.logAppendTime ? b.maxTimestamp : -1;
        producerIds.record(producerId, epoch, log.topic, log.partition, {
          firstSeq: baseSequence,
          lastSeq: (baseSequence + (b.lastOffset - b.baseOffset)) % 2_147_483_648,
          baseOffset: b.baseOffset,
          lastOffset: b.lastOffset,
          logAppendTime,
          timestamp: b.maxTimestamp,
        });
      }
    if (maxProducerId >= 0) producerIds.reserveThrough(maxProducerId);
  }

  /** The last producer epoch seen per producer id while loading (for the markers below). */
  private readonly lastEpoch = new Map<number, number>();

  /** Transactions left open in a log: the coordinator that would end them is gone, so they are aborted. */
  private abortOpenTransactions(): void {
    const now = this.cluster.now();
    for (const topic of this.cluster.topics.list())
      for (const log of topic.partitions)
        for (const producerId of [...log.ongoingTransactions.keys()]) {
          const bytes = encodeControlBatch({
            type: 'abort',
            producerId: BigInt(producerId),
            producerEpoch: this.lastEpoch.get(producerId) ?? 0,
            timestamp: now,
          });
          const markerOffset = log.logEndOffset;
          log.endTransaction(producerId, true, markerOffset);
          log.append({ bytes, recordCount: 1, maxTimestamp: now, maxTimestampDelta: 0 });
          this.recovery.push({
            file: join(this.dir, partitionDirName(log.topic, log.partition)),
            message: `transaction of producer ${producerId} was open at the stop: aborted (marker at offset ${markerOffset})`,
          });
        }
  }
}

/** Locks DIR (creating it), or throws DataDirLockedError when a live process holds it. */
function lock(dir: string, recovery: RecoveryNote[]): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DataDirLockedError(dir, pid);
    // The emulator that held it died without stopping (kill -9): take the dir over.
    recovery.push({
      file,
      message: `stale lock of process ${pid} (not running) taken over: the last stop was not clean`,
    });
    rmSync(file, { force: true });
  }
  throw new Error(`could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens DIR for `cluster`: locks it, loads what it holds, and makes every partition log write to it.
 * Called by the Cluster constructor before it creates the configured topics.
 */
export function openDataDir(cluster: Cluster, dir: string, fsync: FsyncPolicy = 'never'): DataDir {
  const recovery: RecoveryNote[] = [];
  lock(dir, recovery);
  const dataDir = new DataDir(cluster, dir, fsync);
  dataDir.recovery.push(...recovery);
  cluster.logStore = dataDir.logFiles;
  try {
    dataDir.load();
  } catch (err) {
    rmSync(join(dir, LOCK_FILE), { force: true });
    throw err;
  }
  byCluster.set(cluster, dataDir);
  return cluster.domain('data-dir', () => dataDir);
}

const byCluster = new WeakMap<Cluster, DataDir>();

/** The data dir of a cluster started with one, else undefined. */
export function dataDirOf(cluster: Cluster): DataDir | undefined {
  return byCluster.get(cluster);
}
