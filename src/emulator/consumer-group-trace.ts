/**
 * A KIP-848 member's state change as one trace line, printed among the heartbeats that caused it:
 *
 *   consumer group "g" member=whZV… epoch=2 UNRELEASED_PARTITIONS assigned=[orders-2] revoking=[] target=[orders-1,orders-2] groupEpoch=2 targetEpoch=2 (heartbeat; waits for orders-1, still owned by another member)
 *
 * The group epoch moves when membership or subscriptions change, the target epoch when the assignor
 * has computed a new target for that group epoch, and a member's epoch catches up with the target one
 * step at a time: UNREVOKED_PARTITIONS while it must still give something up (revoking), then
 * UNRELEASED_PARTITIONS while a partition of its target is still owned by another member, then STABLE.
 * A member that leaves or is fenced is printed with the group epoch its removal started.
 */
import type { ConsumerGroupTransition } from './state/group-consumer/types.js';

export function consumerGroupTransitionLine(t: ConsumerGroupTransition): string {
  const who = `consumer group ${JSON.stringify(t.groupId)} member=${t.memberId}`;
  if (t.memberState === 'LEFT' || t.memberState === 'FENCED')
    return `${who} ${t.memberState} groupEpoch=${t.groupEpoch} (${t.reason})`;
  const list = (ps: string[]) => `[${ps.join(',')}]`;
  return (
    `${who} epoch=${t.memberEpoch} ${t.memberState} assigned=${list(t.assigned)} ` +
    `revoking=${list(t.revoking)} target=${list(t.target)} groupEpoch=${t.groupEpoch} ` +
    `targetEpoch=${t.assignmentEpoch} (${t.reason}${why(t)})`
  );
}

/** What the member waits for, in words: the part of a reconciliation a learner asks about. */
function why(t: ConsumerGroupTransition): string {
  if (t.memberState === 'UNREVOKED_PARTITIONS')
    return `; must revoke ${t.revoking.join(',')} before it gets epoch ${t.assignmentEpoch}`;
  if (t.memberState === 'UNRELEASED_PARTITIONS') {
    const waiting = t.target.filter((p) => !t.assigned.includes(p));
    return `; waits for ${waiting.join(',')}, still owned by another member`;
  }
  return '';
}
