/**
 * DeleteGroups: v0-2
 *
 * Behaviour:
 * - A group with no members (Empty) is deleted with its committed offsets; afterwards it describes
 *   as Dead and OffsetFetch finds nothing.
 * - NON_EMPTY_GROUP (68) while it has members; GROUP_ID_NOT_FOUND (69) when unknown.
 *
 * Version notes:
 * - v1 only changes throttling behaviour; v2 goes flexible.
 */
import { DeleteGroups } from '../../protocol/messages/42-delete-groups.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { groupsOf } from '../state/groups.js';

export default defineHandler({
  api: DeleteGroups,
  versions: declaredVersions(DeleteGroups),
  handle(request, ctx) {
    return { throttleTimeMs: 0, results: groupsOf(ctx.cluster).deleteGroups(request.groupsNames) };
  },
});
