/**
 * `DIR/offsets.journal`: every change of the committed offsets since meta.json was last written, one
 * JSON line each, appended with a synchronous write() before the OffsetCommit (or EndTxn,
 * OffsetDelete, DeleteGroups) that made it is answered — what __consumer_offsets gives Kafka: a
 * commit the broker answered survives a crash. meta.json stays the snapshot; once it is rewritten
 * (it then holds every change journaled so far) the journal is emptied.
 *
 * At a start the lines are replayed over meta.json's offsets in order. Replaying a line meta.json
 * already holds changes nothing (a crash between writing meta.json and emptying the journal), as a
 * later line for the same key always wins. A last line without its newline, or that does not parse,
 * is the write the process died in: it was never answered, and is dropped. A bad line before the
 * last is damage, reported with the file and byte offset.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import type { OffsetChange, OffsetStore } from '../state/offsets.js';
import type { FsyncPolicy } from './log-files.js';
import { CorruptDataError } from './segment-file.js';

export const OFFSETS_JOURNAL_FILE = 'offsets.journal';

type Line =
  | ({ op: 'commit' } & StoredCommit)
  | { op: 'delete-partition'; group: string; topic: string; partition: number }
  | { op: 'delete-group'; group: string }
  | { op: 'delete-topic'; topic: string };

function toLine(c: OffsetChange): Line {
  switch (c.kind) {
    case 'commit':
      return {
        op: 'commit',
        group: c.groupId,
        topic: c.topic,
        partition: c.partition,
        offset: c.value.offset.toString(),
        leaderEpoch: c.value.leaderEpoch,
        metadata: c.value.metadata,
        commitTimestamp: c.value.commitTimestamp,
        expireTimestamp: c.value.expireTimestamp,
      };
    case 'delete-partition':
      return { op: 'delete-partition', group: c.groupId, topic: c.topic, partition: c.partition };
    case 'delete-group':
      return { op: 'delete-group', group: c.groupId };
    case 'delete-topic':
      return { op: 'delete-topic', topic: c.topic };
  }
}

export class OffsetsJournal {
  private fd: number;
  /** Bytes in the file (a torn tail dropped at the start included) since it was last emptied. */
  private size: number;

  constructor(
    readonly file: string,
    readonly fsync: FsyncPolicy,
  ) {
    this.fd = openSync(file, 'a');
    this.size = fstatSync(this.fd).size;
  }

  append(change: OffsetChange): void {
    const bytes = Buffer.from(`${JSON.stringify(toLine(change))}\n`);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    if (this.fsync === 'always') fdatasyncSync(this.fd);
    this.size += bytes.length;
  }

  /** meta.json now holds everything journaled: start over. */
  reset(): void {
    if (this.size === 0) return;
    ftruncateSync(this.fd, 0);
    if (this.fsync === 'always') fdatasyncSync(this.fd);
    this.size = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Applies the journal's lines to `store` (loaded from meta.json). Answers a note when a torn last
 * line was dropped; throws CorruptDataError for a bad line before the last.
 */
export function replayOffsetsJournal(file: string, store: OffsetStore): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const isLast = end < 0 || end === text.length - 1;
    const raw = end < 0 ? text.slice(pos) : text.slice(pos, end);
    let line: Line | undefined;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      line = undefined;
    }
    if (end < 0 || !line || typeof line !== 'object') {
      if (isLast)
        return `torn write at the end: ${Buffer.byteLength(text.slice(pos))} bytes after byte ${Buffer.byteLength(text.slice(0, pos))} dropped (an unanswered offset change)`;
      throw new CorruptDataError(
        file,
        Buffer.byteLength(text.slice(0, pos)),
        `not a journal line: ${JSON.stringify(raw.slice(0, 80))}`,
      );
    }
    apply(line, store, file, Buffer.byteLength(text.slice(0, pos)));
    pos = end + 1;
  }
  return undefined;
}

/** A committed offset as meta.json and the journal write it. */
export interface StoredCommit {
  group: string;
  topic: string;
  partition: number;
  offset: string;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number | null;
}

/** Puts a stored commit back with its own commit time and expiry. */
export function restoreCommit(store: OffsetStore, c: StoredCommit): void {
  store.commit(
    c.group,
    [
      {
        name: c.topic,
        partitions: [
          {
            partitionIndex: c.partition,
            committedOffset: BigInt(c.offset),
            committedLeaderEpoch: c.leaderEpoch,
            committedMetadata: c.metadata,
          },
        ],
      },
    ],
    {
      now: c.commitTimestamp,
      retentionTimeMs: c.expireTimestamp === null ? -1 : c.expireTimestamp - c.commitTimestamp,
    },
  );
}

function apply(line: Line, store: OffsetStore, file: string, at: number): void {
  switch (line.op) {
    case 'commit':
      restoreCommit(store, line);
      return;
    case 'delete-partition':
      store.deletePartition(line.group, line.topic, line.partition);
      return;
    case 'delete-group':
      store.deleteGroup(line.group);
      return;
    case 'delete-topic':
      store.topicDeleted(line.topic);
      return;
    default:
      throw new CorruptDataError(
        file,
        at,
        `unknown journal operation ${JSON.stringify((line as { op?: unknown }).op)}`,
      );
  }
}
