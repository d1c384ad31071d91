/**
 * Topics and their partitions, with Kafka's naming rules (Topic.java) and error codes. Knows nothing
 * of bytes or protocol versions: handlers translate.
 */
import { randomBytes } from 'node:crypto';
import { PartitionLog, type PartitionLogOptions } from './partition-log.js';

/** Kafka's error codes used by topic operations (Errors.java). */
export const TopicErrors = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
} as const;

export const MAX_TOPIC_NAME_LENGTH = 249;
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([
  '__consumer_offsets',
  '__transaction_state',
  '__share_group_state',
]);

/** Kafka's Topic.GROUP_METADATA_TOPIC_NAME: the group coordinator's log. */
export const GROUP_METADATA_TOPIC = '__consumer_offsets';

/**
 * The topic configs Kafka's group coordinator gives __consumer_offsets when it creates it
 * (GroupCoordinator.groupMetadataTopicConfigs): compacted, 100 MiB segments.
 */
const GROUP_METADATA_TOPIC_CONFIGS: readonly [string, string][] = [
  ['cleanup.policy', 'compact'],
  ['compression.type', 'producer'],
  ['segment.bytes', '104857600'],
];

/** Kafka's Topic.TRANSACTION_STATE_TOPIC_NAME: the transaction coordinator's log. */
export const TRANSACTION_STATE_TOPIC = '__transaction_state';

/**
 * The topic configs Kafka's transaction coordinator gives __transaction_state when it creates it
 * (TransactionStateManager.transactionTopicConfigs): compacted, uncompressed, 100 MiB segments,
 * min.insync.replicas = transaction.state.log.min.isr — 1 here, as one broker is the whole ISR (Kafka's
 * default of 2 would make every transaction fail on a single broker).
 */
const TRANSACTION_STATE_TOPIC_CONFIGS: readonly [string, string][] = [
  ['unclean.leader.election.enable', 'false'],
  ['compression.type', 'uncompressed'],
  ['cleanup.policy', 'compact'],
  ['min.insync.replicas', '1'],
  ['segment.bytes', '104857600'],
];

/** The all-zero UUID Kafka uses for "no topic id", in Uuid.toString form. */
export const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export interface Topic {
  readonly name: string;
  /** 22-character base64url, as Kafka's Uuid.toString. */
  readonly id: string;
  readonly partitions: PartitionLog[];
  readonly isInternal: boolean;
  /** Topic-level config overrides given at creation (name → value). */
  readonly configs: Map<string, string>;
}

/** Why a name is not a legal topic name, or undefined (Topic.validate). */
export function invalidTopicName(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters`;
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return undefined;
}

/** '.' and '_' collide in metric names, so Kafka refuses two topics that differ only by them. */
function collisionKey(name: string): string {
  return name.replace(/\./g, '_');
}

/** A fresh topic id. Kafka never hands out the zero id nor one whose string form starts with '-'. */
export function newTopicId(): string {
  for (let i = 0; i < 100; i++) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== ZERO_TOPIC_ID && id !== 'AAAAAAAAAAAAAAAAAAAAAQ') return id;
  }
  throw new Error('could not draw a topic id');
}

export type CreateTopicResult = { errorCode: 0; topic: Topic } | { errorCode: number; errorMessage: string };

export class Topics {
  private readonly byName = new Map<string, Topic>();
  private readonly byId = new Map<string, Topic>();
  private readonly byCollisionKey = new Map<string, Topic>();

  /**
   * @param logOptions what each new partition log of a topic is made with (the cluster gives its
   *   clock, the topic's config in force, the append listener and, with --data-dir, the store)
   */
  constructor(private readonly logOptions: (topic: Topic) => PartitionLogOptions = () => ({})) {}

  private newLog(topic: Topic, partition: number): PartitionLog {
    return new PartitionLog(topic.name, partition, this.logOptions(topic));
  }

  get(name: string): Topic | undefined {
    return this.byName.get(name);
  }

  getById(id: string): Topic | undefined {
    return this.byId.get(id);
  }

  list(): Topic[] {
    return [...this.byName.values()];
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.byName.get(topic)?.partitions[partition];
  }

  /** Kafka's checks for a new topic, without creating it (CreateTopics validateOnly uses this). */
  checkCreate(name: string, numPartitions: number): { errorCode: number; errorMessage: string } | undefined {
    const invalid = invalidTopicName(name);
    if (invalid) return { errorCode: TopicErrors.INVALID_TOPIC_EXCEPTION, errorMessage: invalid };
    if (this.byName.has(name)) {
      return { errorCode: TopicErrors.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${name}' already exists.` };
    }
    const clash = this.byCollisionKey.get(collisionKey(name));
    if (clash) {
      return {
        errorCode: TopicErrors.INVALID_TOPIC_EXCEPTION,
        errorMessage: `Topic '${name}' collides with existing topic: ${clash.name}`,
      };
    }
    if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
      return {
        errorCode: TopicErrors.INVALID_PARTITIONS,
        errorMessage: 'Number of partitions was set to an invalid non-positive value.',
      };
    }
    return undefined;
  }

  /** @param id the topic id: a fresh one, or the one a data dir kept (persistence/data-dir.ts) */
  create(
    name: string,
    numPartitions: number,
    configs: Map<string, string> = new Map(),
    id: string = newTopicId(),
  ): CreateTopicResult {
    const problem = this.checkCreate(name, numPartitions);
    if (problem) return problem;
    const topic: Topic = {
      name,
      id,
      partitions: [],
      isInternal: INTERNAL_TOPICS.has(name),
      configs,
    };
    for (let p = 0; p < numPartitions; p++) topic.partitions.push(this.newLog(topic, p));
    this.byName.set(name, topic);
    this.byId.set(topic.id, topic);
    this.byCollisionKey.set(collisionKey(name), topic);
    return { errorCode: 0, topic };
  }

  /**
   * __consumer_offsets, created with `numPartitions` (offsets.topic.num.partitions) if it does not
   * exist yet: Kafka's group coordinator creates it on the first FindCoordinator for a group, or
   * Metadata auto-creates it with the same settings. An existing one is kept as it is — a client may
   * have created or grown it first, which Kafka allows. Fails only on a name collision
   * (`__consumer.offsets` created before it), as Kafka's creation would.
   */
  ensureGroupMetadataTopic(numPartitions: number): CreateTopicResult {
    const existing = this.byName.get(GROUP_METADATA_TOPIC);
    if (existing) return { errorCode: 0, topic: existing };
    return this.create(GROUP_METADATA_TOPIC, numPartitions, new Map(GROUP_METADATA_TOPIC_CONFIGS));
  }

  /**
   * __transaction_state, created with `numPartitions` (transaction.state.log.num.partitions) if it
   * does not exist yet: Kafka's transaction coordinator creates it on the first FindCoordinator for
   * a transactional id, or Metadata auto-creates it. Kept as it is when it exists.
   */
  ensureTransactionStateTopic(numPartitions: number): CreateTopicResult {
    const existing = this.byName.get(TRANSACTION_STATE_TOPIC);
    if (existing) return { errorCode: 0, topic: existing };
    return this.create(TRANSACTION_STATE_TOPIC, numPartitions, new Map(TRANSACTION_STATE_TOPIC_CONFIGS));
  }

  delete(name: string): Topic | undefined {
    const topic = this.byName.get(name);
    if (!topic) return undefined;
    this.byName.delete(name);
    this.byId.delete(topic.id);
    this.byCollisionKey.delete(collisionKey(name));
    return topic;
  }

  /** Grows a topic to `count` partitions (CreatePartitions); Kafka never shrinks one. */
  checkAddPartitions(name: string, count: number): { errorCode: number; errorMessage: string } | undefined {
    const topic = this.byName.get(name);
    if (!topic) {
      return {
        errorCode: TopicErrors.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `The topic '${name}' does not exist.`,
      };
    }
    const current = topic.partitions.length;
    if (count === current) {
      return {
        errorCode: TopicErrors.INVALID_PARTITIONS,
        errorMessage: `Topic already has ${current} partition(s).`,
      };
    }
    if (count < current) {
      return {
        errorCode: TopicErrors.INVALID_PARTITIONS,
        errorMessage: `The topic ${name} currently has ${current} partition(s); ${count} would not be an increase.`,
      };
    }
    return undefined;
  }

  addPartitions(name: string, count: number): { errorCode: number; errorMessage: string } | undefined {
    const problem = this.checkAddPartitions(name, count);
    if (problem) return problem;
    const topic = this.byName.get(name) as Topic;
    for (let p = topic.partitions.length; p < count; p++) topic.partitions.push(this.newLog(topic, p));
    return undefined;
  }
}
