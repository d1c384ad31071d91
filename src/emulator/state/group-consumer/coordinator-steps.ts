/**
 * What the parts of the consumer group coordinator share. `ConsumerGroups` (coordinator.ts) runs
 * consumerGroupHeartbeat; its classic-member path (classic-members.ts), its regex resolution
 * (regex-resolution.ts) and its admin views (admin-views.ts) reuse the same steps — a member's
 * session timer, fencing, the target assignment, one reconciliation step — through this interface,
 * as Kafka's GroupMetadataManager calls its own private methods from each request's path.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { ConsumerGroup, ConsumerMember } from './consumer-group.js';
import type { AssignorName, ConsumerGroupConfig, TopicInfo, TopicPartitions, TopicsView } from './types.js';

export interface CoordinatorSteps {
  readonly config: ConsumerGroupConfig;
  readonly clock: Clock;
  readonly topics: TopicsView;
  /** After stop(): requests answer COORDINATOR_NOT_AVAILABLE. */
  readonly stopped: boolean;
  group(groupId: string): ConsumerGroup | undefined;
  allGroups(): IterableIterator<ConsumerGroup>;
  /** The group is gone from the coordinator (its committed offsets stay). */
  forgetGroup(groupId: string): void;
  defaultAssignor(): AssignorName;
  /** The subscribed topics that exist, by name (ConsumerGroup.computeSubscriptionMetadata). */
  subscriptionMetadata(group: ConsumerGroup): Map<string, TopicInfo>;
  /** A new target assignment for every member, at the group epoch. */
  computeTargetAssignment(group: ConsumerGroup): void;
  /** One step of the member towards its target (revoke first, then what was released). */
  maybeReconcile(
    group: ConsumerGroup,
    member: ConsumerMember,
    owned: readonly TopicPartitions[] | null,
    reason: string,
  ): void;
  scheduleSessionTimeout(group: ConsumerGroup, member: ConsumerMember): void;
  fence(group: ConsumerGroup, member: ConsumerMember, how: 'LEFT' | 'FENCED', reason: string): void;
  fenceMembers(
    group: ConsumerGroup,
    members: readonly ConsumerMember[],
    how: 'LEFT' | 'FENCED',
    reason: string,
  ): void;
}

/** A refusal: Kafka's ApiException, as an error code and its message. */
export class Refusal extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Kafka's Uuid.randomUuid().toString(): 16 random bytes, base64url without padding. */
export function newMemberId(): string {
  return randomBytes(16).toString('base64url');
}

/** Same topics, ids and partition counts: a difference bumps the group epoch. */
export function sameMetadata(a: Map<string, TopicInfo>, b: Map<string, TopicInfo>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, t] of a) {
    const o = b.get(name);
    if (!o || o.id !== t.id || o.numPartitions !== t.numPartitions) return false;
  }
  return true;
}
