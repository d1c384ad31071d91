/**
 * ListGroups: v0-5
 *
 * Behaviour:
 * - Every group this coordinator knows, including Empty ones kept for their committed offsets and
 *   "simple" groups created by a commit without membership (protocol type '').
 * - statesFilter (v4+) and typesFilter (v5+) compare case-insensitively; an empty filter keeps all.
 *   Every group here is of type "classic" (KIP-848 consumer groups are not emulated).
 *
 * Version notes:
 * - v3 flexible; v4 (KIP-518) states filter and groupState; v5 (KIP-848) types filter and groupType.
 */
import { ListGroups } from '../../protocol/messages/16-list-groups.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { groupsOf } from '../state/groups.js';

export default defineHandler({
  api: ListGroups,
  versions: declaredVersions(ListGroups),
  handle(request, ctx) {
    const groups = groupsOf(ctx.cluster).listGroups({
      states: ctx.version >= 4 ? request.statesFilter : [],
      types: ctx.version >= 5 ? request.typesFilter : [],
    });
    return { throttleTimeMs: 0, errorCode: 0, groups };
  },
});
