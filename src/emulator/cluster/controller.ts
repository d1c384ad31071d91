/**
 * The controller: for every partition, which brokers hold a replica, which replicas are in sync
 * (ISR), which one leads and at which leader epoch — Kafka's PartitionRegistration, kept by the KRaft
 * quorum controller (ReplicationControlManager). Handlers ask it who leads a partition (Metadata,
 * Produce, Fetch…) and where a new topic's replicas go (CreateTopics, CreatePartitions).
 *
 * Placement is striped over the live brokers by ascending node id, as Kafka's StripedReplicaPlacer
 * does within one rack: partition p's first replica is the (start + p)-th broker, its followers the
 * brokers after it in the ring, so leaders go round robin. Kafka shuffles the broker list and starts
 * at a random broker; the emulator starts at the first, so the same commands give the same leaders
 * (KNOWN-DIFFERENCES.md). The leader is the first replica; the ISR starts as every live replica, and
 * changes when brokers go and come back and when a leader shrinks or expands it (replication.ts:
 * AlterPartition, `alterPartition` here).
 *
 * A partition created without the controller — auto-created by Metadata, the coordinators' internal
 * topics, topics given at start — is registered on first use with the default replication factor:
 * default.replication.factor (1) for a user topic, min(3, live brokers) for an internal one
 * (offsets.topic.replication.factor and transaction.state.log.replication.factor are 3 in Kafka).
 */
import type { Cluster, StateDomain } from '../cluster.js';
import { topicConfigValue } from '../state/configs.js';
import type { PartitionLog } from '../state/partition-log.js';
import type { Topic } from '../state/topics.js';
import type { Broker } from './broker.js';
import { LeaderEpochCache } from './leader-epochs.js';

/** No leader (Metadata's leaderId when every replica is down). */
export const NO_LEADER = -1;

export const UNKNOWN_TOPIC_OR_PARTITION = 3;
export const INVALID_REPLICATION_FACTOR = 38;
export const PREFERRED_LEADER_NOT_AVAILABLE = 80;
export const ELIGIBLE_LEADERS_NOT_AVAILABLE = 83;
export const ELECTION_NOT_NEEDED = 84;
export const INVALID_REPLICA_ASSIGNMENT = 39;

/** One partition's placement and leadership (Kafka's PartitionRegistration). */
export interface PartitionRegistration {
  /** Every broker holding a replica, the preferred leader first. */
  replicas: number[];
  /** In-sync replicas: the replicas on live brokers. */
  isr: number[];
  leader: number;
  /** Bumped at every leader change; clients send it back as currentLeaderEpoch. */
  leaderEpoch: number;
  /**
   * Bumped at every change of the registration — leader, ISR, ELR (PartitionChangeRecord): an ISR
   * shrink or expansion changes it and not the leader epoch. No client API shows it.
   */
  partitionEpoch: number;
  /** Where each leader epoch started (OffsetForLeaderEpoch). */
  epochs: LeaderEpochCache;
  /**
   * Eligible leader replicas (KIP-966, on in Kafka 4.1.1: seen in test/real-kafka/cluster-failover):
   * replicas that left the ISR while it was below min.insync.replicas, still safe to lead once the
   * ISR is empty. lastKnownElr as PartitionChangeBuilder keeps it.
   */
  elr: number[];
  lastKnownElr: number[];
}

/** What an election did to one partition (for the lifecycle's one-line reports and ElectLeaders). */
export interface LeaderChange {
  topic: string;
  partition: number;
  from: number;
  to: number;
  unclean: boolean;
}

/**
 * How a leader is chosen (PartitionChangeBuilder.Election): 'preferred' tries the first replica
 * first; 'online' keeps a live leader or takes the first live ISR replica; 'unclean' may then take a
 * live replica outside the ISR.
 */
export type Election = 'preferred' | 'online' | 'unclean';

export type Placement = { replicas: number[][] } | { errorCode: number; errorMessage: string };

/** Kafka's internal topics take offsets.topic.replication.factor / transaction.state.log.replication.factor (3). */
const INTERNAL_TOPIC_REPLICATION_FACTOR = 3;
/** default.replication.factor */
export const DEFAULT_REPLICATION_FACTOR = 1;

export class Controller implements StateDomain {
  /** By partition log, so a deleted (or deleted and re-created) topic leaves nothing behind. */
  private readonly registrations = new WeakMap<PartitionLog, PartitionRegistration>();

  constructor(private readonly cluster: Cluster) {}

  /** Nothing to drop: registrations are keyed by partition log and go with the topic. */
  topicDeleted(): void {}

  /** The brokers that are up, by ascending node id. */
  liveBrokers(): Broker[] {
    return this.cluster.brokers.filter((b) => b.up);
  }

  broker(nodeId: number): Broker | undefined {
    return this.cluster.brokers.find((b) => b.nodeId === nodeId);
  }

  /**
   * The controller id clients are told (Metadata, DescribeCluster): Kafka's brokers name a random
   * live broker there in KRaft (the real controller is not reachable by clients); the emulator names
   * the first live one.
   */
  controllerId(): number {
    return this.liveBrokers()[0]?.nodeId ?? NO_LEADER;
  }

  /**
   * Replica lists for partitions `first` .. `first + count - 1` at replication factor `rf`, striped
   * over the live brokers; INVALID_REPLICATION_FACTOR with Kafka's text when there are too few.
   */
  place(first: number, count: number, rf: number): Placement {
    const live = this.liveBrokers().map((b) => b.nodeId);
    if (rf > live.length)
      return {
        errorCode: INVALID_REPLICATION_FACTOR,
        errorMessage: `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only ${live.length} broker(s) are registered.`,
      };
    const replicas: number[][] = [];
    for (let p = first; p < first + count; p++) {
      const r: number[] = [];
      for (let j = 0; j < rf; j++) r.push(live[(p + j) % live.length] as number);
      replicas.push(r);
    }
    return { replicas };
  }

  /**
   * Checks a manual assignment (CreateTopics/CreatePartitions `assignments`) as
   * ReplicationControlManager.validateManualPartitionAssignment does; undefined when it is good.
   */
  checkAssignment(
    brokerIds: readonly number[],
    replicationFactor?: number,
  ): { errorCode: number; errorMessage: string } | undefined {
    const bad = (errorMessage: string) => ({ errorCode: INVALID_REPLICA_ASSIGNMENT, errorMessage });
    if (brokerIds.length === 0) return bad('The manual partition assignment includes an empty replica list.');
    const sorted = [...brokerIds].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i++) {
      const id = sorted[i] as number;
      if (!this.broker(id))
        return bad(
          `The manual partition assignment includes broker ${id}, but no such broker is registered.`,
        );
      if (i > 0 && sorted[i - 1] === id)
        return bad(`The manual partition assignment includes the broker ${id} more than once.`);
    }
    if (replicationFactor !== undefined && brokerIds.length !== replicationFactor)
      return bad(
        `The manual partition assignment includes a partition with ${brokerIds.length} replica(s), but this is not consistent with previous partitions, which have ${replicationFactor} replica(s).`,
      );
    return undefined;
  }

  /** Registers partitions `first`.. of `topic` on the given replica lists (the leader is the first). */
  register(topic: Topic, first: number, replicas: readonly (readonly number[])[]): void {
    replicas.forEach((r, i) => {
      const log = topic.partitions[first + i];
      if (!log) return;
      const live = r.filter((id) => this.broker(id)?.up);
      const epochs = new LeaderEpochCache();
      const leader = live[0] ?? NO_LEADER;
      if (leader !== NO_LEADER) epochs.assign(0, log.logEndOffset);
      log.leaderEpoch = 0;
      this.registrations.set(log, {
        replicas: [...r],
        isr: live.length > 0 ? live : [...r],
        leader,
        leaderEpoch: 0,
        partitionEpoch: 0,
        epochs,
        elr: [],
        lastKnownElr: [],
      });
    });
  }

  /** Partition `index` of `topic`, registered now with the default replication factor if it is not yet. */
  partition(topic: Topic, index: number): PartitionRegistration | undefined {
    const log = topic.partitions[index];
    if (!log) return undefined;
    let reg = this.registrations.get(log);
    if (!reg) {
      this.registerDefaults(topic);
      reg = this.registrations.get(log);
    }
    return reg;
  }

  /**
   * A partition as Metadata and DescribeTopicPartitions describe it: leader (-1 when none), epoch,
   * replicas, ISR and the replicas whose broker is down (offlineReplicas).
   */
  describe(
    topic: Topic,
    index: number,
  ): {
    leaderId: number;
    leaderEpoch: number;
    replicaNodes: number[];
    isrNodes: number[];
    offlineReplicas: number[];
  } {
    const reg = this.partition(topic, index);
    if (!reg)
      return { leaderId: NO_LEADER, leaderEpoch: -1, replicaNodes: [], isrNodes: [], offlineReplicas: [] };
    return {
      leaderId: reg.leader,
      leaderEpoch: reg.leaderEpoch,
      replicaNodes: [...reg.replicas],
      isrNodes: [...reg.isr],
      offlineReplicas: reg.replicas.filter((id) => !this.broker(id)?.up),
    };
  }

  /** KIP-966's eligible leader replicas of a partition (DescribeTopicPartitions). */
  eligibleLeaders(topic: Topic, index: number): { eligibleLeaderReplicas: number[]; lastKnownElr: number[] } {
    const reg = this.partition(topic, index);
    return { eligibleLeaderReplicas: [...(reg?.elr ?? [])], lastKnownElr: [...(reg?.lastKnownElr ?? [])] };
  }

  /** The broker leading partition `index` of `topic`, or undefined (no such partition, or no leader). */
  leaderOf(topic: Topic, index: number): Broker | undefined {
    const reg = this.partition(topic, index);
    return reg && reg.leader !== NO_LEADER ? this.broker(reg.leader) : undefined;
  }

  /** The replication factor of a topic (its first partition's replica count). */
  replicationFactor(topic: Topic): number {
    return this.partition(topic, 0)?.replicas.length ?? DEFAULT_REPLICATION_FACTOR;
  }

  /** Every registered partition of every topic, registering the ones not yet registered. */
  private *allPartitions(): Generator<{ topic: Topic; index: number; reg: PartitionRegistration }> {
    for (const topic of this.cluster.topics.list()) {
      for (let index = 0; index < topic.partitions.length; index++) {
        const reg = this.partition(topic, index);
        if (reg) yield { topic, index, reg };
      }
    }
  }

  /** unclean.leader.election.enable of the topic (its config, else the broker's). */
  private uncleanAllowed(topic: Topic): boolean {
    return topicConfigValue(topic, 'unclean.leader.election.enable', this.cluster) === 'true';
  }

  /**
   * The leader an election picks (PartitionChangeBuilder.electLeader): a replica is a valid leader
   * when it is in `isr` and acceptable (its broker is up and not `excluded`). Preferred: the first
   * replica if valid, else the current leader if valid, else the next valid replica. Online: the
   * current leader if valid, else the first valid replica. Unclean, after that: the first acceptable
   * replica outside the ISR. NO_LEADER when none qualifies.
   */
  private chooseLeader(
    reg: PartitionRegistration,
    isr: readonly number[],
    elr: readonly number[],
    election: Election,
    excluded: number,
  ): { leader: number; unclean: boolean } {
    const acceptable = (id: number) => id !== excluded && this.broker(id)?.up === true;
    // KIP-966: with the ISR empty, an eligible leader replica may lead (a clean election).
    const valid = (id: number) =>
      (isr.includes(id) || (isr.length === 0 && elr.includes(id))) && acceptable(id);
    if (election === 'preferred' && reg.replicas[0] !== undefined && valid(reg.replicas[0]))
      return { leader: reg.replicas[0], unclean: false };
    if (reg.leader !== NO_LEADER && valid(reg.leader)) return { leader: reg.leader, unclean: false };
    const clean = reg.replicas.find(valid);
    if (clean !== undefined) return { leader: clean, unclean: false };
    if (election === 'unclean') {
      const any = reg.replicas.find(acceptable);
      if (any !== undefined) return { leader: any, unclean: true };
    }
    return { leader: NO_LEADER, unclean: false };
  }

  /**
   * Applies an election to one partition with a target ISR, as PartitionChangeBuilder.build: a new
   * leader bumps the leader epoch (an ISR change alone does not, since metadata version 3.6); an
   * unclean leader makes the ISR just itself; with ELR off (Kafka 4.1's default) the ISR never goes
   * empty — the last in-sync replica stays in it while the partition has no leader. The new leader
   * records its epoch at the log end offset, and later batches carry it.
   */
  private apply(
    topic: Topic,
    index: number,
    reg: PartitionRegistration,
    targetIsr: number[],
    election: Election,
    excluded: number,
  ): LeaderChange | undefined {
    // PartitionChangeBuilder.maybePopulateTargetElr: below min.insync.replicas, the replicas leaving
    // the ISR join the ELR (a HashSet of ids: ascending); at or above it the ELR empties.
    const minIsr = Number(topicConfigValue(topic, 'min.insync.replicas', this.cluster)) || 1;
    let targetElr: number[] = [];
    let lastKnownElr: number[] = [];
    if (targetIsr.length < minIsr) {
      const candidates = new Set([...reg.elr, ...reg.isr]);
      targetElr = [...candidates].filter((id) => !targetIsr.includes(id)).sort((a, b) => a - b);
      lastKnownElr = [...new Set([...candidates, ...reg.lastKnownElr])]
        .filter((id) => !targetIsr.includes(id) && !targetElr.includes(id))
        .sort((a, b) => a - b);
    }
    const chosen = this.chooseLeader(reg, targetIsr, targetElr, election, excluded);
    if (chosen.leader !== reg.leader && targetElr.includes(chosen.leader)) {
      // Elected from the ELR: it is the ISR now.
      targetIsr = [chosen.leader];
      targetElr = targetElr.filter((id) => id !== chosen.leader);
    }
    // With ELR on the ISR may go empty (Kafka 4.1.1 shows Isr: [] for a partition with no leader).
    const isrEmptied = !chosen.unclean && targetIsr.length === 0 && reg.isr.length > 0;
    const previousLeader = reg.leader;
    const before = JSON.stringify([reg.isr, reg.elr, reg.lastKnownElr, reg.leader]);
    reg.isr = chosen.unclean ? [chosen.leader] : targetIsr;
    reg.elr = chosen.unclean ? [] : targetElr;
    reg.lastKnownElr = chosen.unclean ? [] : lastKnownElr;
    // maybeUpdateLastKnownLeader: the first time the ISR empties, the last leader is remembered;
    // once the partition has a leader again it is forgotten (Kafka 4.1.1 answers so).
    if (isrEmptied && !(reg.lastKnownElr.length === 1 && reg.lastKnownElr[0] === previousLeader))
      reg.lastKnownElr = [previousLeader];
    else if (chosen.leader !== NO_LEADER) reg.lastKnownElr = [];
    if (JSON.stringify([reg.isr, reg.elr, reg.lastKnownElr, chosen.leader]) !== before)
      reg.partitionEpoch += 1;
    if (chosen.leader === reg.leader) return undefined;
    const change = {
      topic: topic.name,
      partition: index,
      from: reg.leader,
      to: chosen.leader,
      unclean: chosen.unclean,
    };
    reg.leader = chosen.leader;
    reg.leaderEpoch += 1;
    const log = topic.partitions[index] as PartitionLog;
    log.leaderEpoch = reg.leaderEpoch;
    if (reg.leader !== NO_LEADER) reg.epochs.assign(reg.leaderEpoch, log.logEndOffset);
    return change;
  }

  /**
   * A broker leaves: controlled shutdown, or fenced after broker.session.timeout.ms without a
   * heartbeat (ReplicationControlManager.generateLeaderAndIsrUpdates with brokerToRemove). It leaves
   * the ISR of every partition, and where it led, the next live in-sync replica leads (unclean when
   * the topic allows it and none is left). Call with the broker still marked up or already down.
   */
  removeBroker(nodeId: number): LeaderChange[] {
    const changes: LeaderChange[] = [];
    for (const { topic, index, reg } of this.allPartitions()) {
      if (!reg.isr.includes(nodeId) && reg.leader !== nodeId) continue;
      const election = this.uncleanAllowed(topic) ? 'unclean' : 'online';
      const change = this.apply(
        topic,
        index,
        reg,
        reg.isr.filter((id) => id !== nodeId),
        election,
        nodeId,
      );
      if (change) changes.push(change);
    }
    return changes;
  }

  /**
   * A broker is back (registered and unfenced). Partitions left without a leader elect again (it may
   * lead one it was the last ISR or an ELR member of, or, where unclean election is allowed, any it
   * holds a replica of). It is not in any other ISR yet: its replicas fetch from their leaders first,
   * and each leader adds it once caught up (replication.ts, AlterPartition).
   */
  addBroker(nodeId: number): LeaderChange[] {
    const changes: LeaderChange[] = [];
    for (const { topic, index, reg } of this.allPartitions()) {
      if (!reg.replicas.includes(nodeId) || reg.leader !== NO_LEADER) continue;
      const election = this.uncleanAllowed(topic) ? 'unclean' : 'online';
      const change = this.apply(topic, index, reg, [...reg.isr], election, NO_LEADER);
      if (change) changes.push(change);
    }
    return changes;
  }

  /**
   * A leader's AlterPartition (ReplicationControlManager.alterPartition): the ISR becomes `isr` — a
   * shrink (followers out of sync for replica.lag.time.max.ms) or an expansion (a follower caught
   * up). Leader and leader epoch stay, the partition epoch goes up; below min.insync.replicas the
   * replicas leaving join the ELR, at or above it the ELR empties (maybePopulateTargetElr).
   */
  alterPartition(topic: Topic, index: number, isr: readonly number[]): void {
    const reg = this.partition(topic, index);
    if (!reg || reg.leader === NO_LEADER || !isr.includes(reg.leader)) return;
    // As the leader sends it: the ISR it had, less the dropped, plus the joining at the end.
    this.apply(topic, index, reg, [...isr], 'online', NO_LEADER);
  }

  /**
   * ElectLeaders for one partition (ReplicationControlManager.electLeader): ELECTION_NOT_NEEDED when
   * a preferred election finds the preferred replica leading, or an unclean one finds any leader;
   * PREFERRED_LEADER_NOT_AVAILABLE / ELIGIBLE_LEADERS_NOT_AVAILABLE when the election would change
   * nothing.
   */
  elect(
    topic: Topic,
    index: number,
    type: 'preferred' | 'unclean',
  ): { errorCode: number; change?: LeaderChange } {
    const reg = this.partition(topic, index);
    if (!reg) return { errorCode: UNKNOWN_TOPIC_OR_PARTITION };
    if (type === 'preferred' ? reg.leader === reg.replicas[0] : reg.leader !== NO_LEADER)
      return { errorCode: ELECTION_NOT_NEEDED };
    const change = this.apply(topic, index, reg, [...reg.isr], type, NO_LEADER);
    if (!change)
      return {
        errorCode: type === 'preferred' ? PREFERRED_LEADER_NOT_AVAILABLE : ELIGIBLE_LEADERS_NOT_AVAILABLE,
      };
    return { errorCode: 0, change };
  }

  /**
   * unclean.leader.election.enable was turned on (topic or broker config): leaderless partitions of
   * the topics that now allow it take a live out-of-ISR replica (Kafka's controller does this on its
   * periodic unclean-election check).
   */
  electUncleanWhereAllowed(): LeaderChange[] {
    const changes: LeaderChange[] = [];
    for (const { topic, index, reg } of this.allPartitions()) {
      if (reg.leader !== NO_LEADER || !this.uncleanAllowed(topic)) continue;
      const change = this.apply(topic, index, reg, [...reg.isr], 'unclean', NO_LEADER);
      if (change) changes.push(change);
    }
    return changes;
  }

  /** Every partition of `topic` that has no registration yet, placed with the default replication factor. */
  private registerDefaults(topic: Topic): void {
    const live = this.liveBrokers().length;
    const rf = Math.max(
      1,
      Math.min(live, topic.isInternal ? INTERNAL_TOPIC_REPLICATION_FACTOR : DEFAULT_REPLICATION_FACTOR),
    );
    topic.partitions.forEach((log, p) => {
      if (this.registrations.has(log)) return;
      const placed = this.place(p, 1, rf);
      this.register(topic, p, 'replicas' in placed ? placed.replicas : [[this.cluster.broker.nodeId]]);
    });
  }
}

export function controllerOf(cluster: Cluster): Controller {
  return cluster.domain('controller', (c) => new Controller(c));
}
