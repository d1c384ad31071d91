/**
 * The classic group state machine, Empty → PreparingRebalance → CompletingRebalance → Stable
 * (→ Dead when deleted), as Kafka's GroupMetadataManager drives it: starting a rebalance, the
 * initial rebalance delay, completing the join phase (generation bump, leader, protocol vote),
 * the pending-sync deadline, and taking members out.
 *
 * The machine also owns what every request handler of the coordinator shares: the clock, the
 * broker settings, the groups by id, and whether the coordinator has stopped.
 */
import type { Clock } from '../../clock.js';
import type { ClassicGroup } from './classic-group.js';
import type { Member } from './member.js';
import { scheduleHeartbeat } from './session.js';
import {
  GroupErrors as E,
  EMPTY_BYTES,
  type GroupConfig,
  type GroupState,
  type GroupTransition,
  type JoinGroupResult,
  joinError,
  syncError,
} from './types.js';

export class GroupStateMachine {
  readonly groups = new Map<string, ClassicGroup>();
  stopped = false;
  /** Told about every state change; the state machine never depends on it. */
  onTransition?: (t: GroupTransition) => void;

  constructor(
    readonly clock: Clock,
    readonly config: GroupConfig,
  ) {}

  setState(group: ClassicGroup, to: GroupState): void {
    const from = group.state;
    group.state = to;
    if (from !== to) group.stateTimestamp = this.clock.now();
    if (from === to || !this.onTransition) return;
    this.onTransition({
      groupId: group.groupId,
      from,
      to,
      generationId: group.generationId,
      leaderId: group.leaderId,
      memberIds: [...group.members.keys()],
    });
  }

  maybePrepareRebalance(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(group);
    else if (group.state !== 'Dead') this.prepareRebalance(group);
  }

  prepareRebalance(group: ClassicGroup): void {
    if (group.state === 'CompletingRebalance') {
      // The assignment being synced is stale now: members waiting in SyncGroup must rejoin.
      for (const m of group.members.values()) {
        m.assignment = EMPTY_BYTES;
        m.syncWaiter?.(syncError(E.REBALANCE_IN_PROGRESS));
        m.syncWaiter = undefined;
      }
    }
    group.syncTimer?.cancel();
    group.syncTimer = undefined;
    group.pendingSync.clear();
    group.joinTimer?.cancel();

    const initialDelay = Math.min(this.config.initialRebalanceDelayMs, group.rebalanceTimeoutMs());
    const fromEmpty = group.state === 'Empty';
    this.setState(group, 'PreparingRebalance');
    if (fromEmpty && initialDelay > 0) {
      this.scheduleInitialDelay(group, initialDelay, group.rebalanceTimeoutMs() - initialDelay);
    } else {
      group.inInitialDelay = false;
      group.joinTimer = this.clock.schedule(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      this.maybeCompleteJoin(group);
    }
  }

  /**
   * group.initial.rebalance.delay.ms: a new group waits so that consumers starting together land in
   * one generation; each newcomer during the wait extends it, up to the rebalance timeout.
   */
  private scheduleInitialDelay(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.inInitialDelay = true;
    const membersAtStart = group.members.size;
    group.joinTimer = this.clock.schedule(delayMs, () => {
      if (group.members.size > membersAtStart && remainingMs > 0) {
        const next = Math.min(delayMs, remainingMs);
        this.scheduleInitialDelay(group, next, remainingMs - next);
        return;
      }
      group.inInitialDelay = false;
      this.completeJoin(group);
    });
  }

  maybeCompleteJoin(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance' && !group.inInitialDelay && group.hasAllMembersJoined()) {
      this.completeJoin(group);
    }
  }

  /** End of the join phase: drop who did not rejoin, bump the generation, answer every parked join. */
  private completeJoin(group: ClassicGroup): void {
    if (group.state !== 'PreparingRebalance') return;
    group.joinTimer?.cancel();
    group.joinTimer = undefined;
    group.inInitialDelay = false;
    // Dynamic members that did not rejoin are gone; static ones stay in the next generation (KIP-345:
    // a restarting instance keeps its place) until their session times out or they miss SyncGroup.
    for (const m of [...group.members.values()]) {
      if (!m.joinWaiter && m.groupInstanceId === null) this.removeMember(group, m);
    }
    if (group.members.size > 0 && !this.electJoinedLeader(group)) {
      // Nobody rejoined (only static members that are silent): wait another rebalance timeout, by
      // when their sessions have expired (Kafka's completeClassicGroupJoin).
      group.joinTimer = this.clock.schedule(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      return;
    }
    group.generationId++;
    if (group.members.size === 0) {
      group.protocolName = null;
      this.setState(group, 'Empty');
      return;
    }
    group.protocolName = this.selectProtocol(group);
    this.setState(group, 'CompletingRebalance');
    for (const m of group.members.values()) {
      group.pendingSync.add(m.memberId);
      this.completeMemberJoin(group, m);
    }
    // Members that never send SyncGroup are removed after the rebalance timeout (Kafka's pending sync).
    group.syncTimer = this.clock.schedule(group.rebalanceTimeoutMs(), () => this.expirePendingSync(group));
  }

  /**
   * The leader must be a member that rejoined: keep it if it did, else the first one that did
   * (ClassicGroup.maybeElectNewJoinedLeader). False when no member rejoined.
   */
  private electJoinedLeader(group: ClassicGroup): boolean {
    const leader = group.leaderId === null ? undefined : group.members.get(group.leaderId);
    if (leader?.joinWaiter) return true;
    for (const m of group.members.values()) {
      if (m.joinWaiter) {
        group.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  private completeMemberJoin(group: ClassicGroup, m: Member): void {
    const result = this.joinResultFor(group, m);
    const resolve = m.joinWaiter;
    m.joinWaiter = undefined;
    scheduleHeartbeat(this, group, m);
    resolve?.(result);
  }

  joinResultFor(group: ClassicGroup, m: Member): JoinGroupResult {
    const isLeader = group.leaderId === m.memberId;
    return {
      errorCode: E.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId: m.memberId,
      members: isLeader
        ? [...group.members.values()].map((x) => ({
            memberId: x.memberId,
            groupInstanceId: x.groupInstanceId,
            metadata: x.metadataFor(group.protocolName),
          }))
        : [],
    };
  }

  /**
   * Kafka's vote: of the protocols every member supports, each member votes for the first one in its
   * own preference order; most votes wins. Ties go to the candidate the earliest-joined member prefers.
   */
  selectProtocol(group: ClassicGroup): string {
    const candidates = group.commonProtocols() ?? new Set<string>();
    const votes = new Map<string, number>();
    for (const m of group.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    const first = group.members.values().next().value!;
    for (const p of first.protocols) {
      const v = votes.get(p.name) ?? (candidates.has(p.name) ? 0 : -1);
      if (v > bestVotes) {
        best = p.name;
        bestVotes = v;
      }
    }
    return best;
  }

  private expirePendingSync(group: ClassicGroup): void {
    group.syncTimer = undefined;
    if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return;
    if (group.pendingSync.size === 0) return;
    for (const id of [...group.pendingSync]) {
      const m = group.members.get(id);
      if (m) this.removeMember(group, m);
    }
    group.pendingSync.clear();
    this.prepareRebalance(group);
  }

  /** Parks a member's JoinGroup until the join phase completes. */
  parkJoin(member: Member): Promise<JoinGroupResult> {
    // A second JoinGroup from the same member supersedes the first, which gets told to rejoin.
    member.joinWaiter?.(joinError(E.REBALANCE_IN_PROGRESS, member.memberId));
    return new Promise((resolve) => {
      member.joinWaiter = resolve;
    });
  }

  /** Takes a member out and settles anything it still waits for; the caller updates the group state. */
  removeMember(group: ClassicGroup, m: Member): void {
    m.heartbeatTimer?.cancel();
    m.joinWaiter?.(joinError(E.UNKNOWN_MEMBER_ID, m.memberId));
    m.joinWaiter = undefined;
    m.syncWaiter?.(syncError(E.UNKNOWN_MEMBER_ID));
    m.syncWaiter = undefined;
    group.members.delete(m.memberId);
    if (m.groupInstanceId !== null && group.staticMembers.get(m.groupInstanceId) === m.memberId) {
      group.staticMembers.delete(m.groupInstanceId);
    }
    group.pendingSync.delete(m.memberId);
    if (group.leaderId === m.memberId) {
      group.leaderId = group.members.size > 0 ? group.members.keys().next().value! : null;
    }
  }

  /** A member left or died: a settled group rebalances, a rebalancing one may now be complete. */
  removeMemberAndUpdateGroup(group: ClassicGroup, m: Member): void {
    this.removeMember(group, m);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance(group);
        break;
      case 'PreparingRebalance':
        this.maybeCompleteJoin(group);
        break;
      default:
        break;
    }
  }
}
