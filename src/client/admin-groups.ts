/**
 * Group administration, next to the consumer that knows the group protocol: listGroups,
 * describeGroups (members with their subscriptions and assignments decoded from the consumer
 * protocol's bytes), deleteGroups, committed offsets and lag per partition — what
 * kafka-consumer-groups shows.
 */
import { decodeAssignment, decodeSubscription } from '../protocol/messages/consumer-protocol.js';
import { DeleteGroups, DescribeGroups, ListGroups } from '../protocol/messages/index.js';
import type { TopicPartitions } from './assignors/index.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import { Coordinator } from './consumer/coordinator.js';
import { fetchCommittedOffsets, LATEST_TIMESTAMP, listOffsets } from './consumer/offsets.js';
import { tpKey } from './consumer/types.js';
import { KafkaClientError, KafkaProtocolError } from './errors.js';

export interface GroupAdminOptions {
  cluster?: Cluster;
  bootstrap?: ClusterOptions['bootstrap'];
  clientId?: string;
  requestTimeoutMs?: number;
}

export interface GroupListing {
  groupId: string;
  /** `consumer` for Kafka consumers; empty for groups that only hold offsets (assign-mode commits). */
  protocolType: string;
  /** Stable, Empty, PreparingRebalance, ... (when the broker reports it: ListGroups v4+). */
  state: string | null;
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
      });
      this.ownsCluster = true;
    }
  }

  async close(): Promise<void> {
    if (this.ownsCluster) await this.cluster.close();
  }

  /** Every group on every broker (each broker lists the groups it coordinates). */
  async listGroups(): Promise<GroupListing[]> {
    await this.cluster.refreshMetadata();
    const out: GroupListing[] = [];
    for (const nodeId of [...this.cluster.brokers.keys()].sort((a, b) => a - b)) {
      const body = await this.cluster.withRetries(() =>
        this.cluster.requestTo(nodeId, ListGroups, { statesFilter: [], typesFilter: [] }),
      );
      if (body.errorCode !== 0) throw new KafkaProtocolError(body.errorCode, { api: 'ListGroups' });
      for (const g of body.groups) {
        out.push({ groupId: g.groupId, protocolType: g.protocolType, state: g.groupState ?? null });
      }
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    return Promise.all(groupIds.map((g) => this.describeGroup(g)));
  }

  private async describeGroup(groupId: string): Promise<GroupDescription> {
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
      this.describeGroup(groupId),
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

  private async withCoordinator<T>(groupId: string, fn: (c: Coordinator) => Promise<T>): Promise<T> {
    const coordinator = new Coordinator(this.cluster, groupId, this.clientId);
    try {
      return await fn(coordinator);
    } finally {
      await coordinator.close();
    }
  }
}
