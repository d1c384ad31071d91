/**
 * The consumer: subscribe (a classic consumer group) or assign (no group, for tools), then read with
 * `for await (const record of consumer)` or `consumer.run({ eachBatch | eachMessage })`.
 *
 * Positions: each partition has a *fetch position* (the next offset to ask the broker for; fetched
 * records wait in a buffer) and a *consumed position* (the offset after the last record the
 * application finished). Commits, automatic or manual, use the consumed position, so a record is
 * committed only after the handler returned (at-least-once), and a rebalance commits the consumed
 * positions of revoked partitions before they move (commit on revoke).
 *
 * Group work (rebalances, offset look-ups, auto-commit, noticing new partitions) happens between
 * batches, never while the application holds records — Kafka's poll() model; heartbeats run on a
 * timer meanwhile.
 *
 * Transient trouble never reaches the application (Kafka's poll() does not throw retriable errors
 * either): a broker restart, a dropped connection, a coordinator that moved or a topic not there yet
 * make one round of the loop fail, and the next round, after an exponential backoff, reconnects,
 * refreshes metadata, finds the coordinator again, rejoins (a broker that forgot the member answers
 * UNKNOWN_MEMBER_ID: join with an empty id) and takes positions from the committed offsets or
 * auto.offset.reset (an old position past the end of a new log is OFFSET_OUT_OF_RANGE: reset). Only a
 * fatal error (non-retriable), or a handler's own, ends run().
 */

import { DecodeError } from '../../protocol/errors.js';
import type { Assignor } from '../assignors/index.js';
import { rangeAssignor } from '../assignors/index.js';
import { backoffMs, Cluster, type RetryOptions } from '../cluster.js';
import { KafkaClientError, KafkaProtocolError, UnreachableAdvertisedAddressError } from '../errors.js';
import type { ClientSecurity } from '../security.js';
import { ConsumerGroupMember, type ConsumerGroupSubscription } from './consumer-group-member.js';
import { Coordinator } from './coordinator.js';
import { CommitFailedError, CorruptRecordError, NoOffsetForPartitionError } from './errors.js';
import { type FetchedPartition, type FetchSettings, fetchOnce, PartitionRecords } from './fetcher.js';
import { GroupMember } from './group-member.js';
import {
  commitOffsets,
  EARLIEST_TIMESTAMP,
  fetchCommittedOffsets,
  LATEST_TIMESTAMP,
  listOffsets,
} from './offsets.js';
import {
  type ConsumerRecord,
  flatten,
  groupByTopic,
  type OffsetResetStrategy,
  type RebalanceListener,
  type RecordBatchOfPartition,
  type TopicPartition,
  type TopicPartitionOffset,
  tpKey,
} from './types.js';

export interface ConsumerOptions {
  /** `host:port` list; or pass `cluster` to share one with a producer or admin. */
  bootstrap?: string | string[];
  cluster?: Cluster;
  clientId?: string;
  /** security.protocol, TLS and SASL (see ClientSecurity). */
  security?: ClientSecurity;
  /** group.id: needed for subscribe() and for committing offsets. */
  groupId?: string;
  /** group.instance.id: static membership (KIP-345; also in the consumer protocol). */
  groupInstanceId?: string | null;
  /**
   * group.protocol: 'classic' (JoinGroup/SyncGroup, a leader member assigns; the default, as Kafka's
   * client) or 'consumer' (KIP-848: ConsumerGroupHeartbeat, the broker assigns, members reconcile
   * partition by partition). With 'consumer', `assignors`, `sessionTimeoutMs` and
   * `heartbeatIntervalMs` do not apply: the broker's group.consumer.* settings do.
   */
  groupProtocol?: 'classic' | 'consumer';
  /** group.remote.assignor (consumer protocol): 'uniform' or 'range'; default the broker's first. */
  groupRemoteAssignor?: string | null;
  /** partition.assignment.strategy, in preference order. Default [range] (Kafka's default's first). */
  assignors?: Assignor[];
  /** session.timeout.ms, default 45000 (Kafka 3.0+). */
  sessionTimeoutMs?: number;
  /** max.poll.interval.ms (sent as JoinGroup's rebalance timeout), default 300000. */
  rebalanceTimeoutMs?: number;
  /** heartbeat.interval.ms, default 3000. */
  heartbeatIntervalMs?: number;
  /** auto.offset.reset, default latest. */
  autoOffsetReset?: OffsetResetStrategy;
  /** enable.auto.commit, default true. */
  autoCommit?: boolean;
  /** auto.commit.interval.ms, default 5000. */
  autoCommitIntervalMs?: number;
  /** fetch.max.wait.ms 500, fetch.min.bytes 1, fetch.max.bytes 50 MiB, max.partition.fetch.bytes 1 MiB. */
  fetchMaxWaitMs?: number;
  fetchMinBytes?: number;
  fetchMaxBytes?: number;
  maxPartitionFetchBytes?: number;
  /** check.crcs, default true. */
  checkCrcs?: boolean;
  /**
   * isolation.level: 'read_uncommitted' (Kafka's default) hands out every record; 'read_committed'
   * reads up to the last stable offset and skips aborted transactions' records (KIP-98).
   */
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  /**
   * max.poll.records, default 500 (Kafka's): at most this many records per poll(), and per eachBatch
   * call. Small hand-outs also keep few decoded records alive at a time.
   */
  maxPollRecords?: number;
  /** metadata.max.age.ms: how often to look for new partitions of subscribed topics. Default 300000. */
  metadataMaxAgeMs?: number;
  listener?: RebalanceListener;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface RunOptions {
  /**
   * Called with consecutive records of one partition (at most maxPollRecords of them); their offsets
   * count as consumed when it resolves.
   */
  eachBatch?(batch: RecordBatchOfPartition): void | Promise<void>;
  /** Called for each record in order; its offset counts as consumed when it resolves. */
  eachMessage?(record: ConsumerRecord): void | Promise<void>;
}

interface PartitionState {
  topic: string;
  partition: number;
  /** Next offset to fetch; null until looked up (committed offset, or auto.offset.reset). */
  position: bigint | null;
  /** Offset after the last record the application finished; what commits write. */
  consumed: bigint | null;
  lastCommitted: bigint | null;
  paused: boolean;
  /** Skip the committed offset: the last one was out of range, reset by policy. */
  resetOnly: boolean;
  highWatermark: bigint;
  /** Renewed by seek and revoke (Consumer.nextEpoch): buffered records from before are stale. */
  epoch: number;
}

/** One partition's part of a fetch response; its records are decoded as they are taken. */
interface Buffered {
  records: PartitionRecords;
  /** The partition's epoch when fetched: a seek, pause or revoke since makes these stale. */
  epoch: number;
}

const COMMIT_FAILED_CODES = new Set([22, 25, 27, 69, 110, 113]);
const STALE_MEMBER_EPOCH = 113;
/** KIP-447: an open transaction is moving this offset (OffsetFetch with requireStable). */
const UNSTABLE_OFFSET_COMMIT = 88;
/** default.api.timeout.ms: how long Java's committed() keeps asking. */
const DEFAULT_API_TIMEOUT_MS = 60_000;
/** KafkaConsumer's DEFAULT_CLOSE_TIMEOUT_MS. */
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

/**
 * Whether the loop should ride out `err` (back off, try the round again) rather than hand it to the
 * application: a retriable client error — not an advertised address that never worked (that is
 * configuration) and not a closed client.
 */
function isTransient(err: unknown): boolean {
  return (
    err instanceof KafkaClientError && err.retriable && !(err instanceof UnreachableAdvertisedAddressError)
  );
}

function isolationLevelOf(level: ConsumerOptions['isolationLevel']): 0 | 1 {
  if (level === undefined || level === 'read_uncommitted') return 0;
  if (level === 'read_committed') return 1;
  const got = String(level);
  throw new KafkaClientError(`isolationLevel must be 'read_committed' or 'read_uncommitted', not ${got}`, {
    retriable: false,
  });
}

/** A wait that ends early when something the loop should react to happens. */
class Wakeup {
  private wake: (() => void) | undefined;
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
  poke(): void {
    this.wake?.();
  }
}

export class Consumer implements AsyncIterable<ConsumerRecord> {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly options: ConsumerOptions;
  private readonly fetchSettings: FetchSettings;
  private readonly maxPollRecords: number;
  private readonly coordinator: Coordinator | undefined;
  /** The classic protocol's member, or (groupProtocol 'consumer') KIP-848's: never both. */
  private readonly member: GroupMember | undefined;
  private readonly cgMember: ConsumerGroupMember | undefined;
  /** Consumer protocol: whether onPartitionsAssigned was called since (re)joining. */
  private assignedSinceJoin = false;
  private mode: 'none' | 'subscribe' | 'assign' = 'none';
  private topics: string[] = [];
  private topicPattern: string | undefined;
  private readonly parts = new Map<string, PartitionState>();
  private buffer: Buffered[] = [];
  private epochs = 0;
  private prefetch: Promise<FetchedPartition[]> | undefined;
  private filling: Promise<void> | undefined;
  private readonly wakeup = new Wakeup();
  private lastAutoCommit = Date.now();
  private lastMetadataCheck = Date.now();
  private partitionCounts = new Map<string, number>();
  private closing = false;
  private closed: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  /** Rounds of the loop in a row that failed with a transient error: the backoff grows with it. */
  private transientFailures = 0;

  constructor(options: ConsumerOptions) {
    this.options = options;
    if (options.cluster) {
      this.cluster = options.cluster;
      this.ownsCluster = false;
    } else {
      if (!options.bootstrap)
        throw new KafkaClientError('the consumer needs bootstrap servers', { retriable: false });
      this.cluster = new Cluster({
        bootstrap: options.bootstrap,
        clientId: options.clientId ?? 'kafkalab-consumer',
        retry: options.retry,
        requestTimeoutMs: options.requestTimeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
        security: options.security,
      });
      this.ownsCluster = true;
    }
    this.fetchSettings = {
      maxWaitMs: options.fetchMaxWaitMs ?? 500,
      minBytes: options.fetchMinBytes ?? 1,
      maxBytes: options.fetchMaxBytes ?? 52_428_800,
      maxPartitionBytes: options.maxPartitionFetchBytes ?? 1_048_576,
      checkCrcs: options.checkCrcs ?? true,
      isolationLevel: isolationLevelOf(options.isolationLevel),
    };
    this.maxPollRecords = options.maxPollRecords ?? 500;
    if (!Number.isInteger(this.maxPollRecords) || this.maxPollRecords < 1)
      throw new KafkaClientError(`maxPollRecords must be a positive integer, not ${this.maxPollRecords}`, {
        retriable: false,
      });
    if (options.groupId !== undefined) {
      if (options.groupId === '')
        throw new KafkaClientError('groupId must not be empty', { retriable: false });
      this.coordinator = new Coordinator(
        this.cluster,
        options.groupId,
        options.clientId ?? 'kafkalab-consumer',
      );
      const protocol = options.groupProtocol ?? 'classic';
      if (protocol !== 'classic' && protocol !== 'consumer')
        throw new KafkaClientError(`groupProtocol must be 'classic' or 'consumer', not ${String(protocol)}`, {
          retriable: false,
        });
      if (protocol === 'consumer') {
        this.cgMember = new ConsumerGroupMember({
          cluster: this.cluster,
          coordinator: this.coordinator,
          groupId: options.groupId,
          groupInstanceId: options.groupInstanceId ?? null,
          serverAssignor: options.groupRemoteAssignor ?? null,
          rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 300_000,
          onChange: () => this.wakeup.poke(),
        });
      } else
        this.member = new GroupMember({
          cluster: this.cluster,
          coordinator: this.coordinator,
          groupId: options.groupId,
          groupInstanceId: options.groupInstanceId ?? null,
          assignors: options.assignors ?? [rangeAssignor],
          sessionTimeoutMs: options.sessionTimeoutMs ?? 45_000,
          rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 300_000,
          heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
          onRejoinNeeded: () => this.wakeup.poke(),
        });
    }
  }

  private get autoCommit(): boolean {
    return (this.options.autoCommit ?? true) && this.coordinator !== undefined;
  }

  // ---- choosing partitions ----

  /**
   * Joins the group for these topics (needs groupId). Takes effect at the next poll.
   * `{ topicPattern }` (groupProtocol 'consumer' only, as Kafka's subscribe(SubscriptionPattern)):
   * the broker matches the whole topic name against the regex (RE2/J syntax) and picks up topics
   * created later.
   */
  subscribe(topics: string | string[] | { topics: string[] } | { topicPattern: string | RegExp }): void {
    if (!this.member && !this.cgMember)
      throw new KafkaClientError('subscribe() needs a groupId; use assign() without one', {
        retriable: false,
      });
    if (this.mode === 'assign')
      throw new KafkaClientError('this consumer already uses assign()', { retriable: false });
    let subscription: ConsumerGroupSubscription;
    if (typeof topics === 'object' && !Array.isArray(topics) && 'topicPattern' in topics) {
      const pattern =
        topics.topicPattern instanceof RegExp ? topics.topicPattern.source : topics.topicPattern;
      if (!this.cgMember)
        throw new KafkaClientError(
          "subscribe({ topicPattern }) needs groupProtocol 'consumer': the broker resolves the pattern (KIP-848)",
          { retriable: false },
        );
      if (typeof pattern !== 'string' || pattern === '')
        throw new KafkaClientError('subscribe({ topicPattern }): the pattern must be a non-empty string', {
          retriable: false,
        });
      this.topics = [];
      this.topicPattern = pattern;
      subscription = { topicPattern: pattern };
    } else {
      const list = typeof topics === 'string' ? [topics] : Array.isArray(topics) ? topics : topics.topics;
      this.topics = [...new Set(list)].sort();
      this.topicPattern = undefined;
      subscription = { topics: this.topics };
    }
    this.mode = 'subscribe';
    this.member?.requestRejoin();
    this.cgMember?.subscribe(subscription);
    this.wakeup.poke();
  }

  /**
   * Reads exactly these partitions, no group (a tool's mode). A partition without `offset` starts at
   * the group's committed offset (with groupId) or by auto.offset.reset.
   */
  assign(partitions: (TopicPartition & { offset?: bigint })[]): void {
    if (this.mode === 'subscribe')
      throw new KafkaClientError('this consumer already uses subscribe()', { retriable: false });
    this.mode = 'assign';
    const wanted = new Set(partitions.map((p) => tpKey(p.topic, p.partition)));
    for (const [key, st] of this.parts) if (!wanted.has(key)) this.dropPartition(key, st);
    for (const p of partitions) {
      const st = this.ensurePartition(p.topic, p.partition);
      if (p.offset !== undefined) this.setPosition(st, p.offset);
    }
    this.wakeup.poke();
  }

  /** The partitions this consumer currently reads. */
  assignment(): TopicPartition[] {
    return [...this.parts.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** The next offset the application will see for a partition (null before it is known). */
  position(tp: TopicPartition): bigint | null {
    return this.parts.get(tpKey(tp.topic, tp.partition))?.consumed ?? null;
  }

  /** Moves a partition's position: the next record delivered is the one at `offset`. */
  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    const st = this.parts.get(tpKey(topic, partition));
    if (!st)
      throw new KafkaClientError(`seek: ${topic}-${partition} is not assigned to this consumer`, {
        retriable: false,
      });
    this.setPosition(st, offset);
    this.wakeup.poke();
  }

  /** Stops fetching these partitions; buffered records of theirs are dropped (refetched on resume). */
  pause(partitions: TopicPartition[]): void {
    for (const p of partitions) {
      const st = this.parts.get(tpKey(p.topic, p.partition));
      if (!st || st.paused) continue;
      st.paused = true;
      // Rewind to what the application has seen, so nothing buffered is skipped.
      if (st.consumed !== null) this.setPosition(st, st.consumed);
    }
  }

  resume(partitions: TopicPartition[]): void {
    for (const p of partitions) {
      const st = this.parts.get(tpKey(p.topic, p.partition));
      if (st) st.paused = false;
    }
    this.wakeup.poke();
  }

  paused(): TopicPartition[] {
    return [...this.parts.values()]
      .filter((s) => s.paused)
      .map(({ topic, partition }) => ({ topic, partition }));
  }

  /**
   * Group id, member id and generation (after the first rebalance). With the consumer protocol the
   * generation is the member epoch and there is no leader ('').
   */
  groupMetadata(): { groupId: string | undefined; memberId: string; generationId: number; leaderId: string } {
    if (this.cgMember)
      return {
        groupId: this.options.groupId,
        memberId: this.cgMember.memberId,
        generationId: this.cgMember.inGroup ? this.cgMember.memberEpoch : -1,
        leaderId: '',
      };
    return {
      groupId: this.options.groupId,
      memberId: this.member?.memberId ?? '',
      generationId: this.member?.generationId ?? -1,
      leaderId: this.member?.leaderId ?? '',
    };
  }

  // ---- reading ----

  /**
   * One poll: when nothing is buffered, does pending group work and one fetch round (waiting up to
   * fetch.max.wait.ms); then returns up to maxPollRecords buffered records, grouped by partition
   * (possibly none). Their offsets count as consumed once the next poll starts (Kafka's rule for
   * poll()).
   */
  async poll(): Promise<RecordBatchOfPartition[]> {
    this.markTakenConsumed();
    if (this.buffer.length === 0 || this.needsGroupWork()) await this.fill();
    const out: RecordBatchOfPartition[] = [];
    let budget = this.maxPollRecords;
    while (budget > 0 && this.buffer.length > 0) {
      const item = this.buffer[0];
      const records = this.isCurrent(item) ? this.take(item, budget) : [];
      if (records.length === 0) {
        this.buffer.shift();
        continue;
      }
      budget -= records.length;
      const { topic, partition, highWatermark } = item.records;
      out.push({ topic, partition, records, highWatermark });
    }
    this.taken = out;
    return out;
  }

  private taken: RecordBatchOfPartition[] = [];

  private markTakenConsumed(): void {
    for (const b of this.taken) {
      const last = b.records[b.records.length - 1];
      if (last) this.markConsumed(b.topic, b.partition, last.offset + 1n);
    }
    this.taken = [];
  }

  /**
   * Runs handlers until close(). Resolves after close(); rejects on a fatal error or with the error a
   * handler threw — then the handler's partition is rewound to the first record it was given, and a
   * new run() starts there (at least once).
   */
  run(options: RunOptions): Promise<void> {
    if (!options.eachBatch && !options.eachMessage) {
      throw new KafkaClientError('run() needs eachBatch or eachMessage', { retriable: false });
    }
    if (this.running) throw new KafkaClientError('run() is already running', { retriable: false });
    const running = (async () => {
      while (!this.closing) {
        await this.fill();
        // A handler that throws rejects run() and rewinds its partition to the first record it was
        // given (rewind()), so the next run(), poll() or iterator delivers that again: at least once.
        while (this.buffer.length > 0) {
          // close() from inside a handler: stop before the next batch, so nothing more counts as consumed.
          if (this.closing) break;
          const item = this.buffer[0];
          const { topic, partition, highWatermark } = item.records;
          if (options.eachBatch) {
            const records = this.isCurrent(item) ? this.take(item, this.maxPollRecords) : [];
            if (records.length === 0) {
              this.buffer.shift();
              continue;
            }
            try {
              await options.eachBatch({ topic, partition, records, highWatermark });
            } catch (err) {
              throw this.rewind(item, records[0].offset, err);
            }
            if (this.isCurrent(item))
              this.markConsumed(topic, partition, records[records.length - 1].offset + 1n);
          } else {
            // One record at a time: a handler that throws leaves the rest of the batch unread.
            const r = this.isCurrent(item) ? this.takeOne(item) : undefined;
            if (r === undefined) {
              this.buffer.shift();
              continue;
            }
            try {
              await options.eachMessage!(r);
            } catch (err) {
              throw this.rewind(item, r.offset, err);
            }
            if (this.isCurrent(item)) this.markConsumed(topic, partition, r.offset + 1n);
          }
        }
      }
    })();
    this.running = running;
    // After a handler error the application may call run() again (it resumes at the failed record).
    running.catch(() => {
      if (this.running === running) this.running = undefined;
    });
    return running;
  }

  /** `for await (const record of consumer)`: a record counts as consumed when the loop asks for the next. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ConsumerRecord, void, undefined> {
    while (!this.closing) {
      const head = this.buffer[0];
      if (!head || this.needsGroupWork()) {
        await this.fill();
        continue;
      }
      const record = this.isCurrent(head) ? this.takeOne(head) : undefined;
      if (record === undefined) {
        this.buffer.shift();
        continue;
      }
      yield record;
      if (this.isCurrent(head)) this.markConsumed(record.topic, record.partition, record.offset + 1n);
    }
  }

  // ---- committing ----

  /**
   * Commits offsets: the given ones, or every partition's consumed position. With a group this
   * needs the current generation; a rebalance in between makes it fail with CommitFailedError.
   */
  async commit(offsets?: TopicPartitionOffset[]): Promise<void> {
    if (!this.coordinator) throw new KafkaClientError('commit() needs a groupId', { retriable: false });
    this.markTakenConsumed();
    const list =
      offsets ??
      [...this.parts.values()]
        .filter((s) => s.consumed !== null)
        .map((s) => ({ topic: s.topic, partition: s.partition, offset: s.consumed! }));
    await this.commitList(list);
  }

  /** The group's committed offsets for these partitions (absent: none committed). */
  async committed(partitions: TopicPartition[]): Promise<Map<string, TopicPartitionOffset>> {
    if (!this.coordinator) throw new KafkaClientError('committed() needs a groupId', { retriable: false });
    // As Java's committed(): requireStable (KIP-447), and UNSTABLE_OFFSET_COMMIT retried until
    // default.api.timeout.ms — an offset a transaction commits is visible once the broker has
    // written its markers, which Kafka does after EndTxn has answered.
    const deadline = Date.now() + DEFAULT_API_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchCommittedOffsets(this.coordinator, this.options.groupId!, partitions, {
          requireStable: true,
        });
      } catch (err) {
        const unstable = err instanceof KafkaProtocolError && err.code === UNSTABLE_OFFSET_COMMIT;
        if (!unstable || Date.now() >= deadline) throw err;
        await new Promise((r) => setTimeout(r, backoffMs(Math.min(attempt, 10), this.cluster.retry)));
      }
    }
  }

  /**
   * The committed offsets the way a KIP-848 member reads them: OffsetFetch v9 with its member id and
   * epoch. STALE_MEMBER_EPOCH means a heartbeat moved the member on while the fetch was on its way:
   * again with the latest epoch, as for a commit. A classic member asks as Java's does, anonymously.
   */
  private async fetchAsMember(partitions: TopicPartition[]): Promise<Map<string, TopicPartitionOffset>> {
    for (let attempt = 0; ; attempt++) {
      const member =
        this.mode === 'subscribe' && this.cgMember?.inGroup
          ? { memberId: this.cgMember.memberId, memberEpoch: this.cgMember.memberEpoch }
          : undefined;
      try {
        // requireStable as Java's consumer always asks (KIP-447): starting from the committed offset
        // while a transaction is moving it would read again what that transaction turned into
        // output. UNSTABLE_OFFSET_COMMIT is retriable: the fill loop backs off and asks again.
        return await fetchCommittedOffsets(this.coordinator!, this.options.groupId!, partitions, {
          member,
          requireStable: true,
        });
      } catch (err) {
        const stale = err instanceof KafkaProtocolError && err.code === STALE_MEMBER_EPOCH;
        if (!stale || attempt >= 3 || this.cgMember?.memberEpoch === member?.memberEpoch) throw err;
      }
    }
  }

  /** Who commits: the member's generation (classic) or epoch (consumer protocol); outside a group -1 and ''. */
  private commitIdentity(): { generationId: number; memberId: string } {
    if (this.mode === 'subscribe' && this.member?.inGroup)
      return { generationId: this.member.generationId, memberId: this.member.memberId };
    if (this.mode === 'subscribe' && this.cgMember?.inGroup)
      return { generationId: this.cgMember.memberEpoch, memberId: this.cgMember.memberId };
    return { generationId: -1, memberId: '' };
  }

  private async commitList(list: TopicPartitionOffset[]): Promise<void> {
    if (list.length === 0 || !this.coordinator) return;
    try {
      for (let attempt = 0; ; attempt++) {
        const identity = this.commitIdentity();
        try {
          await commitOffsets(this.coordinator, {
            groupId: this.options.groupId!,
            ...identity,
            groupInstanceId: this.options.groupInstanceId ?? null,
            offsets: list,
          });
          break;
        } catch (err) {
          // OffsetCommit v9 (KIP-848): STALE_MEMBER_EPOCH when a heartbeat moved the member to a new
          // epoch while this commit was on its way. As Java's consumer: again with the latest epoch.
          const stale = err instanceof KafkaProtocolError && err.code === STALE_MEMBER_EPOCH;
          if (!stale || attempt >= 3 || this.commitIdentity().generationId === identity.generationId)
            throw err;
        }
      }
    } catch (err) {
      // ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, and GROUP_ID_NOT_FOUND (OffsetCommit
      // v9+ for a generation of a group the broker does not have — a restarted in-memory broker):
      // this member's generation is over, it must rejoin.
      if (err instanceof KafkaProtocolError && COMMIT_FAILED_CODES.has(err.code)) {
        this.member?.requestRejoin();
        throw new CommitFailedError(err.type, err);
      }
      throw err;
    }
    for (const o of list) {
      const st = this.parts.get(tpKey(o.topic, o.partition));
      if (st) st.lastCommitted = o.offset;
    }
  }

  private async commitConsumed(only?: TopicPartition[]): Promise<void> {
    const keys = only ? new Set(only.map((p) => tpKey(p.topic, p.partition))) : undefined;
    const list: TopicPartitionOffset[] = [];
    for (const [key, st] of this.parts) {
      if (keys && !keys.has(key)) continue;
      if (st.consumed === null || st.consumed === st.lastCommitted) continue;
      list.push({ topic: st.topic, partition: st.partition, offset: st.consumed });
    }
    await this.commitList(list);
  }

  // ---- the loop's work ----

  private needsGroupWork(): boolean {
    if (this.mode === 'subscribe' && this.member?.needsRejoin) return true;
    const cg = this.cgMember;
    if (this.mode === 'subscribe' && cg && (cg.hasNewTarget || cg.lost || cg.fatal)) return true;
    for (const st of this.parts.values()) if (st.position === null) return true;
    return false;
  }

  /** Group work, then one fetch round into the buffer (or a bounded idle wait when nothing can be fetched). */
  private fill(): Promise<void> {
    this.filling ??= this.fillOnce().finally(() => {
      this.filling = undefined;
    });
    return this.filling;
  }

  private async fillOnce(): Promise<void> {
    if (this.closing) return;
    try {
      await this.fillRound();
      this.transientFailures = 0;
    } catch (err) {
      if (this.closing || !isTransient(err)) throw err;
      // Metadata is refreshed before the next round; the coordinator forgot itself already
      // (Coordinator.request) when its connection failed.
      this.cluster.noteError(err);
      const wait = backoffMs(Math.min(this.transientFailures, 10), this.cluster.retry);
      this.transientFailures++;
      await this.wakeup.wait(wait);
    }
  }

  private async fillRound(): Promise<void> {
    if (this.mode === 'none') {
      await this.wakeup.wait(this.fetchSettings.maxWaitMs);
      return;
    }
    await this.groupWork();
    if (this.closing || this.needsGroupWork()) return;
    const pending = this.prefetch ?? this.startFetch();
    // Taken before awaiting: a fetch that fails must not be awaited again by the next round.
    this.prefetch = undefined;
    const fetched = await pending;
    if (fetched === undefined) {
      await this.wakeup.wait(this.fetchSettings.maxWaitMs);
      return;
    }
    this.absorb(fetched);
    // Ask for the next round while the application works through this one.
    if (!this.closing && !this.needsGroupWork()) this.prefetch = this.startFetch();
  }

  private startFetch(): Promise<FetchedPartition[]> | undefined {
    const targets = [...this.parts.values()]
      .filter((s) => !s.paused && s.position !== null)
      .map((s) => ({ topic: s.topic, partition: s.partition, offset: s.position! }));
    if (targets.length === 0) return undefined;
    const p = fetchOnce(this.cluster, targets, this.fetchSettings);
    p.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
    return p;
  }

  private absorb(fetched: FetchedPartition[]): void {
    for (const f of fetched) {
      const st = this.parts.get(tpKey(f.topic, f.partition));
      // Stale: revoked, sought or paused since the request went out.
      if (!st || st.paused || st.position !== f.fetchOffset) continue;
      st.highWatermark = f.highWatermark;
      if (f.errorCode === 1) {
        // OFFSET_OUT_OF_RANGE: the position fell off the log (retention) or past its end.
        st.position = null;
        st.resetOnly = true;
        continue;
      }
      if (f.errorCode !== 0) continue;
      // The next fetch starts after these batches even before they are decoded (see take()).
      st.position = f.nextOffset;
      if (f.nextOffset > f.fetchOffset && f.records !== null)
        this.buffer.push({ records: new PartitionRecords(f, this.fetchSettings.checkCrcs), epoch: st.epoch });
    }
  }

  private async groupWork(): Promise<void> {
    const member = this.member;
    if (this.mode === 'subscribe' && this.cgMember) await this.reconcile(this.cgMember);
    if (this.mode === 'subscribe' && member) {
      if (member.fatal) throw member.fatal;
      if (!member.needsRejoin && Date.now() - this.lastMetadataCheck >= this.metadataCheckIntervalMs()) {
        await this.checkPartitionCounts();
      }
      // Bounded: each rebalance either settles or throws; a cooperative revoke asks for one more.
      for (let i = 0; i < 5 && member.needsRejoin && !this.closing; i++) await this.rebalance();
    }
    await this.initPositions();
    if (this.autoCommit && Date.now() - this.lastAutoCommit >= (this.options.autoCommitIntervalMs ?? 5_000)) {
      this.lastAutoCommit = Date.now();
      // As Java's auto-commit: a failed commit is tried again at the next interval, not thrown.
      await this.commitConsumed().catch(ignoreCommitFailure);
    }
  }

  /**
   * metadata.max.age.ms, except while a subscribed topic is missing from the assignment's metadata
   * (not created yet, or created again by a restarted broker and not yet listed): then
   * every retry backoff, as Kafka's Metadata asks again after a retriable topic error, so the member
   * rejoins as soon as the topic appears.
   */
  private metadataCheckIntervalMs(): number {
    if (this.topics.some((t) => !this.partitionCounts.has(t))) return this.cluster.retry.initialBackoffMs;
    return this.options.metadataMaxAgeMs ?? 300_000;
  }

  /**
   * Kafka's consumer watches the metadata of the topics in the assignment: a changed partition count
   * (partitions added) means rejoin, so the leader can hand out the new ones.
   */
  private async checkPartitionCounts(): Promise<void> {
    this.lastMetadataCheck = Date.now();
    const watched = [...new Set([...this.topics, ...this.partitionCounts.keys()])];
    this.cluster.invalidate();
    await this.cluster.refreshMetadata(watched);
    const topics = this.cluster.topics();
    for (const t of watched) {
      const now = topics.get(t)?.partitions.length;
      if (now !== undefined && now !== this.partitionCounts.get(t)) {
        this.member!.requestRejoin();
        return;
      }
    }
  }

  private async rebalance(): Promise<void> {
    const member = this.member!;
    const listener = this.options.listener;
    const owned = this.assignment();
    if (member.lostMembership && owned.length > 0) {
      // The group already gave these away: no commit (it would be refused), no revoke.
      for (const [key, st] of this.parts) this.dropPartition(key, st);
      await listener?.onPartitionsLost?.(owned);
    } else if (member.rebalanceProtocol === 'eager' && owned.length > 0) {
      await this.revoke(owned);
    }
    const keep = member.rebalanceProtocol === 'cooperative' ? groupByTopic(this.assignment()) : [];
    const result = await member.rebalance(this.topics, keep);
    this.partitionCounts = result.partitionCounts;
    this.lastMetadataCheck = Date.now();
    const next = flatten(result.partitions);
    const nextKeys = new Set(next.map((p) => tpKey(p.topic, p.partition)));
    const revoked = this.assignment().filter((p) => !nextKeys.has(tpKey(p.topic, p.partition)));
    if (revoked.length > 0) {
      // Cooperative phase one: give these up, then rejoin so they can go to their new owner.
      await this.revoke(revoked);
      member.requestRejoin();
    }
    const added = next.filter((p) => !this.parts.has(tpKey(p.topic, p.partition)));
    for (const p of added) this.ensurePartition(p.topic, p.partition);
    // As Java's ConsumerCoordinator.onJoinComplete: after every rebalance, with what was added —
    // under cooperative-sticky often nothing (a member that only gave partitions up, or kept all).
    await listener?.onPartitionsAssigned?.(added);
  }

  /**
   * The consumer protocol's half of a reconciliation (KIP-848), between batches as Java's poll():
   * partitions lost to a fence are dropped without a commit; otherwise the ones no longer in the
   * coordinator's target are revoked first (commit on revoke, the listener), the new ones added, and
   * the member told what this consumer owns now — its next heartbeat releases the revoked partitions.
   */
  private async reconcile(cg: ConsumerGroupMember): Promise<void> {
    if (cg.fatal) throw cg.fatal;
    const listener = this.options.listener;
    if (cg.lost) {
      const owned = this.assignment();
      for (const [key, st] of this.parts) this.dropPartition(key, st);
      if (owned.length > 0) await listener?.onPartitionsLost?.(owned);
      this.assignedSinceJoin = false;
      cg.rejoin();
      return;
    }
    if (!cg.hasNewTarget) return;
    const target = await cg.resolvedTarget();
    const keys = new Set(target.partitions.map((p) => tpKey(p.topic, p.partition)));
    const revoked = this.assignment().filter((p) => !keys.has(tpKey(p.topic, p.partition)));
    if (revoked.length > 0) await this.revoke(revoked);
    const added = target.partitions.filter((p) => !this.parts.has(tpKey(p.topic, p.partition)));
    for (const p of added) this.ensurePartition(p.topic, p.partition);
    if (added.length > 0 || !this.assignedSinceJoin) {
      this.assignedSinceJoin = true;
      await listener?.onPartitionsAssigned?.(added);
    }
    cg.reconciled(target.version, this.assignment(), { complete: !target.unresolved });
  }

  /** Commit on revoke (with auto-commit), tell the listener, stop reading the partitions. */
  private async revoke(partitions: TopicPartition[]): Promise<void> {
    this.markTakenConsumed();
    if (this.autoCommit) await this.commitConsumed(partitions).catch(ignoreCommitFailure);
    await this.options.listener?.onPartitionsRevoked?.(partitions);
    for (const p of partitions) {
      const key = tpKey(p.topic, p.partition);
      const st = this.parts.get(key);
      if (st) this.dropPartition(key, st);
    }
  }

  /** Positions for partitions that have none: the committed offset, else auto.offset.reset. */
  private async initPositions(): Promise<void> {
    const missing = [...this.parts.values()].filter((s) => s.position === null);
    if (missing.length === 0) return;
    if (this.coordinator) {
      const ask = missing.filter((s) => !s.resetOnly);
      if (ask.length > 0) {
        let committed: Map<string, TopicPartitionOffset>;
        try {
          committed = await this.fetchAsMember(ask);
        } catch (err) {
          // The coordinator no longer counts this member as who it asked as (fenced, or its epoch
          // moved on): no positions this round, not a reset; the heartbeat learns why and the
          // partitions are lost or kept, then the next round asks again.
          if (err instanceof KafkaProtocolError && (err.code === 25 || err.code === STALE_MEMBER_EPOCH))
            return;
          throw err;
        }
        for (const st of ask) {
          const c = committed.get(tpKey(st.topic, st.partition));
          if (c && this.parts.get(tpKey(st.topic, st.partition)) === st) {
            this.setPosition(st, c.offset);
            st.lastCommitted = c.offset;
          }
        }
      }
    }
    const reset = missing.filter((s) => s.position === null);
    if (reset.length === 0) return;
    const strategy = this.options.autoOffsetReset ?? 'latest';
    if (strategy === 'none') {
      const st = reset[0];
      throw new NoOffsetForPartitionError(
        st.topic,
        st.partition,
        st.resetOnly ? 'the fetch position is out of range' : undefined,
      );
    }
    const offsets = await listOffsets(
      this.cluster,
      reset.map(({ topic, partition }) => ({ topic, partition })),
      strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
      // read_committed resets to the last stable offset: a transaction open at the end is read once
      // it commits, not skipped (the high watermark would be past its records).
      this.fetchSettings.isolationLevel,
    );
    for (const st of reset) {
      const o = offsets.get(tpKey(st.topic, st.partition));
      if (o !== undefined && this.parts.get(tpKey(st.topic, st.partition)) === st) {
        this.setPosition(st, o);
        st.resetOnly = false;
      }
    }
  }

  // ---- partition state ----

  private ensurePartition(topic: string, partition: number): PartitionState {
    const key = tpKey(topic, partition);
    let st = this.parts.get(key);
    if (!st) {
      st = {
        topic,
        partition,
        position: null,
        consumed: null,
        lastCommitted: null,
        paused: false,
        resetOnly: false,
        highWatermark: -1n,
        epoch: this.nextEpoch(),
      };
      this.parts.set(key, st);
    }
    return st;
  }

  private setPosition(st: PartitionState, offset: bigint): void {
    st.position = offset;
    st.consumed = offset;
    st.resetOnly = false;
    st.epoch = this.nextEpoch();
  }

  private dropPartition(key: string, st: PartitionState): void {
    st.epoch = this.nextEpoch();
    this.parts.delete(key);
  }

  /**
   * Epochs come from one counter for the whole consumer, not per partition state: a partition
   * revoked and assigned again (an eager rebalance) gets a new state, and a per-state count would
   * start over and match what was buffered before the revoke — records handed out twice.
   */
  private nextEpoch(): number {
    return ++this.epochs;
  }

  /**
   * Up to `max` records of a buffered partition. If its next batch does not decode, the partition's
   * position goes back to the first record not handed out (dropping what was fetched after it, and
   * the answer of a fetch in flight) and CorruptRecordError is thrown: no record is skipped unseen.
   */
  private take(b: Buffered, max: number): ConsumerRecord[] {
    try {
      return b.records.take(max);
    } catch (err) {
      throw this.corrupt(b, err);
    }
  }

  private takeOne(b: Buffered): ConsumerRecord | undefined {
    try {
      return b.records.takeOne();
    } catch (err) {
      throw this.corrupt(b, err);
    }
  }

  /** After a handler threw, or records did not decode: the partition reads again from `offset`. */
  private rewind(b: Buffered, offset: bigint, err: unknown): unknown {
    const st = this.parts.get(tpKey(b.records.topic, b.records.partition));
    if (st && this.isCurrent(b)) this.setPosition(st, offset);
    return err;
  }

  private corrupt(b: Buffered, err: unknown): unknown {
    if (!(err instanceof DecodeError)) return err;
    const { topic, partition, nextOffset } = b.records;
    return this.rewind(b, nextOffset, new CorruptRecordError(topic, partition, nextOffset, err));
  }

  private isCurrent(b: Buffered): boolean {
    const st = this.parts.get(tpKey(b.records.topic, b.records.partition));
    return st !== undefined && st.epoch === b.epoch && !st.paused;
  }

  private markConsumed(topic: string, partition: number, offset: bigint): void {
    const st = this.parts.get(tpKey(topic, partition));
    if (st) st.consumed = offset;
  }

  /** Lag per assigned partition: high watermark (as of the last fetch) minus the consumed position. */
  lag(): { topic: string; partition: number; lag: bigint | null }[] {
    return [...this.parts.values()].map((s) => ({
      topic: s.topic,
      partition: s.partition,
      lag: s.highWatermark >= 0n && s.consumed !== null ? s.highWatermark - s.consumed : null,
    }));
  }

  // ---- closing ----

  /**
   * Stops reading, commits consumed offsets (auto-commit), revokes, leaves the group and closes the
   * connections. Safe to call more than once (later calls get the first call's promise).
   *
   * Bounded like KafkaConsumer.close(Duration), 30 s by default: with the broker gone, the commit and
   * LeaveGroup would otherwise ride out every retry of every nested request (measured: 109 s). When
   * the time is up the connections are closed, which fails whatever is still retrying.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.wakeup.poke();
      const timeoutMs = options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      const graceful = this.leaveGracefully();
      graceful.catch(() => undefined);
      try {
        await Promise.race([graceful, timedOut]);
      } finally {
        clearTimeout(timer);
        await this.coordinator?.close();
        if (this.ownsCluster) await this.cluster.close();
      }
    })();
    return this.closed;
  }

  /** close()'s first part: let the loop stop, then commit, revoke and leave. */
  private async leaveGracefully(): Promise<void> {
    await this.filling?.catch(() => undefined);
    await this.running?.catch(() => undefined);
    await this.prefetch?.catch(() => undefined);
    if (this.mode === 'subscribe' && (this.member?.inGroup || this.cgMember?.inGroup)) {
      const owned = this.assignment();
      if (owned.length > 0) await this.revoke(owned).catch(() => undefined);
    } else if (this.autoCommit) {
      this.markTakenConsumed();
      await this.commitConsumed().catch(() => undefined);
    }
    await this.member?.leave();
    await this.cgMember?.leave();
  }
}

/**
 * A commit the consumer makes on its own (auto-commit, commit on revoke) that fails for a reason a
 * later one may not have — the generation moved on (CommitFailedError), the coordinator is
 * unreachable for now — is dropped (the records may then be delivered again: at least once); a fatal
 * error is not.
 */
function ignoreCommitFailure(err: unknown): void {
  if (!(err instanceof CommitFailedError) && !isTransient(err)) throw err;
}
