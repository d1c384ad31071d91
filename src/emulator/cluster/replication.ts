/**
 * Replication as the emulator models it (issue 16). Every replica shares the partition's one log
 * (the leader's); a follower is a position in it — its log end offset — and the time it was last
 * caught up (Kafka's Replica / ReplicaState). A follower whose broker runs fetches in step with the
 * leader: its log end is the log's, it is caught up, and it is not tracked here. A follower is
 * tracked (`behind`) once its broker stops fetching — paused, killed or stopped — with the log end
 * offset it had and the time it was last caught up. When the broker runs again its replicas catch
 * up with one fetch, a step on the cluster's clock (scheduled with delay 0: a ManualClock takes it
 * at the next advance, even advance(0); real time, on the next turn of the event loop): then each
 * is at the leader's log end and, where it had left the ISR, the leader adds it back
 * (Partition.maybeExpandIsr: at or past the high watermark, broker unfenced).
 *
 * From the positions, as Kafka:
 *
 * - the high watermark is the lowest log end offset in the ISR (Partition.maybeIncrementLeaderHW),
 *   so consumers do not see what an in-sync follower has not fetched, and it never goes back;
 * - every replica.lag.time.max.ms / 2 (ReplicaManager's isr-expiration task; here at multiples of it
 *   on the cluster's clock) each running leader drops from the ISR the followers that are behind its
 *   log end and were last caught up more than replica.lag.time.max.ms ago (maybeShrinkIsr →
 *   isFollowerOutOfSync → ReplicaState.isCaughtUp): AlterPartition to the controller, which keeps the
 *   leader and leader epoch and bumps the partition epoch. A silent follower at the leader's log end
 *   is caught up and stays (nothing was written that it lacks);
 * - an acks=all Produce waits (DelayedProduce) until the high watermark passes its records, and
 *   answers REQUEST_TIMED_OUT (7) if timeoutMs passes first on the cluster's clock, or
 *   NOT_ENOUGH_REPLICAS_AFTER_APPEND (20) if the ISR that got there is below min.insync.replicas.
 *
 * Not modelled: a slow follower (one that fetches, but late), and truncation — a new leader whose
 * position is below the log end (unclean, or an in-sync follower that had not fetched everything)
 * keeps the shared log's records past it (SKIPPED.md).
 */
import type { Timer } from '../clock.js';
import type { Cluster, StateDomain } from '../cluster.js';
import type { HandlerContext } from '../handler.js';
import { topicConfigValue } from '../state/configs.js';
import type { PartitionLog } from '../state/partition-log.js';
import type { Topic } from '../state/topics.js';
import { controllerOf, NO_LEADER, type PartitionRegistration } from './controller.js';

export const REQUEST_TIMED_OUT = 7;
export const NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20;

interface Waiter {
  log: PartitionLog;
  topic: Topic;
  index: number;
  offset: number;
  done: (errorCode: number) => void;
}

/** A follower that is not fetching in step with its leader (Kafka's ReplicaState, the parts used). */
interface FollowerState {
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
  /** The leader epoch its lastCaughtUpTimeMs was counted under. */
  leaderEpoch: number;
}

/** What the leader removed from or added to an ISR (for tests and the lifecycle's event lines). */
export interface IsrChange {
  topic: string;
  partition: number;
  shrunk: number[];
  expanded: number[];
  isr: number[];
}

export class Replication implements StateDomain {
  /** Brokers whose process does not fetch: paused, killed or stopped. */
  private readonly silent = new Set<number>();
  /** Per log, the followers not in step with the leader. */
  private readonly behind = new Map<PartitionLog, Map<number, FollowerState>>();
  /** The high watermark reached so far where followers are behind (it never goes back). */
  private readonly reached = new WeakMap<PartitionLog, number>();
  private readonly waiters = new Set<Waiter>();
  private expiration: Timer | undefined;
  private fetchStep: Timer | undefined;
  private fetching = false;
  private readonly listeners = new Set<(change: IsrChange) => void>();

  constructor(private readonly cluster: Cluster) {}

  /** Calls `listener` for each ISR shrink or expansion the leaders make; returns an unsubscribe. */
  onIsrChange(listener: (change: IsrChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * `nodeId` stops fetching (paused, killed, stopped): each of its replicas keeps the log end offset
   * it has (the log's, if it was in step) and the time it was last caught up (now, if in step).
   */
  freeze(nodeId: number): void {
    this.silent.add(nodeId);
    const now = this.cluster.clock.now();
    for (const { log, reg } of this.partitions()) {
      if (!reg.replicas.includes(nodeId)) continue;
      const followers = this.followersOf(log);
      // A leader's own log end is the log's; a follower already behind keeps its position.
      if (reg.leader === nodeId || !followers.has(nodeId))
        followers.set(nodeId, {
          logEndOffset: log.logEndOffset,
          lastCaughtUpTimeMs: now,
          leaderEpoch: reg.leaderEpoch,
        });
    }
    this.changed();
  }

  /** `nodeId` fetches again (resumed or started): its replicas catch up at the next fetch step. */
  thaw(nodeId: number): void {
    this.silent.delete(nodeId);
    this.changed();
  }

  /** A replica's log end offset: the log's for the leader and for a follower fetching in step. */
  logEndOffsetOf(log: PartitionLog, nodeId: number): number {
    const reg = this.registration(log);
    if (reg?.leader === nodeId) return log.logEndOffset;
    return this.behind.get(log)?.get(nodeId)?.logEndOffset ?? log.logEndOffset;
  }

  /**
   * The ISR, leaders or silent brokers changed: high watermarks may move (waiters and parked fetches
   * look again), a fetch step is due if a running follower is behind or out of the ISR, and the
   * isr-expiration check runs while an in-sync follower is behind.
   */
  changed(): void {
    this.newLeaders();
    for (const log of this.behind.keys()) log.announce();
    for (const w of [...this.waiters]) this.check(w);
    this.schedule();
  }

  /**
   * Lowest log end offset over the ISR: the leader's (the log's) and each tracked in-sync follower's
   * — and no move at all while the ISR is below min.insync.replicas (KIP-966: Kafka 4.1.1's
   * maybeIncrementLeaderHW returns at once when isUnderMinIsr, so acks=1 records are not readable
   * and acks=all ones time out until the ISR is back).
   */
  private highWatermark(log: PartitionLog): number {
    const followers = this.behind.get(log);
    const reg = this.registration(log);
    const before = this.reached.get(log) ?? 0;
    if (reg && this.underMinIsr(log, reg)) return before;
    let hw = log.logEndOffset;
    if (followers && reg)
      for (const [id, f] of followers)
        if (id !== reg.leader && reg.isr.includes(id) && f.logEndOffset < hw) hw = f.logEndOffset;
    const now = Math.max(before, Math.min(hw, log.logEndOffset));
    this.reached.set(log, now);
    return now;
  }

  /** Partition.isUnderMinIsr: fewer in sync than min(min.insync.replicas, replication factor). */
  private underMinIsr(log: PartitionLog, reg: PartitionRegistration): boolean {
    const topic = this.cluster.topics.get(log.topic);
    const minIsr = topic ? Number(topicConfigValue(topic, 'min.insync.replicas', this.cluster)) : 1;
    return reg.isr.length < Math.min(Number.isFinite(minIsr) ? minIsr : 1, reg.replicas.length);
  }

  private followersOf(log: PartitionLog): Map<number, FollowerState> {
    let followers = this.behind.get(log);
    if (!followers) {
      followers = new Map();
      this.behind.set(log, followers);
      this.reached.set(log, log.logEndOffset);
      log.highWatermarkOf = (l) => this.highWatermark(l);
    }
    return followers;
  }

  private registration(log: PartitionLog): PartitionRegistration | undefined {
    const topic = this.cluster.topics.get(log.topic);
    return topic?.partitions[log.partition] === log
      ? controllerOf(this.cluster).partition(topic, log.partition)
      : undefined;
  }

  private *partitions(): Generator<{
    topic: Topic;
    index: number;
    log: PartitionLog;
    reg: PartitionRegistration;
  }> {
    const controller = controllerOf(this.cluster);
    for (const topic of this.cluster.topics.list())
      for (let index = 0; index < topic.partitions.length; index++) {
        const log = topic.partitions[index] as PartitionLog;
        const reg = controller.partition(topic, index);
        if (reg) yield { topic, index, log, reg };
      }
  }

  /** A leader that runs and is registered: it serves its followers' fetches and checks their lag. */
  private leading(reg: PartitionRegistration): boolean {
    return (
      reg.leader !== NO_LEADER &&
      !this.silent.has(reg.leader) &&
      controllerOf(this.cluster).broker(reg.leader)?.up === true
    );
  }

  /** Whether a running follower can fetch something, or join an ISR: a fetch step is due. */
  private fetchDue(): boolean {
    const controller = controllerOf(this.cluster);
    for (const { log, reg } of this.partitions()) {
      if (!this.leading(reg)) continue;
      for (const id of reg.replicas) {
        if (id === reg.leader || this.silent.has(id)) continue;
        if (this.behind.get(log)?.has(id)) return true;
        if (!reg.isr.includes(id) && controller.broker(id)?.up) return true;
      }
    }
    return false;
  }

  /** Whether an in-sync follower of a running leader is tracked (it may fall behind the log end). */
  private expirationDue(): boolean {
    for (const [log, followers] of this.behind) {
      const reg = this.registration(log);
      if (!reg || !this.leading(reg)) continue;
      for (const id of followers.keys()) if (id !== reg.leader && reg.isr.includes(id)) return true;
    }
    return false;
  }

  private schedule(): void {
    const clock = this.cluster.clock;
    if (!this.fetchStep && !this.fetching && this.fetchDue())
      this.fetchStep = clock.schedule(0, () => {
        this.fetchStep = undefined;
        this.fetchFromLeaders();
      });
    if (!this.expiration && this.expirationDue()) {
      const period = Math.max(1, Math.floor(this.cluster.config.replicaLagTimeMaxMs / 2));
      const now = clock.now();
      const next = (Math.floor(now / period) + 1) * period;
      this.expiration = clock.schedule(next - now, () => {
        this.expiration = undefined;
        this.maybeShrinkIsr();
      });
    }
  }

  /**
   * One fetch by every running follower of a running leader: it reaches the leader's log end (and
   * is caught up now); a follower out of the ISR then joins it (maybeExpandIsr: its log end is at or
   * past the high watermark and the leader epoch's start offset, its broker unfenced and not shutting
   * down — a stopped broker is silent here, so never).
   */
  private fetchFromLeaders(): void {
    // One step catches every running follower up; what it leaves (nothing, unless a registration
    // refuses a follower) waits for the next event rather than a step after this one, forever.
    this.fetching = true;
    try {
      this.fetchStepOnce();
    } finally {
      this.fetching = false;
    }
  }

  private fetchStepOnce(): void {
    const controller = controllerOf(this.cluster);
    for (const { topic, index, log, reg } of this.partitions()) {
      if (!this.leading(reg)) continue;
      const followers = this.behind.get(log);
      const joining: number[] = [];
      for (const id of reg.replicas) {
        if (id === reg.leader || this.silent.has(id)) continue;
        followers?.delete(id);
        if (!reg.isr.includes(id) && controller.broker(id)?.up) joining.push(id);
      }
      followers?.delete(reg.leader);
      if (joining.length > 0) {
        controller.alterPartition(topic, index, [...reg.isr, ...joining]);
        this.report({
          topic: topic.name,
          partition: index,
          shrunk: [],
          expanded: joining,
          isr: [...reg.isr],
        });
      }
      // Tracked no longer once every follower is in step and the ISR at min.insync.replicas.
      if (followers && followers.size === 0 && !this.underMinIsr(log, reg)) this.untrack(log);
      if (followers || joining.length > 0) log.announce();
    }
    this.changed();
  }

  /**
   * The isr-expiration task: every running leader drops the in-sync followers that are behind its
   * log end and were last caught up more than replica.lag.time.max.ms ago; an AlterPartition each.
   */
  private maybeShrinkIsr(): void {
    this.newLeaders();
    const now = this.cluster.clock.now();
    const maxLagMs = this.cluster.config.replicaLagTimeMaxMs;
    const controller = controllerOf(this.cluster);
    for (const [log, followers] of [...this.behind]) {
      const reg = this.registration(log);
      if (!reg || !this.leading(reg)) continue;
      const outOfSync = reg.isr.filter((id) => {
        const f = id === reg.leader ? undefined : followers.get(id);
        // ReplicaState.isCaughtUp: at the leader's log end, or caught up within the last maxLagMs.
        return (
          f !== undefined && f.logEndOffset !== log.logEndOffset && now - f.lastCaughtUpTimeMs > maxLagMs
        );
      });
      if (outOfSync.length === 0) continue;
      const topic = this.cluster.topics.get(log.topic) as Topic;
      controller.alterPartition(
        topic,
        log.partition,
        reg.isr.filter((id) => !outOfSync.includes(id)),
      );
      this.report({
        topic: log.topic,
        partition: log.partition,
        shrunk: outOfSync,
        expanded: [],
        isr: [...reg.isr],
      });
    }
    this.changed();
  }

  /**
   * A new leader starts counting its in-sync followers as caught up now (Partition.makeLeader →
   * Replica.resetReplicaState: lastCaughtUpTimeMs = now for an ISR member), so a leader change gives
   * a silent follower a new replica.lag.time.max.ms. Elections made without telling replication
   * (ElectLeaders) are noticed at the next change or lag check.
   */
  private newLeaders(): void {
    const now = this.cluster.clock.now();
    for (const [log, followers] of this.behind) {
      const reg = this.registration(log);
      if (!reg) continue;
      for (const [id, f] of followers) {
        if (f.leaderEpoch === reg.leaderEpoch) continue;
        f.leaderEpoch = reg.leaderEpoch;
        if (reg.isr.includes(id)) f.lastCaughtUpTimeMs = now;
      }
    }
  }

  private untrack(log: PartitionLog): void {
    this.behind.delete(log);
    log.highWatermarkOf = undefined;
  }

  private report(change: IsrChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  /**
   * Resolves with 0 when the high watermark of partition `index` reaches `offset`, with
   * NOT_ENOUGH_REPLICAS_AFTER_APPEND when it does with too few in sync, REQUEST_TIMED_OUT after
   * `timeoutMs` (cluster clock), or -1 when the request's connection closes.
   */
  waitForHighWatermark(ctx: HandlerContext, topic: Topic, index: number, offset: number, timeoutMs: number) {
    const log = topic.partitions[index] as PartitionLog;
    return new Promise<number>((resolve) => {
      let timer: Timer | undefined;
      const onAbort = () => waiter.done(-1);
      const waiter: Waiter = {
        log,
        topic,
        index,
        offset,
        done: (code) => {
          if (!this.waiters.delete(waiter)) return;
          timer?.cancel();
          ctx.signal.removeEventListener('abort', onAbort);
          resolve(code);
        },
      };
      this.waiters.add(waiter);
      timer = this.cluster.clock.schedule(Math.max(0, timeoutMs), () => waiter.done(REQUEST_TIMED_OUT));
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      this.check(waiter);
    });
  }

  private check(w: Waiter): void {
    if (w.log.highWatermark < w.offset) return;
    const reg = controllerOf(this.cluster).partition(w.topic, w.index);
    const minIsr = Number(topicConfigValue(w.topic, 'min.insync.replicas', this.cluster));
    const short =
      reg !== undefined &&
      reg.isr.length < Math.min(Number.isFinite(minIsr) ? minIsr : 1, reg.replicas.length);
    w.done(short ? NOT_ENOUGH_REPLICAS_AFTER_APPEND : 0);
  }

  /** Parked acks=all answers settle (as REQUEST_TIMED_OUT is not owed to a stopping cluster: -1); timers go. */
  stop(): void {
    for (const w of [...this.waiters]) w.done(-1);
    this.expiration?.cancel();
    this.fetchStep?.cancel();
    this.expiration = undefined;
    this.fetchStep = undefined;
  }
}

export function replicationOf(cluster: Cluster): Replication {
  return cluster.domain('replication', (c) => new Replication(c));
}

type ProducePartitionAnswer = {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
};

/**
 * An acks=all Produce's wait (ReplicaManager's DelayedProduce): for each partition appended to, the
 * high watermark must reach what this request appended; a partition whose wait ends in an error
 * gets it in its answer, with the base offset it was appended at. Undefined when nothing has to wait (the usual case: every
 * follower is caught up at once), so the answer stays synchronous.
 */
export function awaitReplication(
  ctx: HandlerContext,
  request: readonly { name: string; partitionData: readonly { index: number }[] }[],
  responses: readonly { partitionResponses: readonly object[] }[],
  timeoutMs: number,
): Promise<void> | undefined {
  const replication = replicationOf(ctx.cluster);
  const waits: Promise<void>[] = [];
  responses.forEach((t, i) => {
    const name = request[i]?.name;
    const topic = name === undefined ? undefined : ctx.cluster.topics.get(name);
    if (!topic) return;
    for (const p of t.partitionResponses as ProducePartitionAnswer[]) {
      const log = topic.partitions[p.index];
      if (p.errorCode !== 0 || !log || log.highWatermark >= log.logEndOffset) continue;
      waits.push(
        // DelayedProduce sets only the error: the answer keeps the offset the records were appended at
        // (Kafka 4.1.1 answers REQUEST_TIMED_OUT with baseOffset 1 in isr-real-kafka.test.ts).
        replication.waitForHighWatermark(ctx, topic, p.index, log.logEndOffset, timeoutMs).then((code) => {
          if (code > 0) p.errorCode = code;
        }),
      );
    }
  });
  return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
}
