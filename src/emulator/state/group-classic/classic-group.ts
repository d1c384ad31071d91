/**
 * One classic group's data and the questions asked of it (Kafka's ClassicGroup): members in join
 * order, static instance ids, pending member ids, and the member checks every request shares.
 * The transitions between states live in state-machine.ts.
 */
import type { Timer } from '../../clock.js';
import type { Member } from './member.js';
import { GroupErrors as E, type GroupState } from './types.js';

export class ClassicGroup {
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
  /**
   * When the group entered its current state (Kafka's currentStateTimestamp): an Empty group's
   * offsets expire offsets.retention.minutes after it became Empty.
   */
  stateTimestamp: number;

  constructor(groupId: string, now: number) {
    this.groupId = groupId;
    this.stateTimestamp = now;
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

  /** Member id and instance id checks shared by every classic-group request (ClassicGroup.validateMember). */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId);
      if (current === undefined) return E.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return E.FENCED_INSTANCE_ID;
      return E.NONE;
    }
    return this.members.has(memberId) ? E.NONE : E.UNKNOWN_MEMBER_ID;
  }

  /** A static member's new incarnation takes over the old one's place (leader, pending sync included). */
  replaceMemberId(member: Member, newMemberId: string): void {
    const oldId = member.memberId;
    this.members.delete(oldId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, newMemberId);
    if (this.leaderId === oldId) this.leaderId = newMemberId;
    if (this.pendingSync.delete(oldId)) this.pendingSync.add(newMemberId);
  }
}
