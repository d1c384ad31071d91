/**
 * The experiment's second question: what does one more member cost the members that are already
 * reading? Two consumers read a topic that a producer keeps writing to (one record per partition
 * every few milliseconds); a third one joins; the clock runs from the join until every partition
 * that changed hands is being read again by its new owner.
 *
 * Everything is measured from what the consumers themselves report: their rebalance listener
 * (assigned / revoked / lost, with a timestamp), the records their handler receives, and the group
 * requests their connections exchange (observed on the client side, so the same code measures the
 * emulator and a real broker).
 *
 * - classic (JoinGroup/SyncGroup, eager range assignor, Kafka's client defaults): every member hears
 *   of the rebalance at its next heartbeat, gives up *all* its partitions and rejoins; until SyncGroup
 *   hands out the new assignment nobody reads — the stop-the-world rebalance.
 * - consumer (KIP-848): the broker computes the new target; a member gives up only what moves (its
 *   next heartbeat says so), keeps reading the rest, and the new owner gets a partition only once the
 *   old one released it (UNRELEASED_PARTITIONS until then). Only the moved partitions pause.
 */
import { observeExchanges } from '../client/connection.js';
import { Consumer } from '../client/consumer/consumer.js';
import { KafkaClientError } from '../client/errors.js';
import { Producer } from '../client/producer/producer.js';

export type GroupProtocol = 'classic' | 'consumer';

/**
 * What one member saw, `at` milliseconds after the newcomer was started (negative: before it).
 * `member` is the consumer's index: 0 and 1 were reading, 2 is the one that joins.
 */
export type RebalanceEvent =
  | { at: number; kind: 'assigned' | 'revoked' | 'lost'; member: number; partitions: number[] }
  | { at: number; kind: 'records'; member: number; partition: number; count: number }
  | { at: number; kind: 'request'; api: string };

export interface RebalanceFigures {
  /** From the join until every partition that paused is read again (or until settled, if none paused). */
  rebalanceMs: number;
  /** Longest time within the rebalance during which no member owned any partition: nobody fetched. */
  allStoppedMs: number;
  /** How many of the members reading before the join owned no partition at some moment of it. */
  membersStopped: number;
  membersBefore: number;
  /** Partitions that were without an owner at some moment of the rebalance (revoked or lost). */
  partitionsPaused: number;
  partitions: number;
  /** The longest time one partition was without an owner. */
  longestPartitionPauseMs: number;
  /** Group membership requests answered during the rebalance, by API name. */
  requests: Record<string, number>;
}

export interface RebalanceRun {
  protocol: GroupProtocol;
  figures: RebalanceFigures;
  /** Every event, times relative to the join (for the chart and for checking the figures). */
  events: RebalanceEvent[];
  /** performance.now() of the join in this process: to line the events up with other observations. */
  joinedAt: number;
}

/** The requests that run a group's membership (offset commits and fetches are counted apart by Kafka too). */
export const MEMBERSHIP_APIS = [
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'LeaveGroup',
  'ConsumerGroupHeartbeat',
];

/** Who owns which partition, replayed from listener events. */
export class Ownership {
  private readonly owners = new Map<number, number>();
  private readonly held = new Map<number, Set<number>>();

  apply(e: RebalanceEvent): void {
    if (e.kind === 'assigned') {
      const mine = this.heldBy(e.member);
      for (const p of e.partitions) {
        this.owners.set(p, e.member);
        mine.add(p);
      }
    } else if (e.kind === 'revoked' || e.kind === 'lost') {
      const mine = this.heldBy(e.member);
      for (const p of e.partitions) {
        if (this.owners.get(p) === e.member) this.owners.delete(p);
        mine.delete(p);
      }
    }
  }

  ownerOf(partition: number): number | undefined {
    return this.owners.get(partition);
  }

  count(member: number): number {
    return this.held.get(member)?.size ?? 0;
  }

  get ownedPartitions(): number {
    return this.owners.size;
  }

  private heldBy(member: number): Set<number> {
    let s = this.held.get(member);
    if (!s) {
      s = new Set();
      this.held.set(member, s);
    }
    return s;
  }
}

/**
 * The figures of one rebalance from its events: ownership is replayed up to the join (time 0), then
 * every interval without an owner — per partition, and for the whole group — is measured up to `endMs`.
 */
export function rebalanceFigures(
  events: readonly RebalanceEvent[],
  o: { partitions: number; endMs: number },
): RebalanceFigures {
  // A stable sort: events of one instant keep the order the consumers reported them in.
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const book = new Ownership();
  let i = 0;
  for (; i < sorted.length && sorted[i].at < 0; i++) book.apply(sorted[i]);
  const before = new Set<number>();
  for (let m = 0; m < 64; m++) if (book.count(m) > 0) before.add(m);
  const unownedSince = new Map<number, number>();
  for (let p = 0; p < o.partitions; p++) if (book.ownerOf(p) === undefined) unownedSince.set(p, 0);
  let allStoppedSince: number | undefined = book.ownedPartitions === 0 ? 0 : undefined;
  let allStoppedMs = 0;
  let longestPartitionPauseMs = 0;
  const paused = new Set<number>();
  const stopped = new Set<number>();
  const requests: Record<string, number> = {};
  for (; i < sorted.length && sorted[i].at <= o.endMs; i++) {
    const e = sorted[i];
    if (e.kind === 'request') {
      requests[e.api] = (requests[e.api] ?? 0) + 1;
      continue;
    }
    if (e.kind === 'records') continue;
    book.apply(e);
    if (e.kind === 'assigned') {
      for (const p of e.partitions) {
        const since = unownedSince.get(p);
        if (since !== undefined) longestPartitionPauseMs = Math.max(longestPartitionPauseMs, e.at - since);
        unownedSince.delete(p);
      }
      if (allStoppedSince !== undefined && book.ownedPartitions > 0) {
        allStoppedMs = Math.max(allStoppedMs, e.at - allStoppedSince);
        allStoppedSince = undefined;
      }
    } else {
      for (const p of e.partitions) {
        if (book.ownerOf(p) !== undefined) continue;
        paused.add(p);
        if (!unownedSince.has(p)) unownedSince.set(p, e.at);
      }
      if (before.has(e.member) && book.count(e.member) === 0) stopped.add(e.member);
      if (allStoppedSince === undefined && book.ownedPartitions === 0) allStoppedSince = e.at;
    }
  }
  for (const since of unownedSince.values())
    longestPartitionPauseMs = Math.max(longestPartitionPauseMs, o.endMs - since);
  if (allStoppedSince !== undefined) allStoppedMs = Math.max(allStoppedMs, o.endMs - allStoppedSince);
  return {
    rebalanceMs: o.endMs,
    allStoppedMs,
    membersStopped: stopped.size,
    membersBefore: before.size,
    partitionsPaused: paused.size,
    partitions: o.partitions,
    longestPartitionPauseMs,
    requests,
  };
}

export interface RebalanceScenarioOptions {
  bootstrap: string;
  /** An existing topic; the scenario only appends small records to it. */
  topic: string;
  partitions: number;
  protocol: GroupProtocol;
  /** A new group: nothing committed, nobody in it. */
  groupId: string;
  /** Members reading before one more joins (default 2). */
  membersBefore?: number;
  /** The producer writes one record to every partition this often (default 20 ms). */
  produceEveryMs?: number;
  /** Bound on the whole scenario (default 120 s). */
  timeoutMs?: number;
}

/** Runs the scenario once: members read, one more joins, until all partitions are read again. */
export async function runRebalanceScenario(o: RebalanceScenarioOptions): Promise<RebalanceRun> {
  const membersBefore = o.membersBefore ?? 2;
  const timeoutMs = o.timeoutMs ?? 120_000;
  const raw: RebalanceEvent[] = [];
  const book = new Ownership();
  const assignedOnce = new Set<number>();
  let check: () => void = () => undefined;
  const record = (e: RebalanceEvent) => {
    raw.push(e);
    book.apply(e);
    if (e.kind === 'assigned') assignedOnce.add(e.member);
    check();
  };
  const stopObserving = observeExchanges((x) => {
    if (!MEMBERSHIP_APIS.includes(x.api.name)) return;
    if ((x.request as { groupId?: unknown }).groupId !== o.groupId) return;
    record({ at: performance.now(), kind: 'request', api: x.api.name });
  });
  const producer = new Producer({ bootstrap: o.bootstrap, clientId: 'kafkalab-experiment', acks: 1 });
  let producing = true;
  let failure: Error | undefined;
  const fail = (err: unknown) => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    check();
  };
  const members: Consumer[] = [];
  const running: Promise<void>[] = [];
  const start = (index: number) => {
    const at = () => performance.now();
    const consumer = new Consumer({
      bootstrap: o.bootstrap,
      groupId: o.groupId,
      clientId: `kafkalab-experiment-${index + 1}`,
      groupProtocol: o.protocol,
      // Read what the producer writes from now on, not the topic's backlog.
      autoOffsetReset: 'latest',
      retry: { retries: 5 },
      listener: {
        onPartitionsAssigned: (ps) =>
          record({ at: at(), kind: 'assigned', member: index, partitions: ps.map((p) => p.partition) }),
        onPartitionsRevoked: (ps) =>
          record({ at: at(), kind: 'revoked', member: index, partitions: ps.map((p) => p.partition) }),
        onPartitionsLost: (ps) =>
          record({ at: at(), kind: 'lost', member: index, partitions: ps.map((p) => p.partition) }),
      },
    });
    members.push(consumer);
    consumer.subscribe(o.topic);
    running.push(
      consumer
        .run({
          eachBatch: (b) =>
            record({
              at: at(),
              kind: 'records',
              member: index,
              partition: b.partition,
              count: b.records.length,
            }),
        })
        .catch(fail),
    );
  };
  // Settled: n members, each assigned at least once, every partition owned, shares within one.
  const settled = (n: number) => {
    if (members.length !== n || assignedOnce.size !== n || book.ownedPartitions !== o.partitions)
      return false;
    const counts = members.map((_, m) => book.count(m));
    return Math.max(...counts) - Math.min(...counts) <= 1;
  };
  const readSince = (since: number, partitions: Iterable<number>) => {
    for (const p of partitions) {
      const owner = book.ownerOf(p);
      if (!raw.some((e) => e.kind === 'records' && e.at >= since && e.partition === p && e.member === owner))
        return false;
    }
    return true;
  };
  const deadline = performance.now() + timeoutMs;
  const waitFor = (what: string, done: () => boolean) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          check = () => undefined;
          reject(
            new KafkaClientError(`${o.protocol}: ${what} within ${timeoutMs} ms; giving up`, {
              retriable: false,
            }),
          );
        },
        Math.max(0, deadline - performance.now()),
      );
      check = () => {
        if (failure) {
          clearTimeout(timer);
          check = () => undefined;
          reject(failure);
        } else if (done()) {
          clearTimeout(timer);
          check = () => undefined;
          resolve(performance.now());
        }
      };
      check();
    });
  const all = Array.from({ length: o.partitions }, (_, p) => p);
  try {
    await producer.connect();
    const value = Buffer.alloc(10, 'x');
    const writer = (async () => {
      while (producing) {
        await producer.send({ topic: o.topic, messages: all.map((partition) => ({ value, partition })) });
        await new Promise((resolve) => setTimeout(resolve, o.produceEveryMs ?? 20));
      }
    })().catch(fail);
    for (let m = 0; m < membersBefore; m++) start(m);
    const formed = await waitFor(`${membersBefore} members did not settle`, () => settled(membersBefore));
    await waitFor('the members did not read their partitions', () => readSince(formed, all));
    const joinAt = performance.now();
    start(membersBefore);
    const settledAt = await waitFor(`the group of ${membersBefore + 1} did not settle`, () =>
      settled(membersBefore + 1),
    );
    const movedSince = (e: RebalanceEvent) =>
      e.at >= joinAt && (e.kind === 'revoked' || e.kind === 'lost') ? e.partitions : [];
    const moved = new Set(raw.flatMap(movedSince));
    const endAt =
      moved.size === 0
        ? settledAt
        : await waitFor('the moved partitions were not read again', () => readSince(settledAt, moved));
    const events = raw.map((e) => ({ ...e, at: e.at - joinAt }));
    producing = false;
    await writer;
    return {
      protocol: o.protocol,
      figures: rebalanceFigures(events, { partitions: o.partitions, endMs: endAt - joinAt }),
      events,
      joinedAt: joinAt,
    };
  } finally {
    producing = false;
    check = () => undefined;
    await Promise.all(members.map((c) => c.close().catch(() => undefined)));
    await Promise.all(running);
    stopObserving();
    await producer.close().catch(() => undefined);
  }
}
