/**
 * A partition's leader-epoch cache: for every leader epoch, the offset at which its leader started
 * writing — Kafka's LeaderEpochFileCache (the leader-epoch-checkpoint file). A leader records its
 * epoch at the log end offset when it becomes leader (Partition.makeLeader →
 * maybeAssignEpochStartOffset); OffsetForLeaderEpoch reads it to tell a follower or a consumer where
 * an epoch ended (KIP-101, KIP-279, KIP-320).
 *
 * The log is shared by every replica here (a follower is a position in it, replication.ts), so one
 * cache per partition is every replica's cache.
 */

/** An epoch and the first offset written in it. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export class LeaderEpochCache {
  /** By ascending epoch (and start offset). */
  private readonly entries: EpochEntry[] = [];

  get epochs(): readonly EpochEntry[] {
    return this.entries;
  }

  /**
   * Records that `epoch` starts at `startOffset`, as LeaderEpochFileCache.assign: nothing to do when
   * the latest entry is that epoch at or before that offset; otherwise the entries it conflicts with
   * (an epoch at or above it, or a start offset at or past it) go first — so an epoch in which nothing
   * was written leaves no entry once the next one starts at the same offset.
   */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0 || startOffset < 0) return;
    const latest = this.entries[this.entries.length - 1];
    if (latest && latest.epoch === epoch && latest.startOffset <= startOffset) return;
    while (this.entries.length > 0) {
      const last = this.entries[this.entries.length - 1] as EpochEntry;
      if (last.epoch < epoch && last.startOffset < startOffset) break;
      this.entries.pop();
    }
    this.entries.push({ epoch, startOffset });
  }

  /**
   * Where `requested` ended, as LeaderEpochFileCache.endOffsetFor: the latest epoch ends at the log
   * end offset; an older known epoch ends where the next higher one starts (answered with the
   * highest epoch at or below the requested one); an epoch below every known one ends where the first
   * starts; an epoch above every known one, or -1, is undefined (-1, -1).
   */
  endOffsetFor(requested: number, logEndOffset: number): { epoch: number; endOffset: number } {
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requested === UNDEFINED_EPOCH) return undefinedAnswer;
    const latest = this.entries[this.entries.length - 1];
    if (latest && latest.epoch === requested) return { epoch: requested, endOffset: logEndOffset };
    const higher = this.entries.find((e) => e.epoch > requested);
    if (!higher) return undefinedAnswer;
    const floor = [...this.entries].reverse().find((e) => e.epoch <= requested);
    return { epoch: floor ? floor.epoch : requested, endOffset: higher.startOffset };
  }

  /** The epoch `offset` was written in (LeaderEpochFileCache.epochForOffset): -1 before the first entry. */
  epochForOffset(offset: number): number {
    let found = UNDEFINED_EPOCH;
    for (const e of this.entries) if (e.startOffset <= offset) found = e.epoch;
    return found;
  }
}
