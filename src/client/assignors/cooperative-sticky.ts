/**
 * `cooperative-sticky` (KIP-429's CooperativeStickyAssignor, in our own algorithm): a balanced
 * assignment that keeps every partition with the member that already owns it unless balance needs
 * it elsewhere, then *withholds* each partition that changes owner.
 *
 * The two-phase dance: in the first rebalance the old owner of a moving partition is simply not given
 * it again, and the new owner does not get it yet. The old owner sees it missing from its
 * assignment, revokes it (commits, stops fetching) and rejoins; in that second rebalance nobody
 * claims it any more, so it goes to the member that is short of partitions. Partitions that do not
 * move are never revoked, so their consumers never stop.
 *
 * Ownership claims are trusted as Kafka's AbstractStickyAssignor trusts them: only from members of
 * the highest generation among the claims (a member that missed a rebalance may claim partitions that
 * were reassigned since), and a partition claimed twice in that generation is owned by neither.
 */
import {
  type AssignInput,
  AssignmentBuilder,
  type Assignor,
  compareMembers,
  compareStrings,
  type GroupAssignment,
  partitionKey,
  sortedPartitions,
} from './types.js';

interface Slot {
  topic: string;
  partition: number;
  key: string;
}

export function cooperativeStickyAssign(input: AssignInput): GroupAssignment {
  const target = stickyBalancedAssignment(input);
  const trusted = trustedOwnership(input.members);
  // Phase one of KIP-429: a partition that changes owner is withheld while any other member still
  // claims it (even with a stale claim: that member may still be fetching it until it revokes).
  const claimedBy = new Map<string, Set<string>>();
  for (const m of input.members) {
    for (const tp of m.ownedPartitions ?? []) {
      for (const p of tp.partitions) {
        const key = partitionKey(tp.topic, p);
        let set = claimedBy.get(key);
        if (!set) {
          set = new Set();
          claimedBy.set(key, set);
        }
        set.add(m.memberId);
      }
    }
  }
  const builder = new AssignmentBuilder(input.members.map((m) => m.memberId));
  for (const [memberId, owned] of target) {
    for (const slot of owned) {
      const keeps = trusted.get(slot.key) === memberId;
      const claimers = claimedBy.get(slot.key);
      const otherClaim = claimers ? [...claimers].some((id) => id !== memberId) : false;
      if (keeps || !otherClaim) builder.add(memberId, slot.topic, slot.partition);
    }
  }
  return builder.build();
}

/**
 * The sticky target, before withholding: start from the trusted ownership, hand out the unowned
 * partitions to the least-loaded eligible member, then move partitions from the most- to the
 * least-loaded eligible member while that narrows a gap of two or more. Each move lowers the sum of
 * squared counts, so the loop ends; it is also capped.
 */
export function stickyBalancedAssignment({ members, partitionsPerTopic }: AssignInput): Map<string, Slot[]> {
  const ordered = [...members].sort(compareMembers);
  const subscribed = new Map(ordered.map((m) => [m.memberId, new Set(m.topics)]));
  const all = sortedPartitions(
    ordered.flatMap((m) => m.topics),
    partitionsPerTopic,
  ).map(({ topic, partition }) => ({ topic, partition, key: partitionKey(topic, partition) }));
  const byKey = new Map(all.map((s) => [s.key, s]));

  const owner = new Map<string, string>();
  const holdings = new Map<string, Slot[]>(ordered.map((m) => [m.memberId, []]));
  for (const [key, memberId] of trustedOwnership(members)) {
    const slot = byKey.get(key);
    // Kept only if the partition still exists and the member still subscribes to its topic.
    if (!slot || !subscribed.get(memberId)!.has(slot.topic)) continue;
    owner.set(key, memberId);
    holdings.get(memberId)!.push(slot);
  }

  const eligible = (slot: Slot) => ordered.filter((m) => subscribed.get(m.memberId)!.has(slot.topic));
  const load = (id: string) => holdings.get(id)!.length;
  const leastLoaded = (candidates: typeof ordered) =>
    candidates.reduce((best, m) => (load(m.memberId) < load(best.memberId) ? m : best));

  // Unowned partitions, those with the fewest candidates first (they are the hardest to place).
  const unowned = all.filter((s) => !owner.has(s.key));
  const candidateCount = new Map(unowned.map((s) => [s.key, eligible(s).length]));
  unowned.sort((a, b) => candidateCount.get(a.key)! - candidateCount.get(b.key)!);
  for (const slot of unowned) {
    const candidates = eligible(slot);
    if (candidates.length === 0) continue;
    const to = leastLoaded(candidates).memberId;
    owner.set(slot.key, to);
    holdings.get(to)!.push(slot);
  }

  const cap = all.length * all.length + 1;
  for (let round = 0; round < cap; round++) {
    const move = bestMove(ordered, holdings, subscribed);
    if (!move) break;
    const from = holdings.get(move.from)!;
    from.splice(from.indexOf(move.slot), 1);
    holdings.get(move.to)!.push(move.slot);
    owner.set(move.slot.key, move.to);
  }
  return holdings;
}

/** The move that narrows the widest gap (≥ 2) between an owner and an eligible member, if any. */
function bestMove(
  ordered: { memberId: string }[],
  holdings: Map<string, Slot[]>,
  subscribed: Map<string, Set<string>>,
): { slot: Slot; from: string; to: string } | undefined {
  // Givers: most loaded first; within a giver, its most recently added partitions first, so the
  // partitions it owned longest are the last to move.
  const byLoad = [...ordered].sort(
    (a, b) =>
      holdings.get(b.memberId)!.length - holdings.get(a.memberId)!.length ||
      compareStrings(a.memberId, b.memberId),
  );
  let best: { slot: Slot; from: string; to: string; gap: number } | undefined;
  for (const giver of byLoad) {
    const held = holdings.get(giver.memberId)!;
    for (let i = held.length - 1; i >= 0; i--) {
      const slot = held[i];
      for (let j = byLoad.length - 1; j >= 0; j--) {
        const taker = byLoad[j];
        const gap = held.length - holdings.get(taker.memberId)!.length;
        if (gap < 2) break; // byLoad is sorted: later takers only have more.
        if (taker.memberId === giver.memberId || !subscribed.get(taker.memberId)!.has(slot.topic)) continue;
        if (!best || gap > best.gap) best = { slot, from: giver.memberId, to: taker.memberId, gap };
        break;
      }
    }
    if (best && best.gap >= held.length) break;
  }
  return best;
}

/** partition key → member, from the claims of the highest-generation members, ambiguous claims dropped. */
function trustedOwnership(members: AssignInput['members']): Map<string, string> {
  const generationOf = (m: AssignInput['members'][number]) => m.generationId ?? decodeGeneration(m.userData);
  let maxGeneration = -1;
  for (const m of members) {
    if ((m.ownedPartitions?.length ?? 0) > 0) maxGeneration = Math.max(maxGeneration, generationOf(m));
  }
  const owners = new Map<string, string | null>();
  for (const m of members) {
    if (generationOf(m) !== maxGeneration) continue;
    for (const tp of m.ownedPartitions ?? []) {
      for (const p of tp.partitions) {
        const key = partitionKey(tp.topic, p);
        owners.set(key, owners.has(key) ? null : m.memberId);
      }
    }
  }
  const out = new Map<string, string>();
  for (const [key, id] of owners) if (id !== null) out.set(key, id);
  return out;
}

/**
 * Kafka's cooperative-sticky userData: one int32, the generation the member's owned partitions
 * belong to. Subscription v2 carries the same in generationId; the bytes are for older readers.
 */
export function encodeGeneration(generationId: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeInt32BE(generationId);
  return b;
}

export function decodeGeneration(userData: Uint8Array | null | undefined): number {
  if (!userData || userData.length < 4) return -1;
  return Buffer.from(userData.buffer, userData.byteOffset, userData.byteLength).readInt32BE(0);
}

export const cooperativeStickyAssignor: Assignor = {
  name: 'cooperative-sticky',
  rebalanceProtocol: 'cooperative',
  assign: cooperativeStickyAssign,
  subscriptionUserData: ({ generationId }) => encodeGeneration(generationId),
};
