/**
 * Committed-offset expiry (offsets.retention.minutes), as Kafka's group coordinator runs it every
 * offsets.retention.check.interval.ms (GroupCoordinatorShard.cleanupGroupMetadata, then
 * OffsetMetadataManager.cleanupExpiredOffsets and GroupMetadataManager.maybeDeleteGroup):
 *
 * - each group says from when its offsets age (Group.offsetExpirationCondition), or that none may
 *   expire now; the group kinds' answers live beside them (group-classic/expiry.ts, the consumer
 *   group coordinator) and arrive here as an ExpiringGroup;
 * - only offsets of topics the group is not subscribed to can expire, and not one an open
 *   transaction is about to commit;
 * - an offset with an explicit expire timestamp (OffsetCommit v2-4 retentionTimeMs) expires then;
 *   any other once now − base ≥ the retention;
 * - a group whose offsets are all gone (or that had none) and that is Empty is deleted.
 *
 * This module knows the rules, not the cluster: offsets-cleanup.ts gathers the groups and runs it.
 */
import type { Clock, Timer } from '../clock.js';
import type { CommittedOffset, OffsetStore } from './offsets.js';

/** What the cleanup asks of one group (Kafka's Group interface, the part expiry uses). */
export interface ExpiringGroup {
  /**
   * offsetExpirationCondition: the time an offset's retention counts from (the commit, or the moment
   * the group became Empty), or null while no offset of this group may expire.
   */
  baseTimestamp: ((offset: CommittedOffset) => number) | null;
  isSubscribedToTopic(topic: string): boolean;
  /** Empty (no members): such a group goes once its offsets have. */
  isEmpty: boolean;
}

/** OffsetExpirationConditionImpl.isOffsetExpired. */
export function isOffsetExpired(
  offset: CommittedOffset,
  baseTimestamp: (offset: CommittedOffset) => number,
  now: number,
  retentionMs: number,
): boolean {
  if (offset.expireTimestamp !== null) return now >= offset.expireTimestamp;
  return now - baseTimestamp(offset) >= retentionMs;
}

export interface ExpiredOffset {
  groupId: string;
  topic: string;
  partition: number;
}

/**
 * Removes a group's expired offsets from the store; true when none is left (all expired, or there
 * were none), which is when an Empty group may be deleted.
 */
export function cleanupExpiredOffsets(
  store: OffsetStore,
  groupId: string,
  group: ExpiringGroup,
  options: {
    now: number;
    retentionMs: number;
    /** An open transaction holds an offset of this partition for the group (TxnOffsetCommit). */
    hasPendingOffset?: (topic: string, partition: number) => boolean;
    expired?: ExpiredOffset[];
  },
): boolean {
  const entries = store.entries(groupId);
  if (entries.length === 0) return true;
  const base = group.baseTimestamp;
  if (base === null) return false;
  let allExpired = true;
  for (const { topic, partition, offset } of entries) {
    if (group.isSubscribedToTopic(topic)) {
      allExpired = false;
      continue;
    }
    if (
      isOffsetExpired(offset, base, options.now, options.retentionMs) &&
      !options.hasPendingOffset?.(topic, partition)
    ) {
      store.deletePartition(groupId, topic, partition);
      options.expired?.push({ groupId, topic, partition });
    } else {
      allExpired = false;
    }
  }
  return allExpired;
}

export interface CleanupRun {
  /** Offsets removed, in group then topic order. */
  expired: ExpiredOffset[];
  /** Empty groups deleted because no offset of theirs was left. */
  deletedGroups: string[];
}

/**
 * The periodic job: every offsets.retention.check.interval.ms on the cluster's clock (a test's
 * ManualClock moves it), the first run one interval after the coordinator started, as Kafka
 * schedules it when a coordinator shard loads.
 */
export class OffsetExpiry {
  private timer: Timer | undefined;
  private stopped = false;
  /** The last run's outcome (tests and the CLI's state view). */
  lastRun: CleanupRun | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly run: () => CleanupRun,
  ) {
    this.schedule();
  }

  /** One cleanup now, outside the schedule. */
  runNow(): CleanupRun {
    this.lastRun = this.run();
    return this.lastRun;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.schedule(Math.max(1, this.intervalMs), () => {
      this.runNow();
      this.schedule();
    });
  }
}
