/**
 * OffsetFetch: v0-9
 *
 * Behaviour:
 * - Committed offsets by (group, topic, partition): a partition with none answers offset -1,
 *   leader epoch -1, metadata ''. Offsets outlive the members: an Empty group still has them.
 * - topics null (v2+) means every partition the group has committed.
 * - An unknown group is not an error: it simply has no offsets.
 * - Offsets committed in a transaction (TxnOffsetCommit) are invisible until it commits. With
 *   requireStable (v7+, KIP-447) a partition with such a pending offset answers
 *   UNSTABLE_OFFSET_COMMIT (88, retriable) with offset -1, so a consumer starting after a crash does
 *   not read from an offset its predecessor's transaction may still abort.
 *
 * Version notes:
 * - v0-7 ask for one group; v8+ (KIP-709) a batch of groups, each with its own topics and errorCode.
 * - v2-7 carry a top-level errorCode; v5+ leader epochs; v6 flexible; v9 memberId/memberEpoch for
 *   KIP-848 groups: against a consumer group, an unknown member → UNKNOWN_MEMBER_ID (25) and an
 *   epoch other than the member's → STALE_MEMBER_EPOCH (113) in the group's errorCode (classic
 *   groups do not check them; null member id with epoch -1 is an admin fetch).
 */
import { OffsetFetch } from '../../protocol/messages/09-offset-fetch.js';
import { declaredVersions, defineHandler, type HandlerContext } from '../handler.js';
import { authorize, GROUP_AUTHORIZATION_FAILED, TOPIC_AUTHORIZATION_FAILED } from '../security/authorize.js';
import { consumerGroupsOf } from '../state/group-consumer/index.js';
import { offsetsOf } from '../state/groups.js';
import type { FetchedTopic } from '../state/offsets.js';
import { TxnErrors, transactionsOf } from '../state/transactions/index.js';

/** requireStable: partitions with an offset pending in an open transaction answer UNSTABLE_OFFSET_COMMIT. */
function stable(
  groupId: string,
  topics: FetchedTopic[],
  requireStable: boolean,
  ctx: HandlerContext,
): FetchedTopic[] {
  if (!requireStable) return topics;
  const txns = transactionsOf(ctx.cluster);
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) =>
      p.errorCode === 0 && txns.hasPendingOffset(groupId, t.name, p.partitionIndex)
        ? {
            partitionIndex: p.partitionIndex,
            committedOffset: -1n,
            committedLeaderEpoch: -1,
            metadata: '',
            errorCode: TxnErrors.UNSTABLE_OFFSET_COMMIT,
          }
        : p,
    ),
  }));
}

/**
 * ACLs (KafkaApis.handleOffsetFetchRequest): DESCRIBE on each named topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED; asked for all topics (null), those it may not describe are left out.
 */
function fetchAuthorized(
  groupId: string,
  wanted: { name: string; partitionIndexes: number[] }[] | null,
  ctx: HandlerContext,
): FetchedTopic[] {
  const offsets = offsetsOf(ctx.cluster);
  if (wanted === null)
    return offsets.fetch(groupId, null).filter((t) => authorize(ctx, 'DESCRIBE', 'TOPIC', t.name));
  const allowed = wanted.filter((t) => authorize(ctx, 'DESCRIBE', 'TOPIC', t.name));
  const refused = wanted
    .filter((t) => !allowed.includes(t))
    .map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        committedOffset: -1n,
        committedLeaderEpoch: -1,
        metadata: '',
        errorCode: TOPIC_AUTHORIZATION_FAILED,
      })),
    }));
  return [...offsets.fetch(groupId, allowed), ...refused];
}

export default defineHandler({
  api: OffsetFetch,
  versions: declaredVersions(OffsetFetch),
  handle(request, ctx) {
    if (ctx.version >= 8) {
      return {
        throttleTimeMs: 0,
        groups: request.groups.map((g) => {
          const errorCode =
            ctx.version >= 9
              ? consumerGroupsOf(ctx.cluster).validateOffsetFetch({
                  groupId: g.groupId,
                  memberId: g.memberId,
                  memberEpoch: g.memberEpoch,
                })
              : 0;
          if (errorCode !== 0) return { groupId: g.groupId, topics: [], errorCode };
          // ACLs: DESCRIBE on the group, else the group's error.
          if (!authorize(ctx, 'DESCRIBE', 'GROUP', g.groupId))
            return { groupId: g.groupId, topics: [], errorCode: GROUP_AUTHORIZATION_FAILED };
          return {
            groupId: g.groupId,
            topics: stable(g.groupId, fetchAuthorized(g.groupId, g.topics, ctx), request.requireStable, ctx),
            errorCode: 0,
          };
        }),
      };
    }
    const requireStable = ctx.version >= 7 && request.requireStable;
    if (!authorize(ctx, 'DESCRIBE', 'GROUP', request.groupId))
      return { throttleTimeMs: 0, topics: [], errorCode: GROUP_AUTHORIZATION_FAILED };
    return {
      throttleTimeMs: 0,
      topics: stable(
        request.groupId,
        fetchAuthorized(request.groupId, request.topics, ctx),
        requireStable,
        ctx,
      ),
      errorCode: 0,
    };
  },
});
