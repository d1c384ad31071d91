/**
 * What a consumer-group assignor sees and returns. In the classic protocol the broker never assigns
 * partitions: the member it elects leader runs an assignor over every member's subscription
 * (ConsumerProtocolSubscription) and sends the result back through SyncGroup. These types are the
 * decoded form of those payloads; the assignors themselves are pure functions over them.
 */

/** Partitions of one topic, as the consumer protocol carries them. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** One member's subscription, as the leader decoded it from JoinGroup's member metadata. */
export interface MemberSubscription {
  memberId: string;
  /** Static membership (KIP-345): a stable name that outlives member ids. */
  groupInstanceId?: string | null;
  topics: string[];
  /** Partitions the member owned before this rebalance (subscription v1+, KIP-429). */
  ownedPartitions?: TopicPartitions[];
  /** The generation those partitions were owned in (subscription v2+, KIP-792); -1 when unknown. */
  generationId?: number;
  userData?: Uint8Array | null;
}

export interface AssignInput {
  members: MemberSubscription[];
  /** Partition count of every topic some member subscribed to and the metadata knows. */
  partitionsPerTopic: ReadonlyMap<string, number>;
}

/** memberId → its partitions, topics and partitions sorted. Every member has an entry (maybe empty). */
export type GroupAssignment = Map<string, TopicPartitions[]>;

/**
 * Eager: every member gives up all its partitions before rejoining (stop-the-world).
 * Cooperative (KIP-429): members keep what they own and give up only what the new assignment moves.
 */
export type RebalanceProtocol = 'eager' | 'cooperative';

export interface Assignor {
  /** The protocol name offered in JoinGroup (`range`, `roundrobin`, `cooperative-sticky`). */
  readonly name: string;
  readonly rebalanceProtocol: RebalanceProtocol;
  assign(input: AssignInput): GroupAssignment;
  /** Assignor-specific bytes a member puts in its subscription's userData. */
  subscriptionUserData?(context: { generationId: number }): Uint8Array | null;
}

/**
 * Member order used by Kafka's assignors (AbstractPartitionAssignor.MemberInfo): static members
 * first, by group.instance.id, then dynamic ones by member id. Java compares strings by UTF-16 code
 * units, which is what `<` does on JS strings.
 */
export function compareMembers(a: MemberSubscription, b: MemberSubscription): number {
  const ai = a.groupInstanceId ?? null;
  const bi = b.groupInstanceId ?? null;
  if (ai !== null && bi !== null) return compareStrings(ai, bi);
  if (ai !== null) return -1;
  if (bi !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A member→(topic→partitions) builder that turns into the sorted `GroupAssignment` shape. */
export class AssignmentBuilder {
  private readonly byMember = new Map<string, Map<string, number[]>>();

  constructor(memberIds: Iterable<string>) {
    for (const id of memberIds) this.byMember.set(id, new Map());
  }

  add(memberId: string, topic: string, partition: number): void {
    const topics = this.byMember.get(memberId);
    if (!topics) throw new Error(`assignor bug: ${memberId} is not a member`);
    let list = topics.get(topic);
    if (!list) {
      list = [];
      topics.set(topic, list);
    }
    list.push(partition);
  }

  build(): GroupAssignment {
    const out: GroupAssignment = new Map();
    for (const [memberId, topics] of this.byMember) {
      const list: TopicPartitions[] = [...topics.keys()]
        .sort(compareStrings)
        .map((topic) => ({ topic, partitions: [...topics.get(topic)!].sort((x, y) => x - y) }));
      out.set(memberId, list);
    }
    return out;
  }
}

/** "topic/partition": a key for sets and maps of partitions. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Every partition of the given topics that the metadata knows, topics sorted, partitions ascending. */
export function sortedPartitions(
  topics: Iterable<string>,
  partitionsPerTopic: ReadonlyMap<string, number>,
): { topic: string; partition: number }[] {
  const out: { topic: string; partition: number }[] = [];
  for (const topic of [...new Set(topics)].sort(compareStrings)) {
    const count = partitionsPerTopic.get(topic);
    if (count === undefined) continue;
    for (let p = 0; p < count; p++) out.push({ topic, partition: p });
  }
  return out;
}
