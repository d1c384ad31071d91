/**
 * Group administration, next to the consumer that knows the group protocol: listGroups (with state
 * and type filters), describeGroups (members with their subscriptions and assignments decoded from
 * the consumer protocol's bytes), describeGroup for either protocol (KIP-848 consumer groups through
 * ConsumerGroupDescribe, with member epochs and target assignments), deleteGroups, committed offsets
 * and lag per partition, altering offsets from outside the group and OffsetDelete — what
 * kafka-consumer-groups shows and does.
 */
import { decodeAssignment, decodeSubscription } from '../protocol/messages/consumer-protocol.js';
import {
  ConsumerGroupDescribe,
  DeleteGroups,
  DescribeGroups,
  ListGroups,
  OffsetDelete,
  OffsetFetch,
} from '../protocol/messages/index.js';
import type { TopicPartitions } from './assignors/index.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import { Coordinator, type CoordinatorNode, findCoordinator } from './consumer/coordinator.js';
import { commitOffsets, fetchCommittedOffsets, LATEST_TIMESTAMP, listOffsets } from './consumer/offsets.js';
import { type TopicPartition, type TopicPartitionOffset, tpKey } from './consumer/types.js';
import { KafkaClientError, KafkaProtocolError, UnsupportedVersionError } from './errors.js';

/** GROUP_ID_NOT_FOUND: ConsumerGroupDescribe's answer for a group that is not a consumer group. */
const GROUP_ID_NOT_FOUND = 69;

export interface GroupAdminOptions {
  cluster?: Cluster;
  bootstrap?: ClusterOptions['bootstrap'];
  clientId?: string;
  requestTimeoutMs?: number;
  /** security.protocol, TLS and SASL (see ClientSecurity). */
  security?: ClusterOptions['security'];
}

export interface GroupListing {
  groupId: string;
  /** `consumer` for Kafka consumers; empty for groups that only hold offsets (assign-mode commits). */
  protocolType: string;
  /** Stable, Empty, PreparingRebalance, ... (when the broker reports it: ListGroups v4+). */
  state: string | null;
  /** `classic` or `consumer` (KIP-848), when the broker reports it (ListGroups v5+). */
  type: string | null;
}

/** A member of either kind of group, as kafka-consumer-groups describes it. */
export interface GroupMemberInfo {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  host: string;
  /** What the member owns now. */
  assignment: TopicPartition[];
  /** Consumer protocol only: the member's epoch and where the coordinator wants it to get. */
  memberEpoch: number | null;
  targetAssignment: TopicPartition[] | null;
  /**
   * Consumer groups only (KIP-848's online migration; Admin's MemberDescription.upgraded): true for a
   * member speaking the consumer protocol, false for a classic-protocol member inside the consumer
   * group, null when the broker does not say (ConsumerGroupDescribe v0, memberType -1) or the group
   * is classic.
   */
  upgraded: boolean | null;
}

/** A group of either protocol: the classic one (DescribeGroups) or KIP-848's (ConsumerGroupDescribe). */
export interface GroupInfo {
  groupId: string;
  type: 'classic' | 'consumer';
  state: string;
  /** The classic group's chosen protocol (`range`, ...) or the consumer group's server-side assignor. */
  assignor: string;
  coordinator: CoordinatorNode;
  /** Consumer protocol only. */
  groupEpoch: number | null;
  assignmentEpoch: number | null;
  members: GroupMemberInfo[];
}

export interface CommittedOffset extends TopicPartitionOffset {
  /** -1 when the committer sent none. */
  leaderEpoch: number;
}

export interface OffsetDeleteResult {
  /** The group-level error code (0 when the request was taken). */
  errorCode: number;
  partitions: { topic: string; partition: number; errorCode: number }[];
}

export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Decoded when the group's protocolType is `consumer`. */
  subscription: { version: number; topics: string[]; ownedPartitions: TopicPartitions[] } | null;
  assignment: TopicPartitions[] | null;
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  /** The assignor the group chose (`range`, `roundrobin`, ...). */
  protocol: string;
  members: GroupMemberDescription[];
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Committed offset, null when the group has none for the partition. */
  currentOffset: bigint | null;
  logEndOffset: bigint;
  /** logEndOffset − currentOffset; null without a commit. */
  lag: bigint | null;
  /** The member the partition is assigned to, if any. */
  memberId: string | null;
  host: string | null;
  clientId: string | null;
}

export class GroupAdmin {
  readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly clientId: string;

  constructor(options: GroupAdminOptions) {
    this.clientId = options.clientId ?? 'kafkalab-admin';
    if (options.cluster) {
      this.cluster = options.cluster;
      this.ownsCluster = false;
    } else {
      if (!options.bootstrap) {
        throw new KafkaClientError('a group admin needs bootstrap servers or a cluster', {
          retriable: false,
        });
      }
      this.cluster = new Cluster({
        bootstrap: options.bootstrap,
        clientId: this.clientId,
        requestTimeoutMs: options.requestTimeoutMs,
        allowAutoTopicCreation: false,
        security: options.security,
      });
      this.ownsCluster = true;
    }
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }

  /**
   * Every group on every broker (each broker lists the groups it coordinates). States and types
   * filter on the broker (ListGroups v4+ / v5+), compared case-insensitively as Kafka does.
   */
  async listGroups(filter: { states?: string[]; types?: string[] } = {}): Promise<GroupListing[]> {
    await this.cluster.refreshMetadata();
    const states = filter.states ?? [];
    const types = filter.types ?? [];
    const out: GroupListing[] = [];
    for (const nodeId of [...this.cluster.brokers.keys()].sort((a, b) => a - b)) {
      const body = await this.cluster.withRetries(() =>
        this.cluster.requestTo(
          nodeId,
          ListGroups,
          { statesFilter: states, typesFilter: types },
          { minVersion: types.length > 0 ? 5 : states.length > 0 ? 4 : 0 },
        ),
      );
      if (body.errorCode !== 0) throw new KafkaProtocolError(body.errorCode, { api: 'ListGroups' });
      for (const g of body.groups) {
        out.push({
          groupId: g.groupId,
          protocolType: g.protocolType,
          state: g.groupState ?? null,
          type: g.groupType ?? null,
        });
      }
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    return Promise.all(groupIds.map((g) => this.describeClassic(g)));
  }

  private async describeClassic(groupId: string): Promise<GroupDescription> {
    return this.withCoordinator(groupId, async (coordinator) => {
      const { response } = await coordinator.request(
        DescribeGroups,
        { groups: [groupId], includeAuthorizedOperations: false },
        // v6 (KIP-1043) answers an unknown group with GROUP_ID_NOT_FOUND where v0-5 describe it as
        // Dead; stay at v5 so that describing a group reads the same from every broker.
        { errorCodeOf: (r) => r.groups[0]?.errorCode ?? 0, maxVersion: 5 },
      );
      const g = response.groups.find((x) => x.groupId === groupId);
      if (!g) throw new KafkaProtocolError(69, { api: 'DescribeGroups', resource: groupId });
      if (g.errorCode !== 0)
        throw new KafkaProtocolError(g.errorCode, { api: 'DescribeGroups', resource: groupId });
      const consumer = g.protocolType === 'consumer';
      return {
        groupId,
        state: g.groupState,
        protocolType: g.protocolType,
        protocol: g.protocolData,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId ?? null,
          clientId: m.clientId,
          clientHost: m.clientHost,
          subscription:
            consumer && m.memberMetadata.length > 0
              ? (() => {
                  const s = decodeSubscription(m.memberMetadata);
                  return {
                    version: s.version,
                    topics: [...s.value.topics],
                    ownedPartitions: s.value.ownedPartitions ?? [],
                  };
                })()
              : null,
          assignment:
            consumer && m.memberAssignment.length > 0
              ? decodeAssignment(m.memberAssignment).value.assignedPartitions.map((tp) => ({
                  topic: tp.topic,
                  partitions: [...tp.partitions],
                }))
              : null,
        })),
      };
    });
  }

  /** DeleteGroups at each group's coordinator; a group with members fails with NON_EMPTY_GROUP. */
  async deleteGroups(groupIds: string[]): Promise<{ groupId: string; error: KafkaProtocolError | null }[]> {
    return Promise.all(
      groupIds.map((groupId) =>
        this.withCoordinator(groupId, async (coordinator) => {
          const { response } = await coordinator.request(
            DeleteGroups,
            { groupsNames: [groupId] },
            { errorCodeOf: (r) => r.results[0]?.errorCode ?? 0 },
          );
          const code = response.results.find((r) => r.groupId === groupId)?.errorCode ?? 0;
          return {
            groupId,
            error:
              code === 0 ? null : new KafkaProtocolError(code, { api: 'DeleteGroups', resource: groupId }),
          };
        }),
      ),
    );
  }

  /**
   * Committed offset, log end offset and lag for every partition the group has committed or has
   * assigned, with the owning member — kafka-consumer-groups --describe.
   */
  async describeLag(groupId: string): Promise<PartitionLag[]> {
    const [description, committed] = await Promise.all([
      this.describeClassic(groupId),
      this.withCoordinator(groupId, (c) => fetchCommittedOffsets(c, groupId, undefined)),
    ]);
    const owner = new Map<string, GroupMemberDescription>();
    for (const m of description.members) {
      for (const tp of m.assignment ?? []) for (const p of tp.partitions) owner.set(tpKey(tp.topic, p), m);
    }
    const partitions = new Map<string, { topic: string; partition: number }>();
    for (const c of committed.values())
      partitions.set(tpKey(c.topic, c.partition), { topic: c.topic, partition: c.partition });
    for (const m of description.members) {
      for (const tp of m.assignment ?? []) {
        for (const p of tp.partitions) partitions.set(tpKey(tp.topic, p), { topic: tp.topic, partition: p });
      }
    }
    const ends = await listOffsets(this.cluster, [...partitions.values()], LATEST_TIMESTAMP);
    return [...partitions.entries()]
      .map(([key, { topic, partition }]) => {
        const current = committed.get(key)?.offset ?? null;
        const end = ends.get(key) ?? -1n;
        const m = owner.get(key);
        return {
          topic,
          partition,
          currentOffset: current,
          logEndOffset: end,
          lag: current === null ? null : end - current,
          memberId: m?.memberId ?? null,
          host: m?.clientHost ?? null,
          clientId: m?.clientId ?? null,
        };
      })
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  /**
   * A group of either protocol, or null when the coordinator knows no such group. KIP-848 consumer
   * groups answer ConsumerGroupDescribe; a classic group (or a broker without that API) is asked
   * with DescribeGroups, as Java's Admin.describeConsumerGroups falls back.
   */
  async describeGroup(groupId: string): Promise<GroupInfo | null> {
    const coordinator = await findCoordinator(this.cluster, groupId, 0);
    const modern = await this.withCoordinator(groupId, async (c) => {
      try {
        const { response } = await c.request(
          ConsumerGroupDescribe,
          { groupIds: [groupId], includeAuthorizedOperations: false },
          { errorCodeOf: (r) => r.groups[0]?.errorCode ?? 0 },
        );
        return response.groups.find((g) => g.groupId === groupId) ?? null;
      } catch (err) {
        if (err instanceof UnsupportedVersionError) return null;
        throw err;
      }
    });
    if (modern && modern.errorCode === 0) {
      const tps = (a: { topicPartitions: { topicName: string; partitions: number[] }[] }) =>
        a.topicPartitions.flatMap((t) =>
          t.partitions.map((partition) => ({ topic: t.topicName, partition })),
        );
      return {
        groupId,
        type: 'consumer',
        state: modern.groupState,
        assignor: modern.assignorName,
        coordinator,
        groupEpoch: modern.groupEpoch,
        assignmentEpoch: modern.assignmentEpoch,
        members: modern.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.instanceId ?? null,
          clientId: m.clientId,
          host: m.clientHost,
          assignment: tps(m.assignment),
          memberEpoch: m.memberEpoch,
          targetAssignment: tps(m.targetAssignment),
          // ConsumerGroupDescribe v1's memberType: 1 consumer, 0 classic, -1 unknown.
          upgraded: m.memberType === 1 ? true : m.memberType === 0 ? false : null,
        })),
      };
    }
    if (modern && modern.errorCode !== GROUP_ID_NOT_FOUND) {
      throw new KafkaProtocolError(
        modern.errorCode,
        { api: 'ConsumerGroupDescribe', resource: groupId },
        modern.errorMessage ?? null,
      );
    }
    const classic = await this.describeClassic(groupId);
    if (classic.state === 'Dead') return null;
    return {
      groupId,
      type: 'classic',
      state: classic.state,
      assignor: classic.protocol,
      coordinator,
      groupEpoch: null,
      assignmentEpoch: null,
      members: classic.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: (m.assignment ?? []).flatMap((tp) =>
          tp.partitions.map((partition) => ({ topic: tp.topic, partition })),
        ),
        memberEpoch: null,
        targetAssignment: null,
        upgraded: null,
      })),
    };
  }

  /**
   * Every committed offset of the group (OffsetFetch v2+ for all partitions), with the leader epoch
   * the committer gave (-1 when none) — kafka-consumer-groups --describe --verbose shows it.
   */
  async committedOffsets(groupId: string): Promise<Map<string, CommittedOffset>> {
    const { response, version } = await this.withCoordinator(groupId, (c) =>
      c.request(
        OffsetFetch,
        (v) =>
          v >= 8
            ? { groups: [{ groupId, memberId: null, memberEpoch: -1, topics: null }], requireStable: false }
            : { groupId, topics: null, requireStable: false },
        {
          minVersion: 2,
          errorCodeOf: (r) => (r.groups?.[0]?.errorCode ?? 0) || (r.errorCode ?? 0),
        },
      ),
    );
    const group = version >= 8 ? response.groups.find((g) => g.groupId === groupId) : response;
    if (!group) throw new KafkaProtocolError(16, { api: 'OffsetFetch', resource: groupId });
    if (group.errorCode)
      throw new KafkaProtocolError(group.errorCode, { api: 'OffsetFetch', resource: groupId });
    const out = new Map<string, CommittedOffset>();
    for (const t of group.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0 || p.committedOffset < 0n) continue;
        out.set(tpKey(t.name, p.partitionIndex), {
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch ?? -1,
        });
      }
    }
    return out;
  }

  /**
   * Commits offsets from outside the group (generation -1, no member id), as Java's
   * Admin.alterConsumerGroupOffsets: the coordinator takes it only while the group has no members.
   */
  async alterOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.withCoordinator(groupId, (c) =>
      commitOffsets(c, { groupId, generationId: -1, memberId: '', offsets }),
    );
  }

  /**
   * OffsetDelete (KIP-496): forgets the group's committed offsets of these partitions. The group-level
   * code and one code per partition come back as the broker gave them (GROUP_SUBSCRIBED_TO_TOPIC
   * while a member is subscribed to the topic, UNKNOWN_TOPIC_OR_PARTITION, ...).
   */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<OffsetDeleteResult> {
    const byTopic = new Map<string, number[]>();
    for (const tp of partitions) {
      const list = byTopic.get(tp.topic) ?? [];
      if (!list.includes(tp.partition)) list.push(tp.partition);
      byTopic.set(tp.topic, list);
    }
    const { response } = await this.withCoordinator(groupId, (c) =>
      c.request(
        OffsetDelete,
        {
          groupId,
          topics: [...byTopic].map(([name, ps]) => ({
            name,
            partitions: ps.map((partitionIndex) => ({ partitionIndex })),
          })),
        },
        { errorCodeOf: (r) => r.errorCode },
      ),
    );
    return {
      errorCode: response.errorCode,
      partitions: response.topics.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode })),
      ),
    };
  }

  /** The partitions of each named topic that exists (Metadata for all topics); unknown names absent. */
  async topicPartitions(topics: readonly string[]): Promise<Map<string, number[]>> {
    const all = await this.cluster.fetchAllTopics();
    const out = new Map<string, number[]>();
    for (const name of topics) {
      const t = all.find((x) => x.name === name);
      if (t)
        out.set(
          name,
          t.partitions.map((p) => p.partition).sort((a, b) => a - b),
        );
    }
    return out;
  }

  /** ListOffsets at each partition's leader: EARLIEST (-2), LATEST (-1) or a timestamp in ms. */
  offsetsAt(partitions: readonly TopicPartition[], timestamp: bigint): Promise<Map<string, bigint>> {
    return listOffsets(this.cluster, partitions, timestamp);
  }

  private async withCoordinator<T>(groupId: string, fn: (c: Coordinator) => Promise<T>): Promise<T> {
    const coordinator = new Coordinator(this.cluster, groupId, this.clientId);
    try {
      return await fn(coordinator);
    } finally {
      await coordinator.close();
    }
  }
}
