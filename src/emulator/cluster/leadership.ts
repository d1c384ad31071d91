/**
 * Leadership enforced on the data path: Produce, a consumer's Fetch and ListOffsets are served by a
 * partition's leader only. Any other broker answers NOT_LEADER_OR_FOLLOWER (6), as Kafka's
 * ReplicaManager does (getPartitionOrException -> NotLeaderOrFollowerException), and — Produce v10+,
 * Fetch v16+ (KafkaApis fills the v12+ tagged field only from v16), with nodeEndpoints (KIP-951) —
 * names the current leader and its epoch so a
 * client can go there without a Metadata round trip. With one broker every partition's leader is that
 * broker, so nothing changes for N = 1.
 */
import type { HandlerContext } from '../handler.js';
import { topicConfigValue } from '../state/configs.js';
import type { Topic } from '../state/topics.js';
import { controllerOf, NO_LEADER } from './controller.js';

export const NOT_LEADER_OR_FOLLOWER = 6;

/** KIP-951's LeaderIdAndEpoch. */
export interface CurrentLeader {
  leaderId: number;
  leaderEpoch: number;
}

/**
 * Undefined when `ctx.broker` leads partition `index` of `topic` (or the partition does not exist:
 * the handler's own UNKNOWN_TOPIC_OR_PARTITION applies); otherwise the partition's current leader
 * (leaderId -1 while it has none) for the NOT_LEADER_OR_FOLLOWER answer.
 */
export function notLeader(ctx: HandlerContext, topic: Topic, index: number): CurrentLeader | undefined {
  const reg = controllerOf(ctx.cluster).partition(topic, index);
  if (!reg || reg.leader === ctx.broker.nodeId) return undefined;
  return { leaderId: reg.leader, leaderEpoch: reg.leader === NO_LEADER ? -1 : reg.leaderEpoch };
}

/** KIP-951's NodeEndpoints: the leaders named in `leaders`, at the address of the request's listener. */
export function nodeEndpointsFor(
  ctx: HandlerContext,
  leaders: Iterable<number>,
): { nodeId: number; host: string; port: number; rack: string | null }[] {
  const controller = controllerOf(ctx.cluster);
  const out: { nodeId: number; host: string; port: number; rack: string | null }[] = [];
  for (const id of new Set(leaders)) {
    const b = id === NO_LEADER ? undefined : controller.broker(id);
    if (!b?.up) continue;
    out.push({ nodeId: b.nodeId, ...b.endpointFor(ctx.connection.security?.listener), rack: b.rack });
  }
  return out.sort((a, b) => a.nodeId - b.nodeId);
}

export const FENCED_LEADER_EPOCH = 74;
export const UNKNOWN_LEADER_EPOCH = 75;

/**
 * KIP-320's check of a request's currentLeaderEpoch against the partition's (Partition's
 * localLogWithEpochOrThrow): -1 skips it; an older epoch is FENCED_LEADER_EPOCH (the client's
 * metadata is stale), a newer one UNKNOWN_LEADER_EPOCH (this broker has not heard of it yet). 0 when
 * it matches.
 */
export function leaderEpochError(
  ctx: HandlerContext,
  topic: Topic,
  index: number,
  currentLeaderEpoch: number,
): number {
  if (currentLeaderEpoch < 0) return 0;
  const reg = controllerOf(ctx.cluster).partition(topic, index);
  if (!reg) return 0;
  if (currentLeaderEpoch < reg.leaderEpoch) return FENCED_LEADER_EPOCH;
  if (currentLeaderEpoch > reg.leaderEpoch) return UNKNOWN_LEADER_EPOCH;
  return 0;
}

/** The leader epoch `offset` of partition `index` was written in (ListOffsets' leaderEpoch), -1 if unknown. */
export function epochOfOffset(ctx: HandlerContext, topic: Topic, index: number, offset: number): number {
  return controllerOf(ctx.cluster).partition(topic, index)?.epochs.epochForOffset(offset) ?? -1;
}

/**
 * Whether `ctx.broker` may answer for partition `index` as its leader, in Kafka's order
 * (Partition.getLocalLog with requireLeader): a broker holding a replica checks the request's
 * currentLeaderEpoch first (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH), then whether it leads
 * (NOT_LEADER_OR_FOLLOWER); a broker without a replica answers NOT_LEADER_OR_FOLLOWER
 * (ReplicaManager: the partition is in the metadata but not hosted here). 0 when it may.
 */
export function leaderAccessError(
  ctx: HandlerContext,
  topic: Topic,
  index: number,
  currentLeaderEpoch: number,
  options: { followerMayAnswer?: boolean } = {},
): number {
  const reg = controllerOf(ctx.cluster).partition(topic, index);
  if (!reg) return 0;
  if (!reg.replicas.includes(ctx.broker.nodeId)) return NOT_LEADER_OR_FOLLOWER;
  const epochError = leaderEpochError(ctx, topic, index, currentLeaderEpoch);
  if (epochError !== 0) return epochError;
  if (reg.leader === ctx.broker.nodeId) return 0;
  return options.followerMayAnswer ? 0 : NOT_LEADER_OR_FOLLOWER;
}

export const NOT_ENOUGH_REPLICAS = 19;

/**
 * Partition.appendRecordsToLeader's guard for acks=all: fewer in-sync replicas than the effective
 * min.insync.replicas (the topic's, capped at the replica count) refuses the write before anything
 * is appended — NOT_ENOUGH_REPLICAS (19), with no errorMessage in the Produce answer.
 */
export function tooFewInSync(ctx: HandlerContext, topic: Topic, index: number): boolean {
  const reg = controllerOf(ctx.cluster).partition(topic, index);
  if (!reg) return false;
  const minIsr = Number(topicConfigValue(topic, 'min.insync.replicas', ctx.cluster));
  return reg.isr.length < Math.min(Number.isFinite(minIsr) ? minIsr : 1, reg.replicas.length);
}

/** KIP-951's LeaderIdAndEpoch of partition `index` as the controller has it now (-1/-1 without a leader). */
export function currentLeaderOf(ctx: HandlerContext, topic: Topic, index: number): CurrentLeader {
  const reg = controllerOf(ctx.cluster).partition(topic, index);
  if (!reg || reg.leader === NO_LEADER) return { leaderId: NO_LEADER, leaderEpoch: -1 };
  return { leaderId: reg.leader, leaderEpoch: reg.leaderEpoch };
}
