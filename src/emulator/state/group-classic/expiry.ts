/**
 * A classic group's answers to the offset cleanup (ClassicGroup.offsetExpirationCondition and
 * isSubscribedToTopic; the rules that use them are in ../offsets-expiry.ts):
 * - a group with a protocol type (members joined it once), Empty: every offset, counted from when the
 *   group became Empty;
 * - a `consumer` group that is Stable and whose members' subscriptions decode: the offsets of topics
 *   no member subscribes to, counted from their commit;
 * - a "simple" group (offsets committed without membership, no protocol type): every offset, counted
 *   from its commit;
 * - otherwise (rebalancing, or subscriptions that cannot be read) nothing expires.
 */
import type { ExpiringGroup } from '../offsets-expiry.js';
import type { GroupStateMachine } from './state-machine.js';

/** How a member's JoinGroup metadata names its topics (the consumer protocol's Subscription). */
export type SubscriptionTopics = (metadata: Uint8Array) => readonly string[];

export function expiringGroup(
  sm: GroupStateMachine,
  groupId: string,
  topicsOf: SubscriptionTopics,
): ExpiringGroup | undefined {
  const group = sm.groups.get(groupId);
  if (!group || group.state === 'Dead') return undefined;
  const isEmpty = group.state === 'Empty';
  if (group.protocolType === null)
    return { baseTimestamp: (o) => o.commitTimestamp, isSubscribedToTopic: () => false, isEmpty };
  if (isEmpty) {
    const since = group.stateTimestamp;
    return { baseTimestamp: () => since, isSubscribedToTopic: () => false, isEmpty };
  }
  if (group.protocolType === 'consumer' && group.state === 'Stable') {
    const subscribed = new Set<string>();
    try {
      for (const m of group.members.values())
        for (const t of topicsOf(m.metadataFor(group.protocolName))) subscribed.add(t);
    } catch {
      // Kafka: "the coordinator is not aware of the subscribed topics", and then expires nothing.
      return { baseTimestamp: null, isSubscribedToTopic: () => true, isEmpty };
    }
    return {
      baseTimestamp: (o) => o.commitTimestamp,
      isSubscribedToTopic: (t) => subscribed.has(t),
      isEmpty,
    };
  }
  return { baseTimestamp: null, isSubscribedToTopic: () => true, isEmpty };
}

/** GroupMetadataManager.maybeDeleteGroup for a classic group: an Empty one goes (Dead). */
export function deleteEmptyGroup(sm: GroupStateMachine, groupId: string): boolean {
  const group = sm.groups.get(groupId);
  if (group?.state !== 'Empty') return false;
  for (const t of group.pendingMembers.values()) t.cancel();
  group.pendingMembers.clear();
  group.joinTimer?.cancel();
  sm.setState(group, 'Dead');
  sm.groups.delete(groupId);
  return true;
}
