/**
 * Fetch: v4-18
 *
 * Behaviour:
 * - Returns whole stored batches from the one holding fetchOffset up to the high watermark; the
 *   client drops records below its position. Per partition at most partitionMaxBytes, in total at
 *   most maxBytes — but the first batch of the first partition that has data is always returned,
 *   however large (KIP-74), so a consumer never gets stuck behind a big batch.
 * - Long-poll: when fewer than minBytes are available and maxWaitMs > 0, the request is parked until
 *   enough data arrives on a requested partition, maxWaitMs passes, or the connection closes.
 *   Errors answer at once, as in ReplicaManager.fetchMessages.
 * - fetchOffset > LEO or < log start → OFFSET_OUT_OF_RANGE (1); fetchOffset == HW → empty, no error.
 * - Unknown topic/partition → UNKNOWN_TOPIC_OR_PARTITION (3); unknown topic id (v13+) → UNKNOWN_TOPIC_ID (100).
 * - On a broker holding a replica: currentLeaderEpoch (v9+) older than the partition's leader epoch →
 *   FENCED_LEADER_EPOCH (74), newer → UNKNOWN_LEADER_EPOCH (75); then a follower serves a v11+
 *   fetch (client metadata present: KIP-392, as Kafka 4.1.1 does, seen in
 *   test/real-kafka/cluster-failover) and answers NOT_LEADER_OR_FOLLOWER (6) to an older one; a
 *   broker without a replica answers 6 (cluster/leadership.ts). v16+
 *   adds currentLeader and nodeEndpoints to 6 and 74 (KafkaApis: not before v16).
 * - Fetch sessions (KIP-227) are declined: sessionId 0 is always returned, which tells clients to send
 *   full fetches; an incremental fetch (sessionId ≠ 0) → FETCH_SESSION_ID_NOT_FOUND (70).
 * - isolationLevel 1 (read_committed) reads only up to the last stable offset (the first offset of
 *   the earliest open transaction) and lists the aborted transactions (producerId, firstOffset) that
 *   overlap the batches returned, so the client can drop their records; read_uncommitted (0) reads
 *   to the high watermark with abortedTransactions null. lastStableOffset is the LSO for both.
 * - Client quotas: over consumer_byte_rate or request_percentage, no data and the throttle time
 *   (KafkaApis / FetchContext.getThrottledResponse; see ../quota-enforcement.ts).
 *
 * Version notes:
 * - v0-3 would carry message sets v0/v1 (not stored here); v4 isolation level and LSO; v5 logStartOffset;
 *   v7 sessions; v11 preferredReadReplica (always -1); v12+ flexible; v13+ topic ids instead of names;
 *   v15 replicaState; v16 nodeEndpoints (with NOT_LEADER_OR_FOLLOWER, cluster/leadership.ts); v18 a follower's
 *   known high watermark (KIP-1166), tagged and ignored here like the rest of replicaState.
 */

import { Fetch } from '../../protocol/messages/01-fetch.js';
import {
  currentLeaderOf,
  FENCED_LEADER_EPOCH,
  leaderAccessError,
  NOT_LEADER_OR_FOLLOWER,
  nodeEndpointsFor,
} from '../cluster/leadership.js';
import {
  declaredVersions,
  defineHandler,
  type HandlerContext,
  type RequestOf,
  type ResponseOf,
} from '../handler.js';
import { fetchThrottleMs } from '../quota-enforcement.js';
import { authorize, authorizeCluster, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import type { PartitionLog } from '../state/partition-log.js';
import type { Topic } from '../state/topics.js';

type FetchResponse = ResponseOf<typeof Fetch>;
type TopicResponse = NonNullable<FetchResponse['responses']>[number];
type PartitionData = NonNullable<TopicResponse['partitions']>[number];

const OFFSET_OUT_OF_RANGE = 1;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const FETCH_SESSION_ID_NOT_FOUND = 70;
const UNKNOWN_TOPIC_ID = 100;
const EMPTY = Buffer.alloc(0);

interface Read {
  response: FetchResponse;
  bytes: number;
  hasError: boolean;
  /** The logs asked for, to know which appends may satisfy a parked fetch. */
  logs: Set<PartitionLog>;
}

function errorPartition(partitionIndex: number, errorCode: number): PartitionData {
  // Kafka answers a partition it does not know with FetchResponse.partitionResponse(error), whose
  // abortedTransactions is its default, an empty list; errors from reading a known partition's log
  // (OFFSET_OUT_OF_RANGE, epochs) keep the read's null. Both seen from Apache Kafka 4.1.1
  // (conformance/scenarios/unknown-topic.ts, offset-out-of-range.ts).
  const unknown =
    errorCode === UNKNOWN_TOPIC_OR_PARTITION ||
    errorCode === UNKNOWN_TOPIC_ID ||
    errorCode === TOPIC_AUTHORIZATION_FAILED;
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: unknown ? [] : null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
}

function findTopic(t: RequestOf<typeof Fetch>['topics'][number], ctx: HandlerContext): Topic | undefined {
  return ctx.version >= 13 ? ctx.cluster.topics.getById(t.topicId) : ctx.cluster.topics.get(t.topic);
}

function readAll(request: RequestOf<typeof Fetch>, ctx: HandlerContext): Read {
  let remaining = request.maxBytes;
  let bytes = 0;
  let hasError = false;
  const logs = new Set<PartitionLog>();
  const leaders: number[] = [];
  const replicaId = ctx.version >= 15 ? request.replicaState.replicaId : request.replicaId;
  const fromFollower = replicaId >= 0;
  const followerAllowed = fromFollower && authorizeCluster(ctx, 'CLUSTER_ACTION');
  const responses: TopicResponse[] = request.topics.map((t) => {
    const topic = findTopic(t, ctx);
    const missing = ctx.version >= 13 ? UNKNOWN_TOPIC_ID : UNKNOWN_TOPIC_OR_PARTITION;
    // ACLs (KafkaApis.handleFetchRequest): READ on the topic, asked by name before it is looked up
    // (an id Kafka cannot resolve stays UNKNOWN_TOPIC_ID); a follower's fetch needs CLUSTER_ACTION.
    const name = ctx.version >= 13 ? topic?.name : t.topic;
    const refused = fromFollower
      ? !followerAllowed
      : name !== undefined && !authorize(ctx, 'READ', 'TOPIC', name);
    const partitions = t.partitions.map((p): PartitionData => {
      if (refused) {
        hasError = true;
        return errorPartition(p.partition, TOPIC_AUTHORIZATION_FAILED);
      }
      const log = topic?.partitions[p.partition];
      if (!log) {
        hasError = true;
        return errorPartition(p.partition, missing);
      }
      // Before logs.add: a long poll does not wait on a partition it may not read here.
      // In Kafka's order (Partition.getLocalLog): a replica checks currentLeaderEpoch first, then
      // whether it leads; v16+ names the current leader for NOT_LEADER_OR_FOLLOWER and
      // FENCED_LEADER_EPOCH (KafkaApis.handleFetchRequest, KIP-951).
      // A consumer's Fetch v11+ carries client metadata (rackId), and then a follower serves it too
      // (FetchParams.fetchOnlyLeader is false: KIP-392), from its copy of the log — here the log.
      const access = topic
        ? leaderAccessError(ctx, topic, p.partition, p.currentLeaderEpoch, {
            followerMayAnswer: ctx.version >= 11,
          })
        : 0;
      if (access !== 0) {
        hasError = true;
        if (
          topic &&
          ctx.version >= 16 &&
          (access === NOT_LEADER_OR_FOLLOWER || access === FENCED_LEADER_EPOCH)
        ) {
          const currentLeader = currentLeaderOf(ctx, topic, p.partition);
          leaders.push(currentLeader.leaderId);
          return { ...errorPartition(p.partition, access), currentLeader };
        }
        return errorPartition(p.partition, access);
      }
      logs.add(log);
      const offset = Number(p.fetchOffset);
      if (!log.inRange(offset)) {
        hasError = true;
        return errorPartition(p.partition, OFFSET_OUT_OF_RANGE);
      }
      const limit = Math.max(0, Math.min(p.partitionMaxBytes, remaining));
      const lso = log.lastStableOffset;
      const committedOnly = request.isolationLevel === 1;
      const read = log.read(offset, limit, bytes === 0, committedOnly ? lso : log.highWatermark);
      bytes += read.bytes;
      remaining -= read.bytes;
      const hw = BigInt(log.highWatermark);
      return {
        partitionIndex: p.partition,
        errorCode: 0,
        highWatermark: hw,
        lastStableOffset: BigInt(lso),
        logStartOffset: BigInt(log.logStartOffset),
        abortedTransactions: committedOnly ? abortedIn(log, offset, read.batches) : null,
        preferredReadReplica: -1,
        records: joined(
          read.batches.map((b) => b.bytes),
          read.bytes,
        ),
      };
    });
    return { topic: t.topic || topic?.name || '', topicId: t.topicId, partitions };
  });
  // KIP-951: the endpoints of the leaders named in currentLeader (v16+; tagged, so empty is absent).
  const nodeEndpoints = ctx.version >= 16 && leaders.length > 0 ? nodeEndpointsFor(ctx, leaders) : undefined;
  return {
    response: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses,
      ...(nodeEndpoints ? { nodeEndpoints } : {}),
    },
    bytes,
    hasError,
    logs,
  };
}

/**
 * The aborted transactions a read_committed client needs for the batches it gets: those overlapping
 * [fetchOffset, end of the last batch] (UnifiedLog.collectAbortedTransactions, upper bound the
 * offset after the data read).
 */
function abortedIn(log: PartitionLog, fetchOffset: number, batches: readonly { lastOffset: number }[]) {
  if (batches.length === 0 || log.abortedTransactions.length === 0) return [];
  const upTo = batches[batches.length - 1].lastOffset + 1;
  return log
    .abortedTransactionsIn(fetchOffset, upTo)
    .map((t) => ({ producerId: BigInt(t.producerId), firstOffset: BigInt(t.firstOffset) }));
}

/**
 * Consecutive batches as one Buffer. The partition log copies batches back to back into large
 * segments, so those read together usually sit side by side in one segment: then a view over them
 * does, without copying a 1 MiB answer before the response writer copies it again.
 */
function joined(parts: Buffer[], total: number): Buffer {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].buffer !== first.buffer || parts[i].byteOffset !== end) return Buffer.concat(parts, total);
    end += parts[i].length;
  }
  return Buffer.from(first.buffer, first.byteOffset, total);
}

/** Parks until enough bytes are readable on the requested logs, maxWaitMs passes, or the connection closes. */
function waitForData(request: RequestOf<typeof Fetch>, first: Read, ctx: HandlerContext): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe: () => unknown = () => undefined;
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, request.maxWaitMs);
    ctx.signal.addEventListener('abort', done, { once: true });
    unsubscribe = ctx.cluster.onAppend((log) => {
      if (!first.logs.has(log)) return;
      // Cheap upper bound first; the real read happens once we wake.
      let available = 0;
      for (const t of request.topics) {
        const topic = findTopic(t, ctx);
        for (const p of t.partitions) {
          const l = topic?.partitions[p.partition];
          const upTo = request.isolationLevel === 1 ? l?.lastStableOffset : l?.highWatermark;
          if (l) available += Math.min(l.bytesAvailable(Number(p.fetchOffset), upTo), p.partitionMaxBytes);
        }
      }
      if (available >= request.minBytes) done();
    });
  });
}

/** Client quotas (quota-enforcement.ts): over quota, an empty answer that says how long to wait. */
type Answer = ReturnType<typeof readAll>['response'];

function throttled(response: Answer, ctx: HandlerContext, startedAt: number): Answer {
  const throttleTimeMs = fetchThrottleMs(ctx, response, startedAt);
  return throttleTimeMs > 0 ? { ...response, throttleTimeMs, responses: [] } : response;
}

export default defineHandler({
  api: Fetch,
  // Record format v2 only: v0-3 would carry message sets v0/v1 (KIP-896).
  versions: declaredVersions(Fetch, 4),
  async handle(request, ctx) {
    if (request.sessionId !== 0) {
      return { throttleTimeMs: 0, errorCode: FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
    }
    const startedAt = performance.now();
    const first = readAll(request, ctx);
    if (
      request.maxWaitMs <= 0 ||
      first.hasError ||
      first.bytes >= request.minBytes ||
      request.topics.length === 0
    ) {
      return throttled(first.response, ctx, startedAt);
    }
    await waitForData(request, first, ctx);
    return throttled(readAll(request, ctx).response, ctx, startedAt);
  },
  errorResponse(request, errorCode) {
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: request.topics.map((t) => ({
        topic: t.topic,
        topicId: t.topicId,
        partitions: t.partitions.map((p) => errorPartition(p.partition, errorCode)),
      })),
    };
  },
});
