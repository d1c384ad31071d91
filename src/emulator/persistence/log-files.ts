/**
 * The write side of a data dir's partition logs: a LogStore (state/partition-log.ts) that mirrors
 * every change of a log onto its directory, `<dir>/<topic>-<partition>/`, as Kafka lays out a log
 * dir — one append-only file per segment named by its base offset (20 digits, `.log`), and the log
 * start offset in a small checkpoint file (`log-start-offset`, Kafka's log-start-offset-checkpoint,
 * one per partition here).
 *
 * When bytes reach the file (the rule the README and KNOWN-DIFFERENCES state): an appended batch is
 * written with a synchronous write() before the log's append returns, so before the Produce that
 * carried it is answered. A process that dies (kill -9, a crash) therefore loses nothing it
 * acknowledged: the bytes are in the operating system's page cache and reach the disk without it.
 * fsync 'always' adds fdatasync() after each write (and fsyncs directories it changes), so an
 * operating-system crash or power loss loses nothing acknowledged either; 'never' (the default, as
 * Kafka's log.flush.interval.messages leaves flushing to the OS) lets those lose what the kernel had
 * not written back. A clean stop fsyncs every open file whatever the policy.
 *
 * Retention unlinks a deleted segment's file; the cleaner writes a segment's new batches to
 * `<name>.log.cleaned`, then renames it over the old one (Kafka's .cleaned/.swap, in one step).
 */
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { LogSegment, LogStore, PartitionLog, StoredBatch } from '../state/partition-log.js';

export type FsyncPolicy = 'always' | 'never';

export const LOG_START_OFFSET_FILE = 'log-start-offset';

/** Kafka's segment file name: the base offset, zero-padded to 20 digits (LogFileUtils.filenamePrefixFromOffset). */
export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

interface OpenSegment {
  baseOffset: number;
  fd: number;
}

export class LogFiles implements LogStore {
  /** The active segment's open file, by partition dir name. */
  private readonly open = new Map<string, OpenSegment>();
  private closed = false;

  /**
   * @param root the data dir
   * @param fsync the policy above
   * @param beforeFirstWrite called before a partition's directory is first written, so that the
   *   metadata naming its topic is on disk before any of its records are (data-dir.ts)
   */
  constructor(
    readonly root: string,
    readonly fsync: FsyncPolicy,
    private readonly beforeFirstWrite: (log: PartitionLog) => void,
  ) {}

  appended(log: PartitionLog, segment: LogSegment, batch: StoredBatch): void {
    const fd = this.segmentFd(log, segment);
    writeFully(fd, batch.bytes);
    if (this.fsync === 'always') fdatasyncSync(fd);
    if (this.closed) this.closePartition(partitionDirName(log.topic, log.partition));
  }

  rolled(log: PartitionLog, segment: LogSegment): void {
    // The new (empty) file is made now, as Kafka makes it at the roll: a log whose every segment
    // went to retention keeps its log end offset in the name of the one left.
    this.segmentFd(log, segment);
    if (this.closed) this.closePartition(partitionDirName(log.topic, log.partition));
  }

  segmentsDeleted(log: PartitionLog, segments: readonly LogSegment[]): void {
    const name = partitionDirName(log.topic, log.partition);
    const dir = join(this.root, name);
    for (const s of segments) {
      const open = this.open.get(name);
      if (open?.baseOffset === s.baseOffset) this.closePartition(name);
      try {
        unlinkSync(join(dir, segmentFileName(s.baseOffset)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    if (this.fsync === 'always') fsyncPath(dir);
  }

  segmentsReplaced(log: PartitionLog, segments: readonly LogSegment[]): void {
    const name = partitionDirName(log.topic, log.partition);
    const dir = this.ensureDir(log);
    for (const s of segments) {
      const file = join(dir, segmentFileName(s.baseOffset));
      const cleaned = `${file}.cleaned`;
      const fd = openSync(cleaned, 'w');
      try {
        for (const b of s.batches) writeFully(fd, b.bytes);
        if (this.fsync === 'always') fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (this.open.get(name)?.baseOffset === s.baseOffset) this.closePartition(name);
      renameSync(cleaned, file);
    }
    if (this.fsync === 'always') fsyncPath(dir);
  }

  logStartOffsetChanged(log: PartitionLog): void {
    const dir = this.ensureDir(log);
    writeFileAtomically(join(dir, LOG_START_OFFSET_FILE), `${log.logStartOffset}\n`, this.fsync === 'always');
  }

  /** DeleteTopics: the topic's directories go at once (Kafka renames them `-delete` and removes them later). */
  topicDeleted(topic: string, partitions: number): void {
    for (let p = 0; p < partitions; p++) {
      const name = partitionDirName(topic, p);
      this.closePartition(name);
      rmSync(join(this.root, name), { recursive: true, force: true });
    }
    if (this.fsync === 'always') fsyncPath(this.root);
  }

  /** A clean stop: every open file fsynced and closed. Later writes still reach the files (opened each time). */
  close(): void {
    for (const [name, open] of this.open) {
      fsyncSync(open.fd);
      this.closePartition(name);
    }
    this.closed = true;
  }

  private closePartition(name: string): void {
    const open = this.open.get(name);
    if (!open) return;
    this.open.delete(name);
    closeSync(open.fd);
  }

  private ensureDir(log: PartitionLog): string {
    const dir = join(this.root, partitionDirName(log.topic, log.partition));
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The open file of `segment`, which is the log's active one: opened (created) on first use. */
  private segmentFd(log: PartitionLog, segment: LogSegment): number {
    const name = partitionDirName(log.topic, log.partition);
    const open = this.open.get(name);
    if (open?.baseOffset === segment.baseOffset) return open.fd;
    if (open) {
      // The previous active segment is done: Kafka flushes it at the roll.
      fsyncSync(open.fd);
      this.closePartition(name);
    }
    if (!open) this.beforeFirstWrite(log);
    const dir = this.ensureDir(log);
    const fd = openSync(join(dir, segmentFileName(segment.baseOffset)), 'a');
    if (this.fsync === 'always') {
      fsyncPath(dir);
      fsyncPath(this.root);
    }
    this.open.set(name, { baseOffset: segment.baseOffset, fd });
    return fd;
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** fsync of a directory, so a file created, renamed or removed in it stays so after a power loss. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write to `<file>.tmp`, fsync it when asked, rename over `file`: readers see the old or the new whole. */
export function writeFileAtomically(file: string, text: string, sync: boolean): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFully(fd, Buffer.from(text));
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
