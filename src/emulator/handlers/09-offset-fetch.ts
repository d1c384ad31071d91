/**
 * OffsetFetch: v0-9
 *
 * Behaviour:
 * - Committed offsets by (group, topic, partition): a partition with none answers offset -1,
 *   leader epoch -1, metadata ''. Offsets outlive the members: an Empty group still has them.
 * - topics null (v2+) means every partition the group has committed.
 * - An unknown group is not an error: it simply has no offsets.
 * - requireStable (v7+) needs no wait: the emulator has no pending transactional offsets.
 *
 * Version notes:
 * - v0-7 ask for one group; v8+ (KIP-709) a batch of groups, each with its own topics and errorCode.
 * - v2-7 carry a top-level errorCode; v5+ leader epochs; v6 flexible; v9 memberId/memberEpoch for
 *   KIP-848 groups (ignored: classic groups do not check them).
 */
import { OffsetFetch } from '../../protocol/messages/09-offset-fetch.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { offsetsOf } from '../state/groups.js';

export default defineHandler({
  api: OffsetFetch,
  versions: declaredVersions(OffsetFetch),
  handle(request, ctx) {
    const offsets = offsetsOf(ctx.cluster);
    if (ctx.version >= 8) {
      return {
        throttleTimeMs: 0,
        groups: request.groups.map((g) => ({
          groupId: g.groupId,
          topics: offsets.fetch(g.groupId, g.topics),
          errorCode: 0,
        })),
      };
    }
    return { throttleTimeMs: 0, topics: offsets.fetch(request.groupId, request.topics), errorCode: 0 };
  },
});
