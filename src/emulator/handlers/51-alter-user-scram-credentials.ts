/**
 * AlterUserScramCredentials: v0
 *
 * Behaviour (KIP-554; ScramControlManager.alterCredentials, which the broker forwards to):
 * - Deletions (user, mechanism) and upsertions (user, mechanism, iterations, salt, salted password);
 *   the stored key and server key are derived from the salted password, which is not kept.
 * - Per user: an empty name UNACCEPTABLE_CREDENTIAL (93) 'Username must not be empty'; an unknown
 *   mechanism UNSUPPORTED_SASL_MECHANISM (33); iterations below the mechanism's 4096 or above 16384
 *   UNACCEPTABLE_CREDENTIAL ('Too few iterations' / 'Too many iterations'); deleting a credential that
 *   does not exist RESOURCE_NOT_FOUND (91); a user named twice in one request DUPLICATE_RESOURCE (92)
 *   and none of their changes made.
 * - ALTER on the cluster (checked by the controller), or each user CLUSTER_AUTHORIZATION_FAILED (31).
 * - Takes effect for the next SCRAM login at once (a logged-in connection stays logged in).
 *
 * Version notes: v0 is flexible.
 */
import { AlterUserScramCredentials } from '../../protocol/messages/51-alter-user-scram-credentials.js';
import { declaredVersions, defineHandler } from '../handler.js';
import { CLUSTER_AUTHORIZATION_FAILED, clusterOperationRefusal } from '../security/authorize.js';
import { alterScramCredentials } from '../security/scram-control.js';
import { scramCredentialsOf } from '../security/scram-credentials.js';

export default defineHandler({
  api: AlterUserScramCredentials,
  versions: declaredVersions(AlterUserScramCredentials),
  handle(request, ctx) {
    // The controller checks ALTER on the cluster; getErrorResponse answers each user named once.
    const refusal = clusterOperationRefusal(ctx, AlterUserScramCredentials.name, 'ALTER');
    if (refusal !== undefined) {
      const users = new Set([...request.deletions, ...request.upsertions].map((c) => c.name));
      return {
        throttleTimeMs: 0,
        results: [...users].map((user) => ({
          user,
          errorCode: CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: refusal,
        })),
      };
    }
    return { throttleTimeMs: 0, results: alterScramCredentials(scramCredentialsOf(ctx.cluster), request) };
  },
});
