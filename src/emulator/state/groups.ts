/**
 * Classic consumer groups (the JoinGroup/SyncGroup protocol, not KIP-848): membership, the state
 * machine Empty → PreparingRebalance → CompletingRebalance → Stable (→ Dead when deleted),
 * generations, leader election, the protocol vote, session/rebalance timeouts, static membership
 * (KIP-345), and the membership half of OffsetCommit's acceptance rules.
 *
 * The shape follows Apache Kafka's group coordinator (`GroupMetadataManager`, `ClassicGroup`); the
 * error codes are the ones in broker-behaviour.md §1.10 and rows 43-57 of its conformance table.
 * Nothing here knows bytes or API versions: handlers translate a request into these calls.
 *
 * Waits are parked promises owned by the group: a JoinGroup resolves when the join phase completes,
 * a SyncGroup when the leader hands in the assignment. Timers come from an injectable Clock so tests
 * advance time instead of sleeping; stop() cancels every timer and settles every parked wait.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock, type Timer } from '../clock.js';
import type { Cluster } from '../cluster.js';
import { OffsetStore, type TopicCommit, type TopicCommitResult } from './offsets.js';

// The clock lives with the cluster now (clock.ts); these names stay importable from here.
export { type Clock, ManualClock, systemClock, type Timer } from '../clock.js';

// Kafka's codes (org.apache.kafka.common.protocol.Errors) for the outcomes this module decides.
export const GroupErrors = {
  NONE: 0,
  COORDINATOR_NOT_AVAILABLE: 15,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
} as const;

const E = GroupErrors;

// ---------------------------------------------------------------------------------------------------
// Configuration

export interface GroupConfig {
  /** group.min.session.timeout.ms */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms (Kafka 3000; the emulator 0 so a test's first join is instant). */
  initialRebalanceDelayMs: number;
  /** group.max.size */
  maxSize: number;
}

export const DEFAULT_GROUP_CONFIG: GroupConfig = {
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 0,
  maxSize: 2_147_483_647,
};

// ---------------------------------------------------------------------------------------------------
// Requests and results (plain values; handlers map them to and from the wire)

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';
export const GROUP_STATES: readonly GroupState[] = [
  'Empty',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
];

export interface MemberProtocol {
  name: string;
  metadata: Uint8Array;
}

export interface JoinGroupArgs {
  groupId: string;
  /** '' for a member that does not have an id yet. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: readonly MemberProtocol[];
  /** JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its id (KIP-394). */
  requireKnownMemberId: boolean;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  /** KIP-814: a static leader rejoining a Stable group must not compute a new assignment. */
  skipAssignment: boolean;
  memberId: string;
  /** Filled for the leader only: every member's metadata for the chosen protocol. */
  members: { memberId: string; groupInstanceId: string | null; metadata: Uint8Array }[];
}

export interface SyncGroupArgs {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+; null when the client did not send it. */
  protocolType: string | null;
  protocolName: string | null;
  assignments: readonly { memberId: string; assignment: Uint8Array }[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Uint8Array;
}

export interface HeartbeatArgs {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupResult {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The member's metadata for the chosen protocol, only while Stable (Kafka's GroupSummary). */
  memberMetadata: Uint8Array;
  memberAssignment: Uint8Array;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: GroupState;
  protocolType: string;
  /** The chosen protocol's name while Stable, '' otherwise. */
  protocolData: string;
  members: DescribedMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
  groupType: 'classic';
}

export interface OffsetCommitArgs {
  groupId: string;
  /** -1 for a simple/admin commit (and OffsetCommit v0, which has no generation). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v9+ answers GROUP_ID_NOT_FOUND where older versions answer ILLEGAL_GENERATION. */
  groupIdNotFoundSupported: boolean;
  topics: readonly TopicCommit[];
  partitionExists?: (topic: string, partition: number) => boolean;
}

const EMPTY_BYTES = new Uint8Array(0);

// ---------------------------------------------------------------------------------------------------
// The group and its members

class Member {
  memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: readonly MemberProtocol[];
  assignment: Uint8Array = EMPTY_BYTES;
  /** Set while a JoinGroup is parked for this member. */
  joinWaiter?: (result: JoinGroupResult) => void;
  /** Set while a SyncGroup is parked for this member. */
  syncWaiter?: (result: SyncGroupResult) => void;
  heartbeatTimer?: Timer;

  constructor(memberId: string, a: JoinGroupArgs) {
    this.memberId = memberId;
    this.groupInstanceId = a.groupInstanceId;
    this.clientId = a.clientId;
    this.clientHost = a.clientHost;
    this.sessionTimeoutMs = a.sessionTimeoutMs;
    this.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
    this.protocolType = a.protocolType;
    this.protocols = a.protocols;
  }

  metadataFor(protocol: string | null): Uint8Array {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY_BYTES;
  }

  sameProtocols(protocols: readonly MemberProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && bytesEqual(p.metadata, this.protocols[i].metadata),
      )
    );
  }
}

class ClassicGroup {
  readonly groupId: string;
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** In join order: Kafka's leader fallback is the first remaining member. */
  readonly members = new Map<string, Member>();
  /** Ids handed out with MEMBER_ID_REQUIRED, each expiring after the session timeout. */
  readonly pendingMembers = new Map<string, Timer>();
  /** group.instance.id → current member id. */
  readonly staticMembers = new Map<string, string>();
  /** Members that completed the join phase but have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  joinTimer?: Timer;
  syncTimer?: Timer;
  /** True while the group waits out group.initial.rebalance.delay.ms: early completion is off. */
  inInitialDelay = false;

  constructor(groupId: string) {
    this.groupId = groupId;
  }

  awaitingJoinCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.joinWaiter) n++;
    return n;
  }

  hasAllMembersJoined(): boolean {
    return this.awaitingJoinCount() === this.members.size && this.pendingMembers.size === 0;
  }

  /** The longest rebalance timeout of the members: how long a join phase may last. */
  rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
    return t;
  }

  /** Protocols every member (optionally ignoring one) lists. */
  commonProtocols(except?: string): Set<string> | null {
    let common: Set<string> | null = null;
    for (const m of this.members.values()) {
      if (m.memberId === except) continue;
      const names = new Set(m.protocols.map((p) => p.name));
      const prev: Set<string> | null = common;
      common = prev === null ? names : new Set([...prev].filter((n: string) => names.has(n)));
    }
    return common;
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function joinError(errorCode: number, memberId: string): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY_BYTES };
}

// ---------------------------------------------------------------------------------------------------
// The coordinator

/** One state change of a group, for the emulator's --trace (what a learner watches during a rebalance). */
export interface GroupTransition {
  groupId: string;
  from: GroupState;
  to: GroupState;
  generationId: number;
  /** null while the group has no leader (Empty, or before the first join completes). */
  leaderId: string | null;
  /** Member ids in join order. */
  memberIds: string[];
}

export interface GroupsOptions {
  clock?: Clock;
  config?: Partial<GroupConfig>;
  offsets?: OffsetStore;
}

export class Groups {
  readonly config: GroupConfig;
  readonly offsets: OffsetStore;
  private readonly clock: Clock;
  private readonly groups = new Map<string, ClassicGroup>();
  private stopped = false;
  /** Told about every state change; the state machine never depends on it. */
  onTransition?: (t: GroupTransition) => void;

  constructor(options: GroupsOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.config = { ...DEFAULT_GROUP_CONFIG, ...options.config };
    this.offsets = options.offsets ?? new OffsetStore();
  }

  // ----- JoinGroup -----

  joinGroup(a: JoinGroupArgs): Promise<JoinGroupResult> {
    if (this.stopped) return Promise.resolve(joinError(E.COORDINATOR_NOT_AVAILABLE, a.memberId));
    if (a.groupId === '') return Promise.resolve(joinError(E.INVALID_GROUP_ID, a.memberId));
    if (
      a.sessionTimeoutMs < this.config.minSessionTimeoutMs ||
      a.sessionTimeoutMs > this.config.maxSessionTimeoutMs
    ) {
      return Promise.resolve(joinError(E.INVALID_SESSION_TIMEOUT, a.memberId));
    }
    const isNewMember = a.memberId === '';
    let group = this.groups.get(a.groupId);
    if (!group) {
      // A member id for a group that does not exist can only be stale.
      if (!isNewMember) return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, a.memberId));
      group = new ClassicGroup(a.groupId);
      this.groups.set(a.groupId, group);
    }
    if (!this.acceptJoiningMember(group, a.memberId)) {
      return Promise.resolve(joinError(E.GROUP_MAX_SIZE_REACHED, a.memberId));
    }
    return isNewMember ? this.joinNewMember(group, a) : this.joinExistingMember(group, a);
  }

  /**
   * group.max.size: while preparing a rebalance only members already rejoined count, so the last
   * ones to rejoin of an oversized group are the ones turned away (Kafka's acceptJoiningMember).
   */
  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const member = group.members.get(memberId);
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return member?.joinWaiter !== undefined || group.awaitingJoinCount() < this.config.maxSize;
      default:
        return member !== undefined || group.members.size < this.config.maxSize;
    }
  }

  /** Empty group: any non-empty type and protocol list; otherwise same type and one protocol shared by all. */
  private supportsProtocols(group: ClassicGroup, a: JoinGroupArgs, except?: string): boolean {
    if (a.protocolType === '' || a.protocols.length === 0) return false;
    const common = group.commonProtocols(except);
    if (common === null) return true;
    if (a.protocolType !== group.protocolType) return false;
    return a.protocols.some((p) => common.has(p.name));
  }

  private joinNewMember(group: ClassicGroup, a: JoinGroupArgs): Promise<JoinGroupResult> {
    if (group.state === 'Dead') return Promise.resolve(joinError(E.COORDINATOR_NOT_AVAILABLE, ''));
    if (!this.supportsProtocols(group, a))
      return Promise.resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL, ''));
    if (a.groupInstanceId !== null) return this.joinNewStaticMember(group, a);
    const memberId = `${a.clientId}-${randomUUID()}`;
    if (a.requireKnownMemberId) {
      // KIP-394: remember the id for one session timeout; the rebalance waits for it meanwhile.
      group.pendingMembers.set(
        memberId,
        this.clock.schedule(a.sessionTimeoutMs, () => {
          group.pendingMembers.delete(memberId);
          this.maybeCompleteJoin(group);
        }),
      );
      return Promise.resolve(joinError(E.MEMBER_ID_REQUIRED, memberId));
    }
    return this.addMemberAndRebalance(group, memberId, a);
  }

  private joinNewStaticMember(group: ClassicGroup, a: JoinGroupArgs): Promise<JoinGroupResult> {
    const instanceId = a.groupInstanceId!;
    const newMemberId = `${instanceId}-${randomUUID()}`;
    const oldMemberId = group.staticMembers.get(instanceId);
    const old = oldMemberId === undefined ? undefined : group.members.get(oldMemberId);
    if (!old) return this.addMemberAndRebalance(group, newMemberId, a);

    // The same instance came back (a restart): it takes over the old member's place and assignment,
    // and whatever the old incarnation still waits for is fenced.
    const protocolsChanged = !old.sameProtocols(a.protocols);
    old.joinWaiter?.(joinError(E.FENCED_INSTANCE_ID, old.memberId));
    old.joinWaiter = undefined;
    old.syncWaiter?.(syncError(E.FENCED_INSTANCE_ID));
    old.syncWaiter = undefined;
    this.replaceMemberId(group, old, newMemberId);
    this.updateMember(old, a);
    const waiting = this.parkJoin(old);

    switch (group.state) {
      case 'Stable':
        if (!protocolsChanged) {
          // Nothing a rebalance would change: hand back the current generation, and tell a leader
          // not to compute a new assignment (KIP-814).
          const isLeader = group.leaderId === newMemberId;
          this.completeMemberJoin(group, old, { skipAssignment: isLeader });
          break;
        }
        this.prepareRebalance(group);
        break;
      case 'CompletingRebalance':
        this.prepareRebalance(group);
        break;
      default:
        this.maybeCompleteJoin(group);
    }
    return waiting;
  }

  private joinExistingMember(group: ClassicGroup, a: JoinGroupArgs): Promise<JoinGroupResult> {
    if (group.state === 'Dead') return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, a.memberId));
    if (!this.supportsProtocols(group, a, a.memberId)) {
      return Promise.resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL, a.memberId));
    }
    const pending = group.pendingMembers.get(a.memberId);
    if (pending && a.groupInstanceId === null) {
      pending.cancel();
      group.pendingMembers.delete(a.memberId);
      return this.addMemberAndRebalance(group, a.memberId, a);
    }
    const invalid = this.validateMember(group, a.memberId, a.groupInstanceId);
    if (invalid !== E.NONE) return Promise.resolve(joinError(invalid, a.memberId));
    const member = group.members.get(a.memberId)!;

    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, a);
      case 'CompletingRebalance':
        // A lost JoinGroup response being retried: answer again with the generation just formed.
        if (member.sameProtocols(a.protocols)) return Promise.resolve(this.joinResultFor(group, member));
        return this.updateMemberAndRebalance(group, member, a);
      case 'Stable':
        // The leader rejoining, or anyone with new metadata (a changed subscription), rebalances;
        // a follower with the same metadata just learns the current generation.
        if (group.leaderId === member.memberId || !member.sameProtocols(a.protocols)) {
          return this.updateMemberAndRebalance(group, member, a);
        }
        this.scheduleHeartbeat(group, member);
        return Promise.resolve(this.joinResultFor(group, member));
      default:
        return Promise.resolve(joinError(E.UNKNOWN_MEMBER_ID, a.memberId));
    }
  }

  private addMemberAndRebalance(
    group: ClassicGroup,
    memberId: string,
    a: JoinGroupArgs,
  ): Promise<JoinGroupResult> {
    const member = new Member(memberId, a);
    if (group.members.size === 0) group.protocolType = a.protocolType;
    group.members.set(memberId, member);
    if (a.groupInstanceId !== null) group.staticMembers.set(a.groupInstanceId, memberId);
    // The first member to join is the leader until it leaves (an existing leader is kept).
    if (group.leaderId === null) group.leaderId = memberId;
    const waiting = this.parkJoin(member);
    this.scheduleHeartbeat(group, member);
    this.maybePrepareRebalance(group);
    return waiting;
  }

  private updateMemberAndRebalance(
    group: ClassicGroup,
    member: Member,
    a: JoinGroupArgs,
  ): Promise<JoinGroupResult> {
    this.updateMember(member, a);
    const waiting = this.parkJoin(member);
    this.maybePrepareRebalance(group);
    return waiting;
  }

  private updateMember(member: Member, a: JoinGroupArgs): void {
    member.protocols = a.protocols;
    member.protocolType = a.protocolType;
    member.sessionTimeoutMs = a.sessionTimeoutMs;
    member.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
    member.clientId = a.clientId;
    member.clientHost = a.clientHost;
  }

  private parkJoin(member: Member): Promise<JoinGroupResult> {
    // A second JoinGroup from the same member supersedes the first, which gets told to rejoin.
    member.joinWaiter?.(joinError(E.REBALANCE_IN_PROGRESS, member.memberId));
    return new Promise((resolve) => {
      member.joinWaiter = resolve;
    });
  }

  private replaceMemberId(group: ClassicGroup, member: Member, newMemberId: string): void {
    const oldId = member.memberId;
    group.members.delete(oldId);
    member.memberId = newMemberId;
    group.members.set(newMemberId, member);
    if (member.groupInstanceId !== null) group.staticMembers.set(member.groupInstanceId, newMemberId);
    if (group.leaderId === oldId) group.leaderId = newMemberId;
    if (group.pendingSync.delete(oldId)) group.pendingSync.add(newMemberId);
  }

  /** Member id and instance id checks shared by every classic-group request (ClassicGroup.validateMember). */
  private validateMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.staticMembers.get(groupInstanceId);
      if (current === undefined) return E.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return E.FENCED_INSTANCE_ID;
      return E.NONE;
    }
    return group.members.has(memberId) ? E.NONE : E.UNKNOWN_MEMBER_ID;
  }

  // ----- Rebalance -----

  private setState(group: ClassicGroup, to: GroupState): void {
    const from = group.state;
    group.state = to;
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

  private maybePrepareRebalance(group: ClassicGroup): void {
    if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(group);
    else if (group.state !== 'Dead') this.prepareRebalance(group);
  }

  private prepareRebalance(group: ClassicGroup): void {
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

  private maybeCompleteJoin(group: ClassicGroup): void {
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
    for (const m of [...group.members.values()]) {
      if (!m.joinWaiter) this.removeMember(group, m);
    }
    group.generationId++;
    if (group.members.size === 0) {
      group.protocolName = null;
      this.setState(group, 'Empty');
      return;
    }
    if (group.leaderId === null || !group.members.has(group.leaderId)) {
      group.leaderId = group.members.keys().next().value!;
    }
    group.protocolName = this.selectProtocol(group);
    this.setState(group, 'CompletingRebalance');
    for (const m of group.members.values()) {
      group.pendingSync.add(m.memberId);
      this.completeMemberJoin(group, m, { skipAssignment: false });
    }
    // Members that never send SyncGroup are removed after the rebalance timeout (Kafka's pending sync).
    group.syncTimer = this.clock.schedule(group.rebalanceTimeoutMs(), () => this.expirePendingSync(group));
  }

  private completeMemberJoin(group: ClassicGroup, m: Member, opts: { skipAssignment: boolean }): void {
    const result = this.joinResultFor(group, m);
    result.skipAssignment = opts.skipAssignment;
    const resolve = m.joinWaiter;
    m.joinWaiter = undefined;
    this.scheduleHeartbeat(group, m);
    resolve?.(result);
  }

  private joinResultFor(group: ClassicGroup, m: Member): JoinGroupResult {
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
  private selectProtocol(group: ClassicGroup): string {
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

  /** Takes a member out and settles anything it still waits for; the caller updates the group state. */
  private removeMember(group: ClassicGroup, m: Member): void {
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
  private removeMemberAndUpdateGroup(group: ClassicGroup, m: Member): void {
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

  /** (Re)arms the session timeout. Members parked in a join or sync are kept alive while they wait. */
  private scheduleHeartbeat(group: ClassicGroup, m: Member): void {
    m.heartbeatTimer?.cancel();
    m.heartbeatTimer = this.clock.schedule(m.sessionTimeoutMs, () => {
      m.heartbeatTimer = undefined;
      if (group.members.get(m.memberId) !== m) return;
      if (m.joinWaiter || m.syncWaiter) {
        this.scheduleHeartbeat(group, m);
        return;
      }
      this.removeMemberAndUpdateGroup(group, m);
    });
  }

  // ----- SyncGroup -----

  syncGroup(a: SyncGroupArgs): Promise<SyncGroupResult> {
    if (this.stopped) return Promise.resolve(syncError(E.COORDINATOR_NOT_AVAILABLE));
    if (a.groupId === '') return Promise.resolve(syncError(E.INVALID_GROUP_ID));
    const group = this.groups.get(a.groupId);
    if (!group) return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
    if (group.state === 'Dead') return Promise.resolve(syncError(E.COORDINATOR_NOT_AVAILABLE));
    const invalid = this.validateMember(group, a.memberId, a.groupInstanceId);
    if (invalid !== E.NONE) return Promise.resolve(syncError(invalid));
    if (a.generationId !== group.generationId) return Promise.resolve(syncError(E.ILLEGAL_GENERATION));
    if (
      (a.protocolType !== null && a.protocolType !== group.protocolType) ||
      (a.protocolName !== null && a.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(E.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.members.get(a.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(E.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        group.pendingSync.delete(member.memberId);
        this.scheduleHeartbeat(group, member);
        member.syncWaiter?.(syncError(E.REBALANCE_IN_PROGRESS));
        const waiting = new Promise<SyncGroupResult>((resolve) => {
          member.syncWaiter = resolve;
        });
        if (member.memberId === group.leaderId) this.applyAssignment(group, a.assignments);
        return waiting;
      }
      case 'Stable':
        group.pendingSync.delete(member.memberId);
        this.scheduleHeartbeat(group, member);
        return Promise.resolve(this.syncResultFor(group, member));
      default:
        return Promise.resolve(syncError(E.UNKNOWN_MEMBER_ID));
    }
  }

  /** The leader's assignment, passed on unchanged; members it left out get an empty one. */
  private applyAssignment(group: ClassicGroup, assignments: SyncGroupArgs['assignments']): void {
    const byMember = new Map(assignments.map((x) => [x.memberId, x.assignment]));
    for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? EMPTY_BYTES;
    this.setState(group, 'Stable');
    for (const m of group.members.values()) {
      const resolve = m.syncWaiter;
      m.syncWaiter = undefined;
      resolve?.(this.syncResultFor(group, m));
    }
  }

  private syncResultFor(group: ClassicGroup, m: Member): SyncGroupResult {
    return {
      errorCode: E.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: m.assignment,
    };
  }

  // ----- Heartbeat -----

  heartbeat(a: HeartbeatArgs): number {
    if (this.stopped) return E.COORDINATOR_NOT_AVAILABLE;
    if (a.groupId === '') return E.INVALID_GROUP_ID;
    const group = this.groups.get(a.groupId);
    if (!group) return E.UNKNOWN_MEMBER_ID;
    if (group.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE;
    const invalid = this.validateMember(group, a.memberId, a.groupInstanceId);
    if (invalid !== E.NONE) return invalid;
    if (a.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
    const member = group.members.get(a.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        this.scheduleHeartbeat(group, member);
        return E.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        this.scheduleHeartbeat(group, member);
        return E.NONE;
      default:
        return E.UNKNOWN_MEMBER_ID;
    }
  }

  // ----- LeaveGroup -----

  /** One or more members leave (LeaveGroup v3+ batches them; a static member may leave by instance id alone). */
  leaveGroup(groupId: string, leaving: readonly LeavingMember[]): LeaveGroupResult {
    if (this.stopped) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
    if (groupId === '') return { errorCode: E.INVALID_GROUP_ID, members: [] };
    const group = this.groups.get(groupId);
    if (!group) {
      return { errorCode: E.NONE, members: leaving.map((l) => ({ ...l, errorCode: E.UNKNOWN_MEMBER_ID })) };
    }
    if (group.state === 'Dead') return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((l) => ({ ...l, errorCode: this.leaveOne(group, l) }));
    return { errorCode: E.NONE, members };
  }

  private leaveOne(group: ClassicGroup, l: LeavingMember): number {
    if (l.groupInstanceId !== null) {
      const current = group.staticMembers.get(l.groupInstanceId);
      if (current === undefined) return E.UNKNOWN_MEMBER_ID;
      if (l.memberId !== '' && l.memberId !== current) return E.FENCED_INSTANCE_ID;
      this.removeMemberAndUpdateGroup(group, group.members.get(current)!);
      return E.NONE;
    }
    const pending = group.pendingMembers.get(l.memberId);
    if (pending) {
      pending.cancel();
      group.pendingMembers.delete(l.memberId);
      this.maybeCompleteJoin(group);
      return E.NONE;
    }
    const m = group.members.get(l.memberId);
    if (!m) return E.UNKNOWN_MEMBER_ID;
    this.removeMemberAndUpdateGroup(group, m);
    return E.NONE;
  }

  // ----- Offsets (the membership half of OffsetCommit) -----

  /**
   * Whether a commit is accepted (ClassicGroup.validateOffsetCommit): a current-generation member may
   * commit while Stable and also while PreparingRebalance (commit-on-revoke), never while
   * CompletingRebalance; without member and generation only an Empty or unknown group accepts it,
   * and an unknown group then becomes a "simple" Empty group.
   */
  validateOffsetCommit(a: Omit<OffsetCommitArgs, 'topics' | 'partitionExists'>): number {
    if (this.stopped) return E.COORDINATOR_NOT_AVAILABLE;
    const group = this.groups.get(a.groupId);
    if (!group) {
      if (a.generationId < 0) {
        this.groups.set(a.groupId, new ClassicGroup(a.groupId));
        return E.NONE;
      }
      return a.groupIdNotFoundSupported ? E.GROUP_ID_NOT_FOUND : E.ILLEGAL_GENERATION;
    }
    if (group.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE;
    if (a.generationId >= 0 || a.memberId !== '' || a.groupInstanceId !== null) {
      const invalid = this.validateMember(group, a.memberId, a.groupInstanceId);
      if (invalid !== E.NONE) return invalid;
      if (a.generationId !== group.generationId) return E.ILLEGAL_GENERATION;
    } else if (group.state !== 'Empty') {
      return E.UNKNOWN_MEMBER_ID;
    }
    if (group.state === 'CompletingRebalance') return E.REBALANCE_IN_PROGRESS;
    const member = group.members.get(a.memberId);
    if (member) this.scheduleHeartbeat(group, member);
    return E.NONE;
  }

  /** OffsetCommit: one group-level decision, then per-partition storage. */
  commitOffsets(a: OffsetCommitArgs): TopicCommitResult[] {
    const errorCode = this.validateOffsetCommit(a);
    if (errorCode !== E.NONE) {
      return a.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      }));
    }
    return this.offsets.commit(a.groupId, a.topics, {
      now: this.clock.now(),
      partitionExists: a.partitionExists,
    });
  }

  // ----- Admin: DescribeGroups, ListGroups, DeleteGroups -----

  describeGroup(groupId: string): DescribedGroup {
    const group = this.groups.get(groupId);
    if (!group) {
      // Kafka answers an unknown group as Dead with no error (DescribeGroups v0-5).
      return {
        errorCode: E.NONE,
        groupId,
        groupState: 'Dead',
        protocolType: '',
        protocolData: '',
        members: [],
      };
    }
    const stable = group.state === 'Stable';
    return {
      errorCode: E.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(group.protocolName) : EMPTY_BYTES,
        memberAssignment: stable ? m.assignment : EMPTY_BYTES,
      })),
    };
  }

  /** ListGroups; filters compare case-insensitively as Kafka parses them, an empty filter keeps all. */
  listGroups(filter: { states?: readonly string[]; types?: readonly string[] } = {}): ListedGroup[] {
    const states = new Set((filter.states ?? []).map((s) => s.toLowerCase()));
    const types = new Set((filter.types ?? []).map((s) => s.toLowerCase()));
    const out: ListedGroup[] = [];
    for (const g of this.groups.values()) {
      if (states.size > 0 && !states.has(g.state.toLowerCase())) continue;
      if (types.size > 0 && !types.has('classic')) continue;
      out.push({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: 'classic',
      });
    }
    return out;
  }

  /** DeleteGroups: only a group without members can go; its committed offsets go with it. */
  deleteGroups(groupIds: readonly string[]): { groupId: string; errorCode: number }[] {
    return groupIds.map((groupId) => {
      if (this.stopped) return { groupId, errorCode: E.COORDINATOR_NOT_AVAILABLE };
      const group = this.groups.get(groupId);
      if (!group) {
        if (!this.offsets.hasOffsets(groupId)) return { groupId, errorCode: E.GROUP_ID_NOT_FOUND };
      } else if (group.state !== 'Empty') {
        return { groupId, errorCode: E.NON_EMPTY_GROUP };
      } else {
        for (const t of group.pendingMembers.values()) t.cancel();
        group.pendingMembers.clear();
        group.joinTimer?.cancel();
        this.setState(group, 'Dead');
        this.groups.delete(groupId);
      }
      this.offsets.deleteGroup(groupId);
      return { groupId, errorCode: E.NONE };
    });
  }

  /** The current state of a group, or undefined when it does not exist (tests and the CLI). */
  stateOf(
    groupId: string,
  ): { state: GroupState; generationId: number; leaderId: string | null; memberIds: string[] } | undefined {
    const g = this.groups.get(groupId);
    if (!g) return undefined;
    return {
      state: g.state,
      generationId: g.generationId,
      leaderId: g.leaderId,
      memberIds: [...g.members.keys()],
    };
  }

  /** Cancels every timer and answers every parked JoinGroup/SyncGroup with COORDINATOR_NOT_AVAILABLE. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const g of this.groups.values()) {
      g.joinTimer?.cancel();
      g.syncTimer?.cancel();
      for (const t of g.pendingMembers.values()) t.cancel();
      for (const m of g.members.values()) {
        m.heartbeatTimer?.cancel();
        m.joinWaiter?.(joinError(E.COORDINATOR_NOT_AVAILABLE, m.memberId));
        m.joinWaiter = undefined;
        m.syncWaiter?.(syncError(E.COORDINATOR_NOT_AVAILABLE));
        m.syncWaiter = undefined;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Cluster wiring

/** The committed-offset store of a cluster (the 'offsets' domain). */
export function offsetsOf(cluster: Cluster): OffsetStore {
  return cluster.domain('offsets', () => new OffsetStore());
}

/** The group coordinator of a cluster (the 'groups' domain); it shares the cluster's offset store. */
export function groupsOf(cluster: Cluster): Groups {
  return cluster.domain(
    'groups',
    (c) =>
      new Groups({
        // The cluster's clock: whoever controls it (a test's ManualClock) controls session timeouts too.
        clock: c.clock,
        offsets: offsetsOf(c),
        config: {
          initialRebalanceDelayMs: c.config.groupInitialRebalanceDelayMs,
          minSessionTimeoutMs: c.config.groupMinSessionTimeoutMs,
          maxSessionTimeoutMs: c.config.groupMaxSessionTimeoutMs,
          maxSize: c.config.groupMaxSize,
        },
      }),
  );
}

/**
 * A parked JoinGroup/SyncGroup whose connection closed: the member stays in the group (as in Kafka,
 * where it then times out), but the handler's wait ends at once with `aborted()`.
 */
export function settleOnAbort<T>(waiting: Promise<T>, signal: AbortSignal, aborted: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(aborted());
  return new Promise<T>((resolve) => {
    const onAbort = () => resolve(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.then((v) => {
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    });
  });
}

/** Kafka reports a member's host as Java's InetAddress.toString(): "/127.0.0.1". */
export function clientHostOf(remote: string): string {
  const colon = remote.lastIndexOf(':');
  const host = colon > 0 ? remote.slice(0, colon) : remote;
  return '/' + host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
}
