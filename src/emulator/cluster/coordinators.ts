/**
 * Where the coordinators live: a group's coordinator is the leader of the __consumer_offsets
 * partition its id hashes to, a transactional id's the leader of its __transaction_state partition —
 * Kafka's GroupCoordinatorService.partitionFor and TransactionStateManager.partitionFor:
 * Utils.abs(key.hashCode()) % partitions, with Java's String.hashCode. The state itself stays in
 * state/groups and state/transactions, shared by every broker; this module only says which broker
 * answers for a key (FindCoordinator) and whether the broker a request reached is that one.
 */
import type { Cluster } from '../cluster.js';
import { GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC } from '../state/topics.js';
import type { Broker } from './broker.js';
import { controllerOf } from './controller.js';

export const NOT_COORDINATOR = 16;
export const COORDINATOR_NOT_AVAILABLE = 15;

export type CoordinatorKind = 'group' | 'transaction';

/** java.lang.String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: Math.abs, except that Integer.MIN_VALUE gives 0 (not itself). */
function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/** The coordinator partition of `key` among `partitions`. */
export function coordinatorPartition(key: string, partitions: number): number {
  return kafkaAbs(javaHashCode(key)) % partitions;
}

function topicOf(kind: CoordinatorKind): string {
  return kind === 'group' ? GROUP_METADATA_TOPIC : TRANSACTION_STATE_TOPIC;
}

/**
 * The broker coordinating `key`: the leader of its partition of the coordinator's topic. Undefined
 * when the topic does not exist yet (FindCoordinator creates it) or the partition has no leader.
 */
export function coordinatorOf(cluster: Cluster, kind: CoordinatorKind, key: string): Broker | undefined {
  const topic = cluster.topics.get(topicOf(kind));
  if (!topic || topic.partitions.length === 0) return undefined;
  return controllerOf(cluster).leaderOf(topic, coordinatorPartition(key, topic.partitions.length));
}

/**
 * Whether `broker` may answer a group or transaction request for `key`. Before the coordinator's
 * topic exists (no FindCoordinator yet) every broker may: with one broker that is the only answer,
 * and a client of several brokers always asks FindCoordinator first.
 */
export function coordinates(cluster: Cluster, broker: Broker, kind: CoordinatorKind, key: string): boolean {
  const topic = cluster.topics.get(topicOf(kind));
  if (!topic || topic.partitions.length === 0) return true;
  return coordinatorOf(cluster, kind, key)?.nodeId === broker.nodeId;
}
