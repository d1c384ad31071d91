/**
 * A member's step towards the target assignment (Kafka's CurrentAssignmentBuilder). The rule that
 * makes KIP-848 incremental: a member first gives up what it must lose (UNREVOKED_PARTITIONS, at its
 * current epoch), then moves to the target epoch and gets what is free; a partition still owned by
 * another member is withheld (UNRELEASED_PARTITIONS) until that member has revoked it.
 */
import type { Assignment, MemberState, TopicPartitions } from './types.js';

export interface ReconcileInput {
  state: MemberState;
  memberEpoch: number;
  assigned: Assignment;
  pendingRevocation: Assignment;
  targetEpoch: number;
  target: Assignment;
  /** What the member says it owns; null when the heartbeat did not say (unchanged). */
  owned: readonly TopicPartitions[] | null;
  /** True when another member still owns (assigned or revoking) that partition. */
  ownedByOther(topicId: string, partition: number): boolean;
}

export interface ReconcileOutput {
  state: MemberState;
  memberEpoch: number;
  assigned: Assignment;
  pendingRevocation: Assignment;
}

export function reconcile(m: ReconcileInput): ReconcileOutput {
  switch (m.state) {
    case 'STABLE':
      if (m.memberEpoch === m.targetEpoch) return unchanged(m);
      return next(m, m.memberEpoch, m.assigned);
    case 'UNREVOKED_PARTITIONS':
      // Still reporting a partition it must give up: it cannot move on yet.
      if (stillOwnsAny(m.owned, m.pendingRevocation)) return unchanged(m);
      return next(m, m.memberEpoch + 1, m.assigned);
    case 'UNRELEASED_PARTITIONS':
      return next(m, m.memberEpoch, m.assigned);
  }
}

function unchanged(m: ReconcileInput): ReconcileOutput {
  return {
    state: m.state,
    memberEpoch: m.memberEpoch,
    assigned: m.assigned,
    pendingRevocation: m.pendingRevocation,
  };
}

/** Without a report of owned partitions the member is assumed to still own all of them. */
function stillOwnsAny(owned: readonly TopicPartitions[] | null, revoking: Assignment): boolean {
  if (owned === null) return true;
  for (const t of owned) {
    const r = revoking.get(t.topicId);
    if (r && t.partitions.some((p) => r.has(p))) return true;
  }
  return false;
}

function next(m: ReconcileInput, epoch: number, current: Assignment): ReconcileOutput {
  const keep: Assignment = new Map();
  const revoke: Assignment = new Map();
  const gain: Assignment = new Map();
  let unreleased = false;
  for (const topicId of new Set([...m.target.keys(), ...current.keys()])) {
    const target = m.target.get(topicId) ?? new Set<number>();
    const had = current.get(topicId) ?? new Set<number>();
    const k = new Set([...had].filter((p) => target.has(p)));
    const r = new Set([...had].filter((p) => !k.has(p)));
    const g = new Set<number>();
    for (const p of target) {
      if (k.has(p)) continue;
      if (m.ownedByOther(topicId, p)) unreleased = true;
      else g.add(p);
    }
    if (k.size > 0) keep.set(topicId, k);
    if (r.size > 0) revoke.set(topicId, r);
    if (g.size > 0) gain.set(topicId, g);
  }
  if (revoke.size > 0 && stillOwnsAny(m.owned, revoke)) {
    // Revocation first, at the current epoch; nothing new until the member confirms it.
    return { state: 'UNREVOKED_PARTITIONS', memberEpoch: epoch, assigned: keep, pendingRevocation: revoke };
  }
  for (const [topicId, ps] of gain) {
    const s = keep.get(topicId) ?? new Set<number>();
    for (const p of ps) s.add(p);
    keep.set(topicId, s);
  }
  return {
    state: unreleased ? 'UNRELEASED_PARTITIONS' : 'STABLE',
    memberEpoch: m.targetEpoch,
    assigned: keep,
    pendingRevocation: new Map(),
  };
}

export function sameAssignment(a: Assignment, b: Assignment): boolean {
  const nonEmpty = (x: Assignment) => [...x].filter(([, s]) => s.size > 0);
  const ea = nonEmpty(a);
  if (ea.length !== nonEmpty(b).length) return false;
  return ea.every(([t, s]) => {
    const o = b.get(t);
    return o !== undefined && o.size === s.size && [...s].every((p) => o.has(p));
  });
}

export function toTopicPartitions(a: Assignment): TopicPartitions[] {
  return [...a]
    .filter(([, s]) => s.size > 0)
    .map(([topicId, s]) => ({ topicId, partitions: [...s].sort((x, y) => x - y) }));
}

export function fromTopicPartitions(list: readonly TopicPartitions[]): Assignment {
  return new Map(list.map((t) => [t.topicId, new Set(t.partitions)]));
}
