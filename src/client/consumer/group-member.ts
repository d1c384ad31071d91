/**
 * One member of a classic consumer group (KIP-62-era protocol): JoinGroup → (leader assigns) →
 * SyncGroup, heartbeats in the background, LeaveGroup on close. It knows nothing about fetching;
 * the consumer asks it for a rebalance when `needsRejoin` says so and applies the assignment itself.
 */
import {
  CONSUMER_PROTOCOL_LATEST_VERSION,
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../protocol/messages/consumer-protocol.js';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from '../../protocol/messages/index.js';
import type { Assignor, MemberSubscription, RebalanceProtocol, TopicPartitions } from '../assignors/index.js';
import { backoffMs, type Cluster, delay } from '../cluster.js';
import { KafkaClientError, KafkaProtocolError } from '../errors.js';
import type { Coordinator } from './coordinator.js';

export interface GroupMemberOptions {
  cluster: Cluster;
  coordinator: Coordinator;
  groupId: string;
  groupInstanceId?: string | null;
  /** Preference order: JoinGroup offers each as a protocol; the broker picks one all members share. */
  assignors: readonly Assignor[];
  sessionTimeoutMs: number;
  /** Kafka's max.poll.interval.ms: how long the group waits for this member to rejoin. */
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Called when a heartbeat finds that this member must rejoin, so an idle consumer wakes up. */
  onRejoinNeeded?(): void;
}

export interface SyncedAssignment {
  generationId: number;
  memberId: string;
  leaderId: string;
  protocolName: string;
  partitions: TopicPartitions[];
  /** Partition count of every topic the assignment was computed over (what this member saw). */
  partitionCounts: Map<string, number>;
}

const MEMBER_ID_REQUIRED = 79;
const UNKNOWN_MEMBER_ID = 25;
const ILLEGAL_GENERATION = 22;
const REBALANCE_IN_PROGRESS = 27;
const FENCED_INSTANCE_ID = 82;

/** A bound on JoinGroup/SyncGroup rounds in one rebalance, against a broker that never settles. */
const MAX_ROUNDS = 30;

export class GroupMember {
  memberId = '';
  generationId = -1;
  leaderId = '';
  protocolName = '';
  /** Set by a heartbeat (or the consumer) when this member must join again. */
  needsRejoin = true;
  /** Set when the coordinator no longer knows this member: its partitions are lost, not revoked. */
  lostMembership = false;
  /** A fatal error from the background heartbeat (FENCED_INSTANCE_ID), reported to the consumer. */
  fatal: Error | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeating: Promise<void> | undefined;
  private lastHeartbeatOk = 0;
  private stopped = false;

  constructor(private readonly options: GroupMemberOptions) {}

  /** Eager unless every assignor is cooperative (Kafka picks the protocol all configured assignors support). */
  get rebalanceProtocol(): RebalanceProtocol {
    return this.options.assignors.every((a) => a.rebalanceProtocol === 'cooperative')
      ? 'cooperative'
      : 'eager';
  }

  get inGroup(): boolean {
    return this.generationId >= 0 && this.memberId !== '';
  }

  requestRejoin(): void {
    this.needsRejoin = true;
  }

  /**
   * One complete rebalance: JoinGroup (twice on v4+ for a new member: MEMBER_ID_REQUIRED hands out the
   * id), the leader's assignment, SyncGroup. Retries the rounds a rebalance can need (another member
   * joined meanwhile, the id was forgotten) up to a bound.
   */
  async rebalance(topics: readonly string[], owned: TopicPartitions[]): Promise<SyncedAssignment> {
    this.stopHeartbeats();
    const { coordinator, groupId } = this.options;
    const retry = this.options.cluster.retry;
    let lastError: unknown;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (this.stopped) throw new KafkaClientError('the consumer is closed', { retriable: false });
      const protocols = this.options.assignors.map((a) => ({
        name: a.name,
        metadata: encodeSubscription({
          topics: [...topics].sort(),
          userData: a.subscriptionUserData?.({ generationId: this.generationId }) ?? null,
          ownedPartitions: owned,
          generationId: this.generationId,
          rackId: null,
        }),
      }));
      const { response: join } = await coordinator.request(
        JoinGroup,
        {
          groupId,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          memberId: this.memberId,
          groupInstanceId: this.options.groupInstanceId ?? null,
          protocolType: CONSUMER_PROTOCOL_TYPE,
          protocols,
          reason: null,
        },
        // The broker holds JoinGroup until every member rejoined: up to the rebalance timeout.
        { timeoutMs: this.options.rebalanceTimeoutMs + 5_000, errorCodeOf: (r) => r.errorCode },
      );
      if (join.errorCode === MEMBER_ID_REQUIRED) {
        // KIP-394: the broker made up our id and waits for us to come back with it.
        this.memberId = join.memberId;
        continue;
      }
      if (join.errorCode === UNKNOWN_MEMBER_ID || join.errorCode === ILLEGAL_GENERATION) {
        this.resetMembership();
        continue;
      }
      if (join.errorCode === REBALANCE_IN_PROGRESS) {
        await delay(backoffMs(Math.min(round, 5), retry));
        continue;
      }
      if (join.errorCode !== 0)
        throw new KafkaProtocolError(join.errorCode, { api: 'JoinGroup', resource: groupId });

      this.memberId = join.memberId;
      this.generationId = join.generationId;
      this.leaderId = join.leader;
      this.protocolName = join.protocolName ?? '';
      const isLeader = join.leader === join.memberId;
      const partitionCounts = new Map<string, number>();
      let assignments: { memberId: string; assignment: Uint8Array }[] = [];
      if (isLeader) {
        // KIP-814: a static leader that rejoined a Stable group keeps the group's assignment; the
        // broker hands it the members only so it can watch their topics' metadata, and throws away
        // anything it would send in SyncGroup. So: learn the topics, assign nothing.
        const skip = join.skipAssignment === true;
        assignments = await this.assignAsLeader(join.members, partitionCounts, { skip });
      }
      let sync: Awaited<ReturnType<typeof coordinator.request<typeof SyncGroup>>>['response'];
      try {
        ({ response: sync } = await coordinator.request(
          SyncGroup,
          {
            groupId,
            generationId: this.generationId,
            memberId: this.memberId,
            groupInstanceId: this.options.groupInstanceId ?? null,
            protocolType: CONSUMER_PROTOCOL_TYPE,
            protocolName: this.protocolName,
            assignments,
          },
          { timeoutMs: this.options.rebalanceTimeoutMs + 5_000, errorCodeOf: (r) => r.errorCode },
        ));
      } catch (err) {
        lastError = err;
        continue;
      }
      if (sync.errorCode === REBALANCE_IN_PROGRESS) continue;
      if (sync.errorCode === UNKNOWN_MEMBER_ID || sync.errorCode === ILLEGAL_GENERATION) {
        this.resetMembership();
        continue;
      }
      if (sync.errorCode !== 0)
        throw new KafkaProtocolError(sync.errorCode, { api: 'SyncGroup', resource: groupId });
      const partitions =
        sync.assignment.length === 0 ? [] : decodeAssignment(sync.assignment).value.assignedPartitions;
      if (!isLeader) {
        // A follower has not needed these topics' metadata so far: without it every count would look
        // missing, and the consumer's metadata watch would take the first answer for a change and
        // rejoin the group it just joined (a needless rebalance, seconds long).
        const unknown = topics.filter((t) => !this.options.cluster.topics().has(t));
        if (unknown.length > 0) await this.options.cluster.refreshMetadata(unknown).catch(() => undefined);
        for (const t of topics) {
          const info = this.options.cluster.topics().get(t);
          if (info) partitionCounts.set(t, info.partitions.length);
        }
      }
      this.needsRejoin = false;
      this.lostMembership = false;
      this.startHeartbeats();
      return {
        generationId: this.generationId,
        memberId: this.memberId,
        leaderId: this.leaderId,
        protocolName: this.protocolName,
        partitions: partitions.map((tp) => ({ topic: tp.topic, partitions: [...tp.partitions] })),
        partitionCounts,
      };
    }
    throw new KafkaClientError(
      `group ${groupId}: no stable assignment after ${MAX_ROUNDS} JoinGroup/SyncGroup rounds` +
        (lastError instanceof Error ? ` (last error: ${lastError.message})` : ''),
      { retriable: true, cause: lastError },
    );
  }

  /**
   * The leader's job: decode every subscription, run the chosen assignor, encode each assignment.
   * With `skip` (JoinGroup v9+ skipAssignment) only the first part: the topics, no assignment.
   */
  private async assignAsLeader(
    members: { memberId: string; groupInstanceId?: string | null; metadata: Uint8Array }[],
    partitionCounts: Map<string, number>,
    { skip }: { skip: boolean },
  ): Promise<{ memberId: string; assignment: Uint8Array }[]> {
    const assignor = this.options.assignors.find((a) => a.name === this.protocolName);
    if (!assignor) {
      throw new KafkaClientError(
        `group chose protocol ${this.protocolName}, which this member did not offer`,
        {
          retriable: false,
        },
      );
    }
    let version = CONSUMER_PROTOCOL_LATEST_VERSION;
    const subscriptions: MemberSubscription[] = members.map((m) => {
      const decoded = decodeSubscription(m.metadata);
      version = Math.min(version, decoded.version);
      const s = decoded.value;
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? null,
        topics: [...s.topics],
        ownedPartitions: s.ownedPartitions ?? [],
        // v0/v1 subscriptions have no generation field: let the assignor read its userData instead.
        generationId: decoded.readAs >= 2 ? s.generationId : undefined,
        userData: s.userData,
      };
    });
    const allTopics = [...new Set(subscriptions.flatMap((s) => s.topics))];
    await this.options.cluster.refreshMetadata(allTopics);
    const known = this.options.cluster.topics();
    for (const t of allTopics) {
      const info = known.get(t);
      if (info) partitionCounts.set(t, info.partitions.length);
    }
    if (skip) return [];
    const result = assignor.assign({ members: subscriptions, partitionsPerTopic: partitionCounts });
    // Kafka writes assignments at the lowest subscription version in the group, so every member can read them.
    return subscriptions.map((s) => ({
      memberId: s.memberId,
      assignment: encodeAssignment(
        { assignedPartitions: result.get(s.memberId) ?? [], userData: null },
        version,
      ),
    }));
  }

  private resetMembership(): void {
    this.memberId = '';
    this.generationId = -1;
  }

  // ---- heartbeats ----

  startHeartbeats(): void {
    this.stopHeartbeats();
    if (this.stopped) return;
    this.lastHeartbeatOk = Date.now();
    const tick = () => {
      this.heartbeating = this.heartbeatOnce().finally(() => {
        this.heartbeating = undefined;
        if (this.heartbeatTimer !== undefined && !this.stopped) {
          this.heartbeatTimer = setTimeout(tick, this.options.heartbeatIntervalMs);
        }
      });
    };
    this.heartbeatTimer = setTimeout(tick, this.options.heartbeatIntervalMs);
  }

  stopHeartbeats(): void {
    if (this.heartbeatTimer !== undefined) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async heartbeatOnce(): Promise<void> {
    if (!this.inGroup || this.needsRejoin) return;
    try {
      const { response } = await this.options.coordinator.request(
        Heartbeat,
        {
          groupId: this.options.groupId,
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId: this.options.groupInstanceId ?? null,
        },
        { errorCodeOf: (r) => r.errorCode },
      );
      switch (response.errorCode) {
        case 0:
          this.lastHeartbeatOk = Date.now();
          return;
        case REBALANCE_IN_PROGRESS:
          this.lastHeartbeatOk = Date.now();
          this.needsRejoin = true;
          this.options.onRejoinNeeded?.();
          return;
        case UNKNOWN_MEMBER_ID:
        case ILLEGAL_GENERATION:
          // The group moved on without us: what we hold may already be someone else's.
          this.lostMembership = true;
          this.resetMembership();
          this.needsRejoin = true;
          this.options.onRejoinNeeded?.();
          return;
        case FENCED_INSTANCE_ID:
          this.fatal = new KafkaProtocolError(response.errorCode, {
            api: 'Heartbeat',
            resource: this.options.groupId,
          });
          this.needsRejoin = true;
          return;
        default:
          // Anything else (e.g. an injected error): try again at the next tick.
          return;
      }
    } catch {
      // Connection trouble: the coordinator is looked up again on the next tick. If it stays away for a
      // whole session timeout, the coordinator has dropped us: treat the partitions as lost.
      if (Date.now() - this.lastHeartbeatOk > this.options.sessionTimeoutMs) {
        this.lostMembership = true;
        this.resetMembership();
        this.needsRejoin = true;
      }
    }
  }

  /** LeaveGroup (v3+ names members in a list), so the group rebalances now rather than after the session timeout. */
  async leave(): Promise<void> {
    this.stopped = true;
    this.stopHeartbeats();
    await this.heartbeating?.catch(() => undefined);
    if (!this.inGroup || this.options.groupInstanceId) {
      // Static members do not leave: their partitions wait for them (KIP-345).
      return;
    }
    const memberId = this.memberId;
    this.resetMembership();
    try {
      await this.options.coordinator.request(
        LeaveGroup,
        // v3+ (KIP-345) names the leaving members in a list.
        (version) =>
          version >= 3
            ? {
                groupId: this.options.groupId,
                members: [{ memberId, groupInstanceId: null, reason: 'the consumer is being closed' }],
              }
            : { groupId: this.options.groupId, memberId },
        { timeoutMs: 5_000 },
      );
    } catch {
      // Best effort, as in Kafka: the session timeout removes us anyway.
    }
  }
}
