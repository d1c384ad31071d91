/**
 * Replication as far as the emulator models it (issue 16). Every replica shares the partition's one
 * log, so a follower whose broker runs is caught up at once — its fetch loop is instant. A follower
 * whose broker is paused or killed stops fetching: its log end offset stays where it was (frozen)
 * until the controller fences the broker (broker.session.timeout.ms) and drops it from the ISR, or
 * it resumes / starts and catches up. Meanwhile, as in Kafka:
 *
 * - the high watermark is the lowest log end offset in the ISR (Partition.maybeIncrementLeaderHW),
 *   so consumers do not see what the frozen follower has not fetched, and it never goes back;
 * - an acks=all Produce waits (DelayedProduce) until the high watermark passes its records, and
 *   answers REQUEST_TIMED_OUT (7) if timeoutMs passes first on the cluster's clock, or
 *   NOT_ENOUGH_REPLICAS_AFTER_APPEND (20) if the ISR that got there is below min.insync.replicas.
 *
 * Not modelled: a slow follower (one that fetches late but fetches), hence no ISR shrink after
 * replica.lag.time.max.ms — fencing takes a silent broker out of the ISR first (9 s < 30 s).
 */
import type { Timer } from '../clock.js';
import type { Cluster, StateDomain } from '../cluster.js';
import type { HandlerContext } from '../handler.js';
import { topicConfigValue } from '../state/configs.js';
import type { PartitionLog } from '../state/partition-log.js';
import type { Topic } from '../state/topics.js';
import { controllerOf } from './controller.js';

export const REQUEST_TIMED_OUT = 7;
export const NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20;

interface Waiter {
  log: PartitionLog;
  topic: Topic;
  index: number;
  offset: number;
  done: (errorCode: number) => void;
}

export class Replication implements StateDomain {
  /** Per log, the followers that stopped fetching and the log end offset they stopped at. */
  private readonly frozen = new Map<PartitionLog, Map<number, number>>();
  /** The high watermark reached so far where followers are frozen (it never goes back). */
  private readonly reached = new WeakMap<PartitionLog, number>();
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly cluster: Cluster) {}

  /** `nodeId` stops fetching (paused or killed): its replicas keep the log end offset they had. */
  freeze(nodeId: number): void {
    const controller = controllerOf(this.cluster);
    for (const topic of this.cluster.topics.list())
      topic.partitions.forEach((log, index) => {
        const reg = controller.partition(topic, index);
        if (!reg || reg.leader === nodeId || !reg.isr.includes(nodeId)) return;
        let followers = this.frozen.get(log);
        if (!followers) {
          followers = new Map();
          this.frozen.set(log, followers);
          this.reached.set(log, log.logEndOffset);
          log.highWatermarkOf = (l) => this.highWatermark(l);
        }
        followers.set(nodeId, log.logEndOffset);
      });
  }

  /** `nodeId` fetches again (resumed or started): caught up at once. */
  thaw(nodeId: number): void {
    for (const [log, followers] of this.frozen) {
      followers.delete(nodeId);
      if (followers.size === 0) {
        this.frozen.delete(log);
        log.highWatermarkOf = undefined;
      }
    }
    this.changed();
  }

  /** The ISR or the frozen followers changed: high watermarks may move; waiters and fetches re-check. */
  changed(): void {
    for (const log of this.frozen.keys()) log.announce();
    for (const w of [...this.waiters]) this.check(w);
  }

  /** Lowest log end offset over the ISR: the leader's (the log's) and each frozen in-sync follower's. */
  private highWatermark(log: PartitionLog): number {
    const followers = this.frozen.get(log);
    let hw = log.logEndOffset;
    if (followers) {
      const topic = this.cluster.topics.get(log.topic);
      const reg = topic ? controllerOf(this.cluster).partition(topic, log.partition) : undefined;
      for (const [id, leo] of followers) if (reg?.isr.includes(id) && leo < hw) hw = leo;
    }
    const before = this.reached.get(log) ?? 0;
    const now = Math.max(before, Math.min(hw, log.logEndOffset));
    this.reached.set(log, now);
    return now;
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

  /** Parked acks=all answers settle (as REQUEST_TIMED_OUT is not owed to a stopping cluster: -1). */
  stop(): void {
    for (const w of [...this.waiters]) w.done(-1);
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
 * gets it in its answer (baseOffset -1). Undefined when nothing has to wait (the usual case: every
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
        replication.waitForHighWatermark(ctx, topic, p.index, log.logEndOffset, timeoutMs).then((code) => {
          if (code <= 0) return;
          p.errorCode = code;
          p.baseOffset = -1n;
          p.logAppendTimeMs = -1n;
        }),
      );
    }
  });
  return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
}
