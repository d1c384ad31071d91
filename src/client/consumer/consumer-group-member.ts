/**
 * One member of a KIP-848 consumer group (group.protocol=consumer): no JoinGroup/SyncGroup, no
 * leader, no client-side assignor. A ConsumerGroupHeartbeat joins (memberEpoch 0), keeps the member
 * alive and carries the assignment the coordinator computed; another one with epoch -1 (-2 for a
 * static member coming back) leaves.
 *
 * The reconciliation is split the way Java's AsyncKafkaConsumer splits it between its background
 * thread and poll(): this module heartbeats on a timer and keeps the latest *target* the coordinator
 * sent; the consumer, between batches, revokes what is no longer in it (commit on revoke, the
 * listener), takes on what is new, and calls `reconciled()` with what it owns now. That sends a
 * heartbeat at once, so the coordinator learns that the partitions are released and can hand them
 * to their next owner (a partition is never owned by two members: the broker waits for the ack).
 *
 * Like Java's client, a heartbeat sends only what changed since the last one that was answered
 * (subscription, owned partitions; rebalance timeout, assignor and rack only when joining); after a
 * failure the next one is full again.
 */
import { randomBytes } from 'node:crypto';
import { ConsumerGroupHeartbeat } from '../../protocol/messages/index.js';
import type { Cluster } from '../cluster.js';
import { KafkaClientError, KafkaProtocolError, UnsupportedVersionError } from '../errors.js';
import type { Coordinator } from './coordinator.js';
import type { TopicPartition } from './types.js';

/** What the member subscribes to: topic names, or a regex the broker resolves (RE2/J, v1+). */
export type ConsumerGroupSubscription = { topics: readonly string[] } | { topicPattern: string };

export interface ConsumerGroupMemberOptions {
  cluster: Cluster;
  coordinator: Coordinator;
  groupId: string;
  groupInstanceId: string | null;
  /** group.remote.assignor: the server-side assignor to ask for (null: the broker's default). */
  serverAssignor: string | null;
  /** max.poll.interval.ms: how long the coordinator waits for this member to revoke. */
  rebalanceTimeoutMs: number;
  rackId?: string | null;
  /** Called when the member has something for the consumer's loop: a new target, lost partitions, an error. */
  onChange(): void;
}

/** Epochs with a meaning (ConsumerGroupHeartbeatRequest's constants). */
const JOIN_EPOCH = 0;
const LEAVE_EPOCH = -1;
const LEAVE_STATIC_EPOCH = -2;

const UNKNOWN_MEMBER_ID = 25;
const FENCED_MEMBER_EPOCH = 110;
/** Errors after which the member cannot go on (Java's heartbeat manager treats them as fatal). */
const FATAL_CODES = new Set([
  29, // TOPIC_AUTHORIZATION_FAILED
  30, // GROUP_AUTHORIZATION_FAILED
  35, // UNSUPPORTED_VERSION
  42, // INVALID_REQUEST
  69, // GROUP_ID_NOT_FOUND (the id belongs to a live classic group)
  81, // GROUP_MAX_SIZE_REACHED
  82, // FENCED_INSTANCE_ID
  111, // UNRELEASED_INSTANCE_ID
  112, // UNSUPPORTED_ASSIGNOR
  128, // INVALID_REGULAR_EXPRESSION
]);

type Owned = Map<string, Set<number>>;

export class ConsumerGroupMember {
  /** KIP-1082 (v1): the member makes up its own id, as a Kafka Uuid, and keeps it across rejoins. */
  memberId = randomBytes(16).toString('base64url');
  memberEpoch = JOIN_EPOCH;
  /** The coordinator's current heartbeat.interval (group.consumer.heartbeat.interval.ms). */
  heartbeatIntervalMs = 5_000;
  /** Set when the coordinator fenced this member: its partitions are lost, not revoked. */
  lost = false;
  /** A fatal error from a heartbeat, for the consumer to throw. */
  fatal: Error | undefined;
  /** Bumped each time the coordinator sends an assignment; the consumer reconciles when it moves. */
  targetVersion = 0;
  private reconciledVersion = 0;
  /** The assignment the coordinator sent last, by topic id. */
  private target: Owned = new Map();
  /** What the consumer owns (acknowledged by `reconciled()`), by topic id. */
  private owned: Owned = new Map();
  private subscription: ConsumerGroupSubscription | undefined;
  private readonly names = new Map<string, string>();
  // What the last answered heartbeat told the coordinator; null: send everything.
  private sent: { subscription: string; owned: string } | null = null;
  private joined = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: ConsumerGroupMemberOptions) {}

  get inGroup(): boolean {
    return this.joined && this.memberEpoch > 0;
  }

  /** True while the consumer has a target it has not reconciled yet. */
  get hasNewTarget(): boolean {
    return this.targetVersion !== this.reconciledVersion;
  }

  /** Starts (or changes) the subscription; the next heartbeat carries it. */
  subscribe(subscription: ConsumerGroupSubscription): void {
    this.subscription = subscription;
    this.stopped = false;
    this.heartbeatSoon();
  }

  /** After the consumer dropped lost partitions: join again with epoch 0 (same member id). */
  rejoin(): void {
    this.lost = false;
    this.owned = new Map();
    this.target = new Map();
    this.reconciledVersion = this.targetVersion;
    this.memberEpoch = JOIN_EPOCH;
    this.joined = false;
    this.sent = null;
    this.heartbeatSoon();
  }

  /**
   * The target as topic names. Topic ids the client has not seen yet are looked up (all topics'
   * metadata: a regex subscription can bring any topic); ones still unknown stay out for now, and
   * `unresolved` says so (the next reconciliation tries again).
   */
  async resolvedTarget(): Promise<{ version: number; partitions: TopicPartition[]; unresolved: boolean }> {
    const version = this.targetVersion;
    const ids = [...this.target.keys()];
    if (ids.some((id) => !this.names.has(id))) await this.learnTopicNames();
    const partitions: TopicPartition[] = [];
    let unresolved = false;
    for (const [id, ps] of this.target) {
      const topic = this.names.get(id);
      if (topic === undefined) {
        unresolved = true;
        continue;
      }
      for (const partition of [...ps].sort((a, b) => a - b)) partitions.push({ topic, partition });
    }
    return { version, partitions, unresolved };
  }

  /**
   * The consumer finished reconciling target `version` and now owns `partitions`: the next heartbeat,
   * sent now, tells the coordinator (which then moves the member to its new epoch, or gives the
   * released partitions to their next owner).
   */
  reconciled(
    version: number,
    partitions: readonly TopicPartition[],
    { complete }: { complete: boolean },
  ): void {
    const ids = new Map<string, string>();
    for (const [id, name] of this.names) ids.set(name, id);
    const owned: Owned = new Map();
    for (const { topic, partition } of partitions) {
      const id = ids.get(topic);
      if (id === undefined) continue;
      let set = owned.get(id);
      if (!set) {
        set = new Set();
        owned.set(id, set);
      }
      set.add(partition);
    }
    this.owned = owned;
    if (version === this.targetVersion) this.reconciledVersion = version;
    if (!complete) {
      // Some topic ids did not resolve to names yet (a topic this client has not seen): look again
      // after a backoff rather than at every round of the consumer's loop.
      setTimeout(() => {
        if (this.stopped || this.targetVersion !== version) return;
        this.targetVersion++;
        this.options.onChange();
      }, this.options.cluster.retry.initialBackoffMs).unref?.();
    }
    this.heartbeatSoon();
  }

  // ---- heartbeats ----

  /** Sends a heartbeat now, or right after the one in flight. */
  private heartbeatSoon(): void {
    if (this.stopped || this.lost || this.fatal || !this.subscription) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = this.heartbeatOnce().finally(() => {
      this.inFlight = undefined;
      if (this.stopped || this.lost || this.fatal) return;
      if (this.again) {
        this.again = false;
        this.heartbeatSoon();
      } else {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.heartbeatSoon();
        }, this.heartbeatIntervalMs);
      }
    });
  }

  private request(version: number) {
    const sub = this.subscription!;
    const joining = this.memberEpoch === JOIN_EPOCH;
    const full = joining || this.sent === null;
    const subKey = JSON.stringify(sub);
    const owned = joining ? [] : toWire(this.owned);
    const ownedKey = JSON.stringify(owned);
    const subChanged = full || this.sent?.subscription !== subKey;
    const pattern = 'topicPattern' in sub ? sub.topicPattern : null;
    if (pattern !== null && version < 1)
      throw new UnsupportedVersionError(
        `a topicPattern subscription needs ConsumerGroupHeartbeat v1 (KIP-848's subscribedTopicRegex); the coordinator serves v${version}`,
      );
    const body = {
      groupId: this.options.groupId,
      // v0: the coordinator makes up the id of a joining member.
      memberId: version === 0 && joining ? '' : this.memberId,
      memberEpoch: this.memberEpoch,
      instanceId: this.options.groupInstanceId,
      rackId: full ? (this.options.rackId ?? null) : null,
      rebalanceTimeoutMs: full ? this.options.rebalanceTimeoutMs : -1,
      // Switching between names and a pattern clears the other one ([] / '').
      subscribedTopicNames: subChanged
        ? pattern === null
          ? [...(sub as { topics: string[] }).topics]
          : []
        : null,
      subscribedTopicRegex: subChanged && version >= 1 ? (pattern ?? (full ? null : '')) : null,
      serverAssignor: full ? this.options.serverAssignor : null,
      topicPartitions: full || this.sent?.owned !== ownedKey ? owned : null,
    };
    return { body, sentAs: { subscription: subKey, owned: ownedKey } };
  }

  private async heartbeatOnce(): Promise<void> {
    let sentAs: { subscription: string; owned: string } | undefined;
    let epochSent = this.memberEpoch;
    try {
      const { response } = await this.options.coordinator.request(
        ConsumerGroupHeartbeat,
        (version) => {
          const r = this.request(version);
          sentAs = r.sentAs;
          epochSent = r.body.memberEpoch;
          return r.body;
        },
        { errorCodeOf: (r) => r.errorCode },
      );
      if (this.stopped) return;
      const code = response.errorCode;
      if (code === 0) {
        if (response.memberId) this.memberId = response.memberId;
        // A leave or a rejoin while this one was in flight makes its answer stale.
        if (this.memberEpoch !== epochSent) return;
        this.memberEpoch = response.memberEpoch;
        if (response.heartbeatIntervalMs > 0) this.heartbeatIntervalMs = response.heartbeatIntervalMs;
        this.joined = true;
        this.sent = sentAs ?? null;
        if (response.assignment) {
          const next: Owned = new Map();
          for (const t of response.assignment.topicPartitions) next.set(t.topicId, new Set(t.partitions));
          if (!sameOwned(next, this.target) || !sameOwned(next, this.owned)) {
            this.target = next;
            this.targetVersion++;
            this.options.onChange();
          }
        }
        return;
      }
      this.sent = null;
      if (code === UNKNOWN_MEMBER_ID || code === FENCED_MEMBER_EPOCH) {
        // The coordinator no longer counts this member (session expired, rebalance timeout, epoch
        // skew): what it holds may be someone else's already. The consumer drops it, then rejoin().
        this.lost = true;
        this.joined = false;
        this.options.onChange();
        return;
      }
      if (FATAL_CODES.has(code)) {
        this.fatal = new KafkaProtocolError(
          code,
          { api: 'ConsumerGroupHeartbeat', resource: this.options.groupId },
          response.errorMessage ?? null,
        );
        this.options.onChange();
      }
      // Anything else (retriable): the next tick sends a full heartbeat.
    } catch (err) {
      this.sent = null;
      if (err instanceof UnsupportedVersionError) {
        this.fatal = new KafkaClientError(
          `group ${this.options.groupId}: the broker does not support the consumer group protocol (KIP-848): ${err.message}. Use groupProtocol 'classic'`,
          { retriable: false, cause: err },
        );
        this.options.onChange();
      } else if (err instanceof KafkaClientError && !err.retriable) {
        this.fatal = err;
        this.options.onChange();
      }
      // Connection trouble: try again at the next tick; a coordinator that fenced us meanwhile says so.
    }
  }

  /**
   * Leaves the group: epoch -1 (a static member: -2, its partitions wait for the next incarnation
   * until the session times out). Best effort and bounded, as in Kafka.
   */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
    if (!this.joined) return;
    this.joined = false;
    const epoch = this.options.groupInstanceId !== null ? LEAVE_STATIC_EPOCH : LEAVE_EPOCH;
    try {
      await this.options.coordinator.request(
        ConsumerGroupHeartbeat,
        {
          groupId: this.options.groupId,
          memberId: this.memberId,
          memberEpoch: epoch,
          instanceId: this.options.groupInstanceId,
          rackId: null,
          rebalanceTimeoutMs: -1,
          subscribedTopicNames: null,
          subscribedTopicRegex: null,
          serverAssignor: null,
          topicPartitions: null,
        },
        { timeoutMs: 5_000 },
      );
    } catch {
      // The session timeout removes us anyway.
    }
    this.memberEpoch = epoch;
  }

  private async learnTopicNames(): Promise<void> {
    for (const t of this.options.cluster.topics().values()) this.names.set(t.topicId, t.name);
    if ([...this.target.keys()].every((id) => this.names.has(id))) return;
    for (const t of await this.options.cluster.fetchAllTopics()) this.names.set(t.topicId, t.name);
  }
}

function toWire(owned: Owned): { topicId: string; partitions: number[] }[] {
  return [...owned.keys()]
    .sort()
    .map((topicId) => ({ topicId, partitions: [...owned.get(topicId)!].sort((a, b) => a - b) }));
}

function sameOwned(a: Owned, b: Owned): boolean {
  if (a.size !== b.size) return false;
  for (const [id, ps] of a) {
    const o = b.get(id);
    if (!o || o.size !== ps.size) return false;
    for (const p of ps) if (!o.has(p)) return false;
  }
  return true;
}
